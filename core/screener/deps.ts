/**
 * What a screen reads, from a {@link Store}: in core (`live`: SQL runs on a snapshot of core's open
 * database) or in a CLI command without a core (SQL runs on the store's file). Strategy screens
 * need a worker pool; without one they are refused.
 */
import type { WorkerPool } from "../workers/pool.ts";
import type { Store } from "../store/index.ts";
import { queryLiveMarket, queryMarketFile } from "../store/query.ts";
import type { ScreenDeps } from "./screen.ts";
import { runSqlScreen, type SandboxQuery } from "./sql-screen.ts";
import { runStrategyScreen, type StrategyScreenOptions } from "./strategy-screen.ts";

/** Options of {@link storeScreenDeps}. */
export interface StoreScreenOptions {
  live: boolean;
  pool?: WorkerPool;
  /** Symbols backtested at once (default: 1). */
  concurrency?: number;
  signal?: AbortSignal;
  onProgress?: StrategyScreenOptions["onProgress"];
  /** Runs each member's backtest elsewhere (the scale-out queue). */
  runMember?: StrategyScreenOptions["runMember"];
}

/** Screen deps over a store. */
export function storeScreenDeps(store: Store, opts: StoreScreenOptions): ScreenDeps {
  const query: SandboxQuery = opts.live
    ? (sql, limits, bindings, signal) => store.withMarket((db) => queryLiveMarket(db, sql, limits, signal, bindings))
    : (sql, limits, bindings, signal) => queryMarketFile(store.dataDir, sql, limits, signal, bindings);
  const pool = opts.pool;
  return {
    app: () => store.app().db,
    market: () => store.market(),
    sql: (sql, members, req, signal) => runSqlScreen(query, sql, members, req, signal),
    ...(pool
      ? {
          strategy: (members, req, signal) =>
            runStrategyScreen(pool, store, members, req, { concurrency: opts.concurrency ?? 1, ...(signal ? { signal } : {}), ...(opts.onProgress ? { onProgress: opts.onProgress } : {}), ...(opts.runMember ? { runMember: opts.runMember } : {}) }),
        }
      : {}),
    ...(opts.signal ? { signal: opts.signal } : {}),
  };
}
