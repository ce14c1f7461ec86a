/** Handlers of the `store.*` API entries: import (also of uploaded files), inspect, export, query, candles, symbols, Parquet sources, status. */
import fs from "node:fs";
import path from "node:path";
import { ApiError } from "../../common/api/index.ts";
import type { PartialHandlers } from "../api/handlers.ts";
import { DataFileError, previewFile, symbolFromFile } from "../datafiles/index.ts";
import { SchemaTooNewError } from "../store/app-db.ts";
import { candlePage } from "../store/candles.ts";
import { exportData } from "../store/export.ts";
import { importFiles } from "../store/import.ts";
import type { Store } from "../store/index.ts";
import type { PrepareLog } from "../store/prepare.ts";
import { QueryError, queryLiveMarket } from "../store/query.ts";
import { addParquetSource, listInstruments } from "../store/sources.ts";

/** What the store handlers use. */
export interface StoreDeps {
  store: Store;
  /** Where background work (bars preparation after a write) reports. */
  log?: PrepareLog;
  /** The folder of uploaded files (`POST /api/upload`): named by their original names in messages, removed once imported. */
  uploadsDir?: string;
  /** Called before a series is read, so generated series (the simulated venue's) are in the store. */
  ensureSeries?: (venue: string | undefined, symbol: string) => Promise<void>;
}

type StoreMethods =
  | "store.import"
  | "store.inspect"
  | "store.export"
  | "store.query"
  | "store.candles"
  | "store.symbols"
  | "store.addParquet"
  | "store.status"
  | "store.settings.set";

/** An uploaded file's path in a message becomes the name it was uploaded as. */
function uploadNames(message: string, uploadsDir: string | undefined): string {
  if (!uploadsDir) return message;
  return message.split(uploadsDir + path.sep).map((part, i) => (i === 0 ? part : part.replace(/^[0-9a-f-]{36}-/, ""))).join("");
}

/** Turns store failures into API errors the client can show as they are. */
async function mapped<T>(work: () => Promise<T>, uploadsDir?: string): Promise<T> {
  try {
    return await work();
  } catch (err) {
    if (err instanceof ApiError) throw err;
    if (err instanceof DataFileError || err instanceof QueryError) throw new ApiError("bad_request", uploadNames(err.message, uploadsDir));
    if (err instanceof SchemaTooNewError) throw new ApiError("unavailable", err.message);
    if (err instanceof Error && /^(no |.* exists on several venues|.* is not empty|.* has no trades|.* cannot be built|.*: no such file or folder$)/.test(err.message)) {
      throw new ApiError(/not empty/.test(err.message) ? "conflict" : "not_found", err.message);
    }
    throw err;
  }
}

/** Removes imported files that were uploads (what the user picked stays where it is). */
function removeUploads(files: readonly string[], uploadsDir: string | undefined): void {
  if (!uploadsDir) return;
  for (const file of files) if (path.dirname(path.resolve(file)) === uploadsDir) fs.rmSync(file, { force: true });
}

/** Builds the store part of the handler map. */
export function storeHandlers(deps: StoreDeps): PartialHandlers<StoreMethods> {
  const { store, log } = deps;
  return {
    // After the write commits, the series' bars are cached in the background (not awaited).
    "store.import": (p, ctx) =>
      mapped(async () => {
        const db = await store.market();
        const result = await importFiles(db, { ...p, signal: ctx.signal, onProgress: (progress) => ctx.progress(progress) });
        void store.prepareBars(db, { symbol: result.symbol, venue: result.venue }, log);
        removeUploads(p.files, deps.uploadsDir);
        return { ...result, files: result.files.map((f) => ({ ...f, file: uploadNames(f.file, deps.uploadsDir) })) };
      }, deps.uploadsDir),
    "store.inspect": (p) =>
      mapped(async () => {
        const preview = await previewFile(p.file);
        const kind = preview.layout.kind === "trades" ? "trades" : "bars";
        const symbol = symbolFromFile(uploadNames(p.file, deps.uploadsDir));
        return { layout: preview.layout.description, format: preview.layout.format, kind, columns: preview.columns, rows: preview.rows, symbol };
      }, deps.uploadsDir),
    "store.export": (p) => mapped(() => store.withMarket((db) => exportData(db, p))),
    "store.query": (p, ctx) =>
      mapped(() => store.withMarket((db) => queryLiveMarket(db, p.sql, { maxRows: p.maxRows, timeoutMs: p.timeoutMs, maxBytes: p.maxBytes }, ctx.signal))),
    "store.candles": (p) =>
      mapped(async () => {
        await deps.ensureSeries?.(p.venue, p.symbol);
        return store.withMarket((db) => candlePage(db, p));
      }),
    "store.symbols": (p) => mapped(() => store.withMarket((db) => listInstruments(db, p.query))),
    "store.addParquet": (p) =>
      mapped(() =>
        store.withMarket(async (db) => {
          const added = await addParquetSource(db, p.path, p.symbol, p.venue ?? "local");
          void store.prepareBars(db, { symbol: added.symbol, venue: added.venue }, log);
          return added;
        }),
      ),
    "store.status": () => store.status(),
    "store.settings.set": (p) => {
      const patch = {
        ...(p.archiveAfterDays !== undefined ? { archiveAfterDays: p.archiveAfterDays } : {}),
        ...(p.maxRecordingBytes !== undefined ? { maxRecordingBytes: p.maxRecordingBytes } : {}),
        ...(p.recordFeeds !== undefined ? { recordFeeds: p.recordFeeds } : {}),
      };
      return store.updateSettings(patch);
    },
  };
}
