/**
 * {@link BacktestRunRepository} on the SQLite app database (`core/store/app-db.ts`): the strategy
 * and its source go into `strategies` / `strategy_versions` through `library.ts` (a new version
 * only when the source changed), the run into `backtest_runs` (params, data source with range, hash and gaps, engine
 * version, summary) and the full records into `backtest_results` as JSON (format `json`), or as
 * that JSON gzipped when it comes so (format `json.gz`: a CLI run's, compressed by the worker —
 * about a sixth of the size to write and keep). A result over the stored
 * size cap (default 64 MB of JSON) is kept as its summary (no trades, orders or rows; metrics and
 * the thinned equity curve kept) with a note saying so, in both tables. Runs are listed newest
 * first and read back in full by id.
 */
import { gunzipSync } from "node:zlib";
import type Database from "better-sqlite3";
import { saveStrategyVersion } from "./library.ts";
import { RESULT_CAPS } from "../../common/strategy/results.ts";
import type { SavedBacktestResult } from "../../common/strategy/results.ts";
import type { SweepRow } from "../../common/strategy/sweep.ts";
import type { BacktestRunRecord, BacktestRunRepository, SavedRun, SavedRunSummary, SweepRunRecord } from "./runs.ts";

/** Options of {@link sqliteRunRepository}. */
export interface RunRepositoryOptions {
  /** Largest result body stored in full, in bytes of JSON (default {@link RESULT_CAPS}.maxStoredResultBytes). */
  maxResultBytes?: number;
}

/** A byte count in MB (or KB under 1 MB). */
function sizeText(bytes: number): string {
  return bytes >= 1024 * 1024 ? `${(bytes / (1024 * 1024)).toFixed(1)} MB` : `${Math.ceil(bytes / 1024)} KB`;
}

/** A stored result body: JSON text, or JSON text gzipped (one or more gzip members). */
type StoredFormat = "json" | "json.gz";

/** The JSON text of a stored result body. */
export function storedBodyText(format: string | null, body: Buffer): string {
  return (format === "json.gz" ? gunzipSync(body) : body).toString("utf8");
}

/** The body stored for a run (a gzipped one as given), or its summary with a note when the full JSON is over `maxBytes`. */
function resultBody(record: BacktestRunRecord | SweepRunRecord, maxBytes: number): { body: Buffer; format: StoredFormat; note: string | null } | null {
  const given = record.kind === "sweep" ? { rows: record.rows } : record.result;
  if (!given) return null;
  if ("gzip" in given && given.jsonBytes <= maxBytes) return { body: Buffer.from(given.gzip.buffer, given.gzip.byteOffset, given.gzip.byteLength), format: "json.gz", note: null };
  const json = "gzip" in given ? gunzipSync(given.gzip).toString("utf8") : "json" in given ? given.json : JSON.stringify(given);
  const bytes = Buffer.byteLength(json);
  if (bytes <= maxBytes) return { body: Buffer.from(json), format: "json", note: null };
  const body = "rows" in given ? given : (JSON.parse(json) as SavedBacktestResult);
  const note = `the full result (${sizeText(bytes)} of JSON) is over the ${sizeText(maxBytes)} storage cap; only its summary was kept`;
  const summary =
    "rows" in body
      ? { rows: [], combinations: body.rows.length, note }
      : { ...body, trades: [], orders: [], tradeCount: body.trades.length, orderCount: body.orders.length, note };
  return { body: Buffer.from(JSON.stringify(summary)), format: "json", note };
}

function summaryOf(r: BacktestRunRecord | SweepRunRecord, note: string | null): unknown {
  const common = { kind: r.kind, strategyHash: r.strategyHash, engineVersion: r.engineVersion, ...(note ? { note } : {}) };
  if (r.kind === "sweep") return { ...common, combinations: r.rows.length, failed: r.rows.filter((x) => !x.ok).length, holdout: r.holdout };
  return { ...common, finalEquity: r.result?.finalEquity ?? null, metrics: r.result?.metrics ?? null };
}

