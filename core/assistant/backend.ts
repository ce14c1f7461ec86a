/**
 * What the assistant's tools need from the rest of the workstation, as one port: the store
 * (symbols, candles, read-only SQL) and the strategy runtime (type-check, save, backtest, sweep).
 * `apiBackend` implements it over the typed API, so the tools run the same code whether they sit
 * in core or in the `ask` CLI talking to a core, and strategy code only ever runs in the sandbox.
 */
import type { StrategyDiagnostic } from "../../common/api/assistant.ts";
import type { MethodName, ParamsIn, Progress, ResultOf } from "../../common/api/index.ts";
import type { CandlesPage, QueryResult, SymbolInfo } from "../../common/api/store.ts";
import type { Timeframe } from "../../common/market/bars.ts";

/** Parameters a strategy run may override. */
export type ParamValues = Record<string, number | boolean | string>;

/** A backtest the assistant asks for (`from`/`to` already in UTC ms). */
export interface BacktestRequest {
  strategy: string;
  symbol: string;
  timeframe: Timeframe;
  from?: number;
  to?: number;
  params?: ParamValues;
  cash?: number;
}

/** One closed or open round trip. */
export interface TradeSummaryRow {
  side: "long" | "short";
  entryTime: number;
  entryPrice: number;
  exitTime: number | null;
  exitPrice: number | null;
  size: number;
  pnl: number;
}

/** What a backtest returned. */
export interface BacktestOutcome {
  /** Id of the saved run, when it could be saved. */
  runId: number | null;
  /** Key of the full result kept for the results panel, when kept. */
  resultId?: string | null;
  bars: number;
  finalEquity: number;
  metrics: Record<string, number | null>;
  trades: TradeSummaryRow[];
  /** The run's log lines (strategy output: untrusted). */
  logs?: string[];
  /** The cash and costs the run used (the UI run form's defaults in core). */
  costs?: RunCosts;
}

/** Starting cash and trading costs of a run: commission a fraction per fill, slippage in basis points. */
export interface RunCosts {
  cash: number;
  commission: number;
  slippageBps: number;
}

/** A sweep the assistant asks for. */
export interface SweepRequest {
  strategy: string;
  symbol: string;
  timeframe: Timeframe;
  grid: Record<string, (number | string | boolean)[]>;
  from?: number;
  to?: number;
}

/** What a sweep returned: one row per combination. */
export interface SweepOutcome {
  rows: { params: ParamValues; metrics: Record<string, number | null> | null; error?: string }[];
}

/** The workstation as the assistant's tools see it. */
export interface AssistantBackend {
  listSymbols(signal: AbortSignal): Promise<SymbolInfo[]>;
  candles(req: { symbol: string; timeframe: Timeframe; from?: number; to?: number; limit: number }, signal: AbortSignal): Promise<CandlesPage>;
  query(sql: string, limits: { maxRows: number; timeoutMs: number }, signal: AbortSignal): Promise<QueryResult>;
  /** Transpiles and type-checks against the strategy API; an empty list means it is fine. */
  checkStrategy(name: string, code: string, signal: AbortSignal): Promise<StrategyDiagnostic[]>;
  /** Saves a new version of a strategy (created when new). */
  saveStrategy(name: string, code: string, signal: AbortSignal): Promise<{ version: number | null }>;
  backtest(req: BacktestRequest, signal: AbortSignal, onProgress?: (p: Progress) => void): Promise<BacktestOutcome>;
  sweep(req: SweepRequest, signal: AbortSignal, onProgress?: (p: Progress) => void): Promise<SweepOutcome>;
}

/** Calls the typed API (in core: the handler map; in the CLI: a client of a running core). */
export interface ApiCaller {
  call<K extends MethodName>(method: K, params: ParamsIn<K>, options?: { signal?: AbortSignal; onProgress?: (p: Progress) => void }): Promise<ResultOf<K>>;
  /** Whether the API has this method (features land one by one). */
  has(method: string): boolean;
}

/** A feature the backend needs is not in this build or not running. */
export class BackendUnavailableError extends Error {
  override name = "BackendUnavailableError";
}

function need(caller: ApiCaller, method: string, what: string): void {
  if (!caller.has(method)) throw new BackendUnavailableError(`${what} is not available in this workstation build (no "${method}" API)`);
}

/** The store part of the backend over the API. */
export function apiStoreBackend(caller: ApiCaller): Pick<AssistantBackend, "listSymbols" | "candles" | "query"> {
  return {
    listSymbols: async (signal) => {
      need(caller, "store.symbols", "the local store");
      return caller.call("store.symbols", {}, { signal });
    },
    candles: async (req, signal) => {
      need(caller, "store.candles", "the local store");
      return caller.call("store.candles", { symbol: req.symbol, timeframe: req.timeframe, from: req.from, to: req.to, limit: req.limit }, { signal });
    },
    query: async (sql, limits, signal) => {
      need(caller, "store.query", "the read-only query");
      return caller.call("store.query", { sql, maxRows: limits.maxRows, timeoutMs: limits.timeoutMs }, { signal });
    },
  };
}
