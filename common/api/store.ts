/**
 * The `store.*` part of the API map: import, export, read-only SQL, candles, symbol search,
 * Parquet sources and the recorder's status and settings. Also the pure helper that merges the
 * live bar into a page of stored candles.
 */
import { z } from "zod";
import { TIMEFRAMES, type Timeframe } from "../market/bars.ts";
import { method } from "./define.ts";

/** A page of candles, columnar (time = bar open time, UTC ms), oldest first. */
export interface CandlesPage {
  symbol: string;
  venue: string;
  timeframe: Timeframe;
  /** Where the bars came from: aggregated trades or stored (imported) bars. */
  source: "trades" | "bars";
  time: number[];
  open: number[];
  high: number[];
  low: number[];
  close: number[];
  volume: number[];
  /** Older bars exist: ask again with `to` = `time[0]`. */
  more: boolean;
}

/** A symbol with data in the store. */
export interface SymbolInfo {
  venue: string;
  symbol: string;
  kind: "trades" | "bars";
  /** Comma-separated: recorded, import, parquet, archive. */
  source: string;
  tfMs: number | null;
  firstTs: number | null;
  lastTs: number | null;
}

/** What one imported file held. */
export interface ImportedFile {
  file: string;
  /** The detected layout, human-readable. */
  layout: string;
  kind: "trades" | "bars";
  rows: number;
  skipped: number;
  from: number | null;
  to: number | null;
}

/** Result of `store.import`. */
export interface ImportResult {
  symbol: string;
  venue: string;
  files: ImportedFile[];
  rows: number;
  skipped: number;
}

/** Result of `store.inspect`: what an import of the file would read. */
export interface ImportPreview {
  /** The detected layout, human-readable. */
  layout: string;
  format: "csv" | "parquet";
  kind: "trades" | "bars";
  columns: string[];
  /** The first rows as text. */
  rows: string[][];
  /** The symbol the file's name suggests. */
  symbol: string;
}

/** Result of `store.export`. */
export interface ExportResult {
  out: string;
  kind: "bars" | "trades";
  rows: number;
  files: number;
}

/** Result of `store.query`. */
export interface QueryResult {
  columns: { name: string; type: string }[];
  /** Values as JSON (BIGINT and DECIMAL as strings, times as ISO text). */
  rows: unknown[][];
  /** More rows existed than `maxRows`. */
  truncated: boolean;
  elapsedMs: number;
}

/** Result of `store.addParquet`. */
export interface ParquetSourceInfo extends SymbolInfo {
  path: string;
  files: number;
}

/** Recorder health, for the status bar. */
export interface RecorderStatus {
  recording: boolean;
  /** Events waiting for the next flush. */
  buffered: number;
  /** Rows committed since start. */
  written: number;
  lastFlushAt: number | null;
  /** Set when recording stopped (disk full, cap reached, write error). */
  alarm: string | null;
}

/** Store settings. */
export interface StoreSettings {
  /** Recorded data older than this many days moves to Parquet; null = never. */
  archiveAfterDays: number | null;
  /** Recording stops with an alarm above this many bytes on disk; null = no cap. */
  maxRecordingBytes: number | null;
  /** Record the live venue feeds that a chart or watchlist shows (the simulated feed never). */
  recordFeeds: boolean;
}

/** Result of `store.status`. */
export interface StoreStatus {
  marketDbBytes: number;
  archiveBytes: number;
  recorder: RecorderStatus;
  settings: StoreSettings;
}

const symbol = z.string().trim().min(1).max(64).transform((s) => s.toUpperCase());
const venue = z.string().trim().min(1).max(32).transform((s) => s.toLowerCase());
const timeframe = z.enum(Object.keys(TIMEFRAMES) as [Timeframe, ...Timeframe[]]);
const ms = z.number().int();

/** Requests served by the store service. */
export const storeApi = {
  "store.import": method(
    z.object({ files: z.array(z.string().min(1)).min(1), symbol, venue: venue.optional(), timeframe: timeframe.optional(), skipBad: z.boolean().default(false) }),
  ).returns<ImportResult>(),
  "store.inspect": method(z.object({ file: z.string().min(1).max(4096) })).returns<ImportPreview>(),
  "store.export": method(
    z.object({
      symbol,
      venue: venue.optional(),
      kind: z.enum(["bars", "trades"]).optional(),
      timeframe: timeframe.optional(),
      from: ms.optional(),
      to: ms.optional(),
      out: z.string().min(1),
      overwrite: z.boolean().default(false),
    }),
  ).returns<ExportResult>(),
  "store.query": method(
    z.object({
      sql: z.string().min(1).max(100_000),
      maxRows: z.number().int().min(1).max(100_000).default(100_000),
      timeoutMs: z.number().int().min(100).max(300_000).default(30_000),
      /** Largest result in bytes (DuckDB's value sizes); larger results are refused. */
      maxBytes: z.number().int().min(1024).max(256 * 1024 * 1024).default(64 * 1024 * 1024),
    }),
  ).returns<QueryResult>(),
  "store.candles": method(
    z.object({ symbol, venue: venue.optional(), timeframe, from: ms.optional(), to: ms.optional(), limit: z.number().int().min(1).max(1_000_000).default(2000) }),
  ).returns<CandlesPage>(),
  "store.symbols": method(z.object({ query: z.string().max(64).optional() })).returns<SymbolInfo[]>(),
  "store.addParquet": method(z.object({ path: z.string().min(1), symbol, venue: venue.optional() })).returns<ParquetSourceInfo>(),
  "store.status": method(z.object({})).returns<StoreStatus>(),
  "store.settings.set": method(
    z.object({
      archiveAfterDays: z.number().int().min(1).max(36_500).nullable().optional(),
      maxRecordingBytes: z.number().int().min(1_000_000).nullable().optional(),
      recordFeeds: z.boolean().optional(),
    }),
  ).returns<StoreSettings>(),
};

/** A bar being built from the live feed. */
export interface LiveBar {
  time: number;
  open: number;
  high: number;
  low: number;
  close: number;
  volume: number;
}

/**
 * Merges the live bar into a page of stored candles (returns a new page): replaces the last bar
 * when it has the same open time (the live one is more complete), appends it when newer, and
 * ignores it when older than the page's last bar.
 */
export function mergeLiveBar(page: CandlesPage, bar: LiveBar): CandlesPage {
  const n = page.time.length;
  const last = n > 0 ? page.time[n - 1]! : -Infinity;
  if (bar.time < last) return page;
  const keep = bar.time === last ? n - 1 : n;
  const put = (col: number[], v: number): number[] => [...col.slice(0, keep), v];
  return {
    ...page,
    time: put(page.time, bar.time),
    open: put(page.open, bar.open),
    high: put(page.high, bar.high),
    low: put(page.low, bar.low),
    close: put(page.close, bar.close),
    volume: put(page.volume, bar.volume),
  };
}
