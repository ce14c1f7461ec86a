/**
 * {@link BacktestRunRepository} on the SQLite app database (`core/store/app-db.ts`): the strategy
 * and its source go into `strategies` / `strategy_versions` through `library.ts` (a new version
 * only when the source changed), the run into `backtest_runs` (params, data source with range, hash and gaps, engine
 * version, summary) and the full records into `backtest_results` as JSON.
 */
import type Database from "better-sqlite3";
import { saveStrategyVersion } from "./library.ts";
import type { BacktestRunRecord, BacktestRunRepository, SavedRunSummary, SweepRunRecord } from "./runs.ts";

function summaryOf(r: BacktestRunRecord | SweepRunRecord): unknown {
  const common = { kind: r.kind, strategyHash: r.strategyHash, engineVersion: r.engineVersion };
  if (r.kind === "sweep") return { ...common, combinations: r.rows.length, failed: r.rows.filter((x) => !x.ok).length, holdout: r.holdout };
  return { ...common, finalEquity: r.result?.finalEquity ?? null, metrics: r.result?.metrics ?? null };
}

/** The repository on an open app database. */
export function sqliteRunRepository(db: Database.Database): BacktestRunRepository {
  return {
    save(record) {
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
          .run(versionId, JSON.stringify(params), JSON.stringify(dataSource), status, record.startedAt, record.finishedAt, JSON.stringify(summaryOf(record)), error);
        const runId = Number(info.lastInsertRowid);
        const body = record.kind === "sweep" ? { rows: record.rows } : record.result;
        if (body) db.prepare("INSERT INTO backtest_results (run_id, format, body) VALUES (?, ?, ?)").run(runId, "json", Buffer.from(JSON.stringify(body)));
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
