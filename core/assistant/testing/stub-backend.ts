/**
 * An in-memory {@link AssistantBackend} for tests of the conversation loop: a fixed symbol list,
 * generated candles, a "type-check" that reports every line containing `@error` at its column, a
 * strategy table, and a backtest that returns fixed metrics. Calls are recorded.
 */
import type { StrategyDiagnostic } from "../../../common/api/assistant.ts";
import type { CandlesPage, SymbolInfo } from "../../../common/api/store.ts";
import { TIMEFRAMES } from "../../../common/market/bars.ts";
import type { AssistantBackend, BacktestOutcome, BacktestRequest, SweepRequest } from "../backend.ts";

/** The stub and what it saw. */
export interface StubBackend extends AssistantBackend {
  saved: Map<string, string[]>;
  backtests: BacktestRequest[];
  sweeps: SweepRequest[];
  queries: string[];
}

/** Options of {@link stubBackend}. */
export interface StubOptions {
  symbols?: SymbolInfo[];
  metrics?: Record<string, number | null>;
}

/** Reports `@error` markers as diagnostics, the way a compiler reports errors. */
export function markerDiagnostics(code: string): StrategyDiagnostic[] {
  const out: StrategyDiagnostic[] = [];
  code.split("\n").forEach((line, i) => {
    const col = line.indexOf("@error");
    if (col >= 0) out.push({ line: i + 1, column: col + 1, message: line.slice(col + 6).trim() || "error" });
  });
  return out;
}

/** Builds the stub. */
export function stubBackend(options: StubOptions = {}): StubBackend {
  const saved = new Map<string, string[]>();
  const backtests: BacktestRequest[] = [];
  const sweeps: SweepRequest[] = [];
  const queries: string[] = [];
  const symbols = options.symbols ?? [{ venue: "local", symbol: "BTC-USD", kind: "bars", source: "import", tfMs: 3_600_000, firstTs: 1_704_067_200_000, lastTs: 1_735_686_000_000 }];
  const metrics = options.metrics ?? { totalReturn: 0.125, sharpe: 1.4, maxDrawdown: 0.08, winRate: 0.6, trades: 5 };
  return {
    saved,
    backtests,
    sweeps,
    queries,
    listSymbols: async () => symbols,
    candles: async (req): Promise<CandlesPage> => {
      const tf = TIMEFRAMES[req.timeframe];
      const n = 50;
      const start = req.from ?? 1_704_067_200_000;
      const time = Array.from({ length: n }, (_, i) => start + i * tf);
      const close = time.map((_, i) => 100 + i);
      return { symbol: req.symbol, venue: "local", timeframe: req.timeframe, source: "bars", time, open: close.map((c) => c - 0.5), high: close.map((c) => c + 1), low: close.map((c) => c - 1), close, volume: close.map(() => 10), more: false };
    },
    query: async (sql) => {
      queries.push(sql);
      if (!/^\s*select/i.test(sql)) throw new Error("the query connection is read-only: only SELECT statements are allowed");
      return { columns: [{ name: "n", type: "INTEGER" }], rows: [[42]], truncated: false, elapsedMs: 1 };
    },
    checkStrategy: async (_name, code) => markerDiagnostics(code),
    saveStrategy: async (name, code) => {
      const versions = saved.get(name) ?? [];
      versions.push(code);
      saved.set(name, versions);
      return { version: versions.length };
    },
    backtest: async (req): Promise<BacktestOutcome> => {
      if (!saved.has(req.strategy)) throw new Error(`no saved strategy named "${req.strategy}"`);
      backtests.push(req);
      return {
        runId: backtests.length,
        bars: 8760,
        finalEquity: 112_500,
        metrics,
        trades: [{ side: "long", entryTime: 1_704_067_200_000, entryPrice: 42_000, exitTime: 1_704_153_600_000, exitPrice: 43_260, size: 1, pnl: 1260 }],
      };
    },
    sweep: async (req) => {
      sweeps.push(req);
      const [key, values] = Object.entries(req.grid)[0] ?? ["p", [1]];
      return { rows: values.map((v, i) => ({ params: { [key]: v }, metrics: { sharpe: i, totalReturn: i / 10 } })) };
    },
  };
}