/** The columns of a listed run. */
interface RunRow {
  id: number;
  name: string | null;
  status: string;
  started_at: number;
  finished_at: number | null;
  summary: string | null;
  data_source: string;
  error: string | null;
}

const RUN_COLUMNS = "r.id, s.name, r.status, r.started_at, r.finished_at, r.summary, r.data_source, r.error";
const RUN_FROM = `FROM backtest_runs r
  LEFT JOIN strategy_versions v ON v.id = r.strategy_version_id LEFT JOIN strategies s ON s.id = v.strategy_id`;
const RUN_SELECT = `SELECT ${RUN_COLUMNS} ${RUN_FROM}`;

/** JSON text as an object (an empty one when it is not an object). */
function objectOf(json: string | null | undefined): Record<string, unknown> {
  const v: unknown = json ? JSON.parse(json) : null;
  return v !== null && typeof v === "object" && !Array.isArray(v) ? (v as Record<string, unknown>) : {};
}

const stringOr = (v: unknown): string | null => (typeof v === "string" ? v : null);

/** The first and last bar times of a run's data facts. */
function barsOf(facts: unknown): SavedRun["bars"] {
  const f = facts as { from?: unknown; to?: unknown } | null | undefined;
  return typeof f?.from === "number" && typeof f.to === "number" ? { first: f.from, last: f.to } : null;
}

function summaryRow(r: RunRow): SavedRunSummary {
  const summary = r.summary ? (JSON.parse(r.summary) as unknown) : null;
  const data = objectOf(r.data_source);
  const totalReturn = (summary as { metrics?: { totalReturn?: unknown } | null } | null)?.metrics?.totalReturn;
  return {
    id: r.id,
    kind: r.status === "sweep" ? "sweep" : "backtest",
    strategyName: r.name ?? "(deleted)",
    status: r.status,
    startedAt: r.started_at,
    finishedAt: r.finished_at,
    summary,
    symbol: stringOr(data.symbol),
    timeframe: stringOr(data.timeframe),
    totalReturn: typeof totalReturn === "number" ? totalReturn : null,
  };
}

function fullRun(r: RunRow & { params: string; format: string | null; body: Buffer | null }): SavedRun {
  const base = summaryRow(r);
  const { config, ...data } = objectOf(r.data_source);
  const body = objectOf(r.body ? storedBodyText(r.format, r.body) : null);
  const note = stringOr(body.note);
  const result =
    base.kind === "backtest" && "metrics" in body
      ? ({ ...(body as unknown as SavedBacktestResult), equityCurve: (body.equityCurve as SavedBacktestResult["equityCurve"] | undefined) ?? null } satisfies SavedBacktestResult)
      : null;
  return {
    ...base,
    params: objectOf(r.params),
    config: config !== null && typeof config === "object" ? (config as Record<string, unknown>) : {},
    source: stringOr(data.source),
    bars: barsOf(data.facts),
    error: r.error,
    note,
    result,
    rows: base.kind === "sweep" ? ((body.rows as SweepRow[] | undefined) ?? []) : null,
  };
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
        if (body) db.prepare("INSERT INTO backtest_results (run_id, format, body) VALUES (?, ?, ?)").run(runId, body.format, body.body);
        return runId;
      });
      return tx.immediate();
    },
    list(limit) {
      return db.prepare<[number], RunRow>(`${RUN_SELECT} ORDER BY r.id DESC LIMIT ?`).all(limit).map(summaryRow);
    },
    get(id) {
      const row = db.prepare<[number], RunRow & { params: string; format: string | null; body: Buffer | null }>(
        `SELECT r.params, b.format, b.body, ${RUN_COLUMNS} ${RUN_FROM} LEFT JOIN backtest_results b ON b.run_id = r.id WHERE r.id = ?`,
      ).get(id);
      return row ? fullRun(row) : null;
    },
  };
}
