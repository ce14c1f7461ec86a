/**
 * {@link BacktestRunRepository} on the SQLite app database (`core/store/app-db.ts`): the strategy
 * and its source go into `strategies` / `strategy_versions` through `library.ts` (a new version
 * only when the source changed), the run into `backtest_runs` (params, data source with range, hash and gaps, engine
 * version, summary) and the full records into `backtest_results` as JSON. A result over the stored
 * size cap (default 64 MB of JSON) is kept as its summary (no trades, orders or rows) with a note
 * saying so, in both tables.
 */
import type Database from "better-sqlite3";
import { saveStrategyVersion } from "./library.ts";
import { RESULT_CAPS } from "../../common/strategy/results.ts";
import type { BacktestRunRecord, BacktestRunRepository, SavedRunSummary, SweepRunRecord } from "./runs.ts";

/** Options of {@link sqliteRunRepository}. */
export interface RunRepositoryOptions {
  /** Largest result body stored in full, in bytes of JSON (default {@link RESULT_CAPS}.maxStoredResultBytes). */
  maxResultBytes?: number;
}

/** A byte count in MB (or KB under 1 MB). */
function sizeText(bytes: number): string {
  return bytes >= 1024 * 1024 ? `${(bytes / (1024 * 1024)).toFixed(1)} MB` : `${Math.ceil(bytes / 1024)} KB`;
}

/** The JSON body stored for a run, or its summary with a note when the full body is over `maxBytes`. */
function resultBody(record: BacktestRunRecord | SweepRunRecord, maxBytes: number): { json: string; note: string | null } | null {
  const body = record.kind === "sweep" ? { rows: record.rows } : record.result;
  if (!body) return null;
  const json = JSON.stringify(body);
  const bytes = Buffer.byteLength(json);
  if (bytes <= maxBytes) return { json, note: null };
  const note = `the full result (${sizeText(bytes)} of JSON) is over the ${sizeText(maxBytes)} storage cap; only its summary was kept`;
  const summary =
    "rows" in body
      ? { rows: [], combinations: body.rows.length, note }
      : { finalEquity: body.finalEquity, cash: body.cash, metrics: body.metrics, trades: [], orders: [], tradeCount: body.trades.length, orderCount: body.orders.length, note };
  return { json: JSON.stringify(summary), note };
}

function summaryOf(r: BacktestRunRecord | SweepRunRecord, note: string | null): unknown {
  const common = { kind: r.kind, strategyHash: r.strategyHash, engineVersion: r.engineVersion, ...(note ? { note } : {}) };
  if (r.kind === "sweep") return { ...common, combinations: r.rows.length, failed: r.rows.filter((x) => !x.ok).length, holdout: r.holdout };
  return { ...common, finalEquity: r.result?.finalEquity ?? null, metrics: r.result?.metrics ?? null };
}

/** The repository on an open app database. */
export function sqliteRunRepository(db: Database.Database, options: RunRepositoryOptions = {}): BacktestRunRepository {
  const maxResultBytes = options.maxResultBytes ?? RESULT_CAPS.maxStoredResultBytes;
  return {
    save(record) {
      const body = resultBody(record, maxResultBytes);
      const tx = db.transaction(() => {
        const { versionId } = saveStrategyVersion(db, record.strategyName, record.strategySource, "saved by a backtest", record.startedAt);
        const params = record.kind === "sweep" ? { grid: record.grid, holdout: record.holdout } : record.params;
        const dataSource = { ...record.data, config: record.config };
        const error = record.kind === "backtest" ? record.error : null;
        const status = error ? "failed" : record.kind === "sweep" ? "sweep" : "done";
        const info = db
          .prepare(
            "INSERT INTO backtest_runs (strategy_version_id, params, data_source, status, started_at, finished_at, summary, error) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
          )
          .run(versionId, JSON.stringify(params), JSON.stringify(dataSource), status, record.startedAt, record.finishedAt, JSON.stringify(summaryOf(record, body?.note ?? null)), error);
        const runId = Number(info.lastInsertRowid);
        if (body) db.prepare("INSERT INTO backtest_results (run_id, format, body) VALUES (?, ?, ?)").run(runId, "json", Buffer.from(body.json));
        return runId;
      });
      return tx.immediate();
    },
    list(limit) {
      const rows = db
        .prepare<[number], { id: number; name: string | null; status: string; started_at: number; finished_at: number | null; summary: string | null }>(
          `SELECT r.id, s.name, r.status, r.started_at, r.finished_at, r.summary FROM backtest_runs r
           LEFT JOIN strategy_versions v ON v.id = r.strategy_version_id LEFT JOIN strategies s ON s.id = v.strategy_id
           ORDER BY r.id DESC LIMIT ?`,
        )
        .all(limit);
      return rows.map((r): SavedRunSummary => ({
        id: r.id,
        kind: r.status === "sweep" ? "sweep" : "backtest",
        strategyName: r.name ?? "(deleted)",
        status: r.status,
        startedAt: r.started_at,
        finishedAt: r.finished_at,
        summary: r.summary ? (JSON.parse(r.summary) as unknown) : null,
      }));
    },
  };
}
