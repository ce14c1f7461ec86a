import { beforeEach, describe, expect, it } from "vitest";
import { useBacktest, type RunRequest, type RunResult, type SweepResult } from "./backtest.ts";

const request: RunRequest = {
  name: "s", source: "", symbol: "DEMO/USD", venue: "local", timeframe: "1m", from: null, to: null, cash: 1000, commission: 0, slippageBps: 0, params: {},
};
const sweep: SweepResult = { label: "sweep", request, rows: [] };
const result = (id: string): RunResult => ({
  id, label: id, symbol: "DEMO/USD", venue: "local", timeframe: "1m", params: {}, bars: 0, metrics: {} as RunResult["metrics"],
  trades: [], orders: [], equityTime: [], equity: [], finalEquity: 0, logs: [],
});

beforeEach(() => useBacktest.setState({ run: { kind: "idle" }, result: null, compare: null, cancel: null, sweep: null, hiddenSweep: null, notice: null }));

describe("backtest store", () => {
  it("shows a single run's result instead of the sweep, which stays reachable", () => {
    const s = useBacktest.getState();
    s.setSweep(sweep);
    s.setRun({ kind: "running", done: 0, total: null, message: "…" });
    s.setResult(result("a"));
    expect(useBacktest.getState()).toMatchObject({ sweep: null, hiddenSweep: sweep, run: { kind: "idle" } });
    expect(useBacktest.getState().result?.id).toBe("a");
    s.showSweep();
    expect(useBacktest.getState()).toMatchObject({ sweep, hiddenSweep: null });
    expect(useBacktest.getState().result?.id).toBe("a");
  });

  it("hiding a sweep keeps a run in progress and its Cancel", () => {
    const cancel = (): void => undefined;
    useBacktest.getState().setSweep(sweep);
    useBacktest.getState().setRun({ kind: "running", done: 1, total: 2, message: "…" }, cancel);
    useBacktest.getState().hideSweep();
    expect(useBacktest.getState()).toMatchObject({ sweep: null, hiddenSweep: sweep, run: { kind: "running" }, cancel });
  });

  it("keeps the previous result for comparison", () => {
    useBacktest.getState().setResult(result("a"));
    useBacktest.getState().setResult(result("b"));
    expect(useBacktest.getState().compare?.id).toBe("a");
  });

  it("clears a refusal notice when a run starts, not when it fails", () => {
    useBacktest.getState().setNotice("Cash is not a number");
    useBacktest.getState().setRun({ kind: "failed", message: "x", diagnostics: [] });
    expect(useBacktest.getState().notice).toBe("Cash is not a number");
    useBacktest.getState().setRun({ kind: "running", done: 0, total: null, message: "…" });
    expect(useBacktest.getState().notice).toBeNull();
  });
});
