/**
 * The `screen.*` and `universe.*` part of the API map: run a screen (built-in columns, SQL over the
 * store, or a strategy backtested per symbol) over a universe, and keep named universes.
 */
import { z } from "zod";
import { TIMEFRAMES, type Timeframe } from "../market/bars.ts";
import type { RankChange, ScreenRow, UniverseMember } from "../screener/rank.ts";
import { queueTarget } from "./compute.ts";
import { method, stream } from "./define.ts";

const timeframe = z.enum(Object.keys(TIMEFRAMES) as [Timeframe, ...Timeframe[]]);
const universeName = z.string().trim().min(1).max(64).regex(/^[^:,]+$/, "a universe name may not hold ':' or ','");

/** A screen request: exactly one of `columns`, `sql`, `strategy`. */
export const screenParams = z.object({
  /** A saved universe's NAME, or a LIST `VENUE:SYMBOL,...`. */
  universe: z.string().min(1).max(200_000),
  timeframe: timeframe,
  from: z.number().int().optional(),
  to: z.number().int().optional(),
  columns: z.string().max(10_000).optional(),
  sql: z.string().max(100_000).optional(),
  strategy: z.object({ source: z.string().max(1_000_000), filename: z.string().min(1).max(200).default("strategy.ts") }).optional(),
  /** The strategy screen's ranking metric. */
  metric: z.string().max(64).optional(),
  holdout: z.number().min(0).max(0.9).default(0),
  params: z.record(z.string(), z.union([z.number(), z.boolean(), z.string().max(1000)])).optional(),
  filter: z.string().max(10_000).optional(),
  sort: z.string().max(200).optional(),
  timeoutMs: z.number().int().min(100).max(3_600_000).default(300_000),
});

/** A screen's parsed request. */
export type ScreenRequest = z.output<typeof screenParams>;

/** A screen's result: rows in rank order. */
export interface ScreenResult {
  rows: ScreenRow[];
  /** The value columns, in order (not venue/symbol/error/notes). */
  columns: string[];
  /** Rows that are errors. */
  failed: number;
  elapsedMs: number;
}

/** A watched column screen's refresh on a bar close: ranked rows and the rank changes since the last. */
export interface ScreenUpdate {
  at: number;
  rows: ScreenRow[];
  changes: RankChange[];
  barsFed: number;
  /** With `alertTop` N: the symbols that entered the top N at this refresh (never on the first). */
  entered?: UniverseMember[];
}

/** A watched screen: a column screen, plus `alertTop` N to be told of symbols entering the top N. */
export const screenWatchParams = screenParams.extend({ alertTop: z.number().int().min(1).max(10_000).optional() });

/** One column of the store's schema as SQL screens see it. */
export interface SchemaColumn {
  name: string;
  type: string;
}

/** What a SQL screen can read: the store's `bars` table, the `universe` view, and the bound parameters. */
export interface ScreenSchema {
  tables: { name: string; kind: "table" | "view"; columns: SchemaColumn[] }[];
  params: { name: string; type: string; doc: string }[];
}

/** A saved universe as listed. */
export interface UniverseSummary {
  name: string;
  /** How it was made, e.g. "store", "venue binance quote USDT", "watchlist", "list". */
  source: string;
  members: number;
  updatedAt: number;
}

/** A saved universe with its members. */
export interface UniverseDetail extends UniverseSummary {
  list: UniverseMember[];
}

/** Where `universe add` takes the members from. */
export const universeAddParams = z.object({
  name: universeName,
  from: z.enum(["store", "venue", "watchlist", "list"]),
  /** store: only this venue; venue: the venue whose instrument list to use. */
  venue: z.string().max(32).optional(),
  /** venue: keep instruments quoted in this asset (e.g. USDT). */
  quote: z.string().max(16).optional(),
  /** venue/store: keep symbols whose last 24 h quote volume in the store is at least this. */
  minVolume: z.number().min(0).optional(),
  /** list: `VENUE:SYMBOL,...`. */
  list: z.string().max(200_000).optional(),
  /** Replace a universe of that name. */
  replace: z.boolean().default(false),
});

/** The parsed `universe add` request. */
export type UniverseAddRequest = z.output<typeof universeAddParams>;

/** A seeded synthetic universe: N symbols × M bars written to the store and saved as a universe. */
export const universeSyntheticParams = z.object({
  name: universeName.default("synthetic"),
  symbols: z.number().int().min(1).max(100_000),
  bars: z.number().int().min(1).max(10_000_000),
  timeframe: timeframe.default("1h"),
  seed: z.number().int().min(0).max(2 ** 32 - 1).default(1),
  venue: z.string().regex(/^[a-z0-9_-]{1,32}$/).default("synthetic"),
});

/** Requests served by the screener. */
export const screenerApi = {
  /** `queue`: run a strategy screen through this queue (the CLI's `--queue`) instead of core's Compute setting. */
  "screen.run": method(screenParams.extend({ queue: queueTarget.optional() })).returns<ScreenResult>(),
  /** A column screen refreshed on every bar close of its timeframe (only the new bars are read). */
  "screen.watch": stream(screenWatchParams, "latest").emits<ScreenUpdate>(),
  /** The tables, view and parameters a SQL screen sees (for the SQL editor). */
  "screen.schema": method(z.object({})).returns<ScreenSchema>(),
  "universe.list": method(z.object({})).returns<UniverseSummary[]>(),
  "universe.show": method(z.object({ name: universeName })).returns<UniverseDetail>(),
  "universe.add": method(universeAddParams).returns<UniverseDetail>(),
  "universe.remove": method(z.object({ name: universeName })).returns<{ removed: boolean }>(),
  "universe.synthetic": method(universeSyntheticParams).returns<UniverseDetail>(),
};
