import { afterEach, describe, expect, it } from "vitest";
import { DEFAULT_LIMITS, type BacktestConfig, type SandboxLimits } from "../../common/strategy/results.ts";
import { beginJob, endJob, holdSpare, prepareFirstSandbox, runInSandbox, setSpareEnabled, spareSettled, warmUpBars } from "./spare-sandbox.ts";

const LIMITS: SandboxLimits = { memoryMb: 128, timeoutMs: 60_000 };
const CONFIG: BacktestConfig = { cash: 100_000, commission: 0.001, slippageBps: 2, seed: 5 };

/** A probe strategy: trades on an EMA cross with random sizes and logs what it can see of the scope and the kernel. */
const PROBE = `var __strategyModule = { default: __ws.api.defineStrategy({
  params: { len: 7 },
  setup: ({ params, ta }) => {
    console.log("globals", Object.getOwnPropertyNames(globalThis).sort().join(","), typeof __strategyModule, Math.random());
    return { ema: ta.ema(params.len), n: 0 };
  },
  onBar(bar, ctx, s) {
    const e = s.ema.update(bar.close);
    if (s.n++ === 0) console.log("first bar", ctx.position.size, ctx.equity, Date.now(), ctx.barIndex);
    if (Number.isNaN(e)) return;
    if (bar.close > e && ctx.position.size === 0) ctx.buy(Math.max(1, Math.floor(Math.random() * 50)));
    else if (bar.close < e && ctx.position.size > 0) ctx.close();
  },
}) };`;

function request() {
  return { code: PROBE, sourceMap: null, filename: "probe.js", packed: warmUpBars(50_000), symbol: "PRB", config: CONFIG, limits: LIMITS };
}

afterEach(() => setSpareEnabled(true));

describe("spare sandbox", () => {
  it("a backtest in a warmed spare gives exactly the records and equity of a cold sandbox", async () => {
    setSpareEnabled(false);
    const cold = await runInSandbox(request(), new AbortController().signal);
    const coldEquity = Buffer.from(cold.result.equity.slice().buffer);
    setSpareEnabled(true);
    // A first run sets the spare's heap limit; the next finds a spare of it, warmed.
    await runInSandbox(request(), new AbortController().signal);
    expect(await spareSettled()).toBe(true);
    const warm = await runInSandbox(request(), new AbortController().signal);
    expect(warm.recordsJson).toEqual(cold.recordsJson);
    expect(Buffer.from(warm.result.equity.slice().buffer).equals(coldEquity)).toBe(true);
    expect(Buffer.from(warm.result.exposure).equals(Buffer.from(cold.result.exposure))).toBe(true);
    expect(cold.result.trades.length).toBeGreaterThan(0);
    expect(JSON.parse(warm.recordsJson.rest).logs[0]).toMatch(/^globals /);
  }, 60_000);

  it("a one-shot worker's first sandbox (opened at start, no warm-up) gives exactly the records and equity of a cold sandbox", async () => {
    setSpareEnabled(false);
    const req = { ...request(), limits: DEFAULT_LIMITS };
    const cold = await runInSandbox(req, new AbortController().signal);
    const coldEquity = Buffer.from(cold.result.equity.slice().buffer);
    process.env.WS_SPARE_SANDBOX = "first";
    try {
      prepareFirstSandbox();
    } finally {
      delete process.env.WS_SPARE_SANDBOX;
    }
    const first = await runInSandbox(req, new AbortController().signal);
    expect(first.recordsJson).toEqual(cold.recordsJson);
    expect(Buffer.from(first.result.equity.slice().buffer).equals(coldEquity)).toBe(true);
    expect(Buffer.from(first.result.exposure).equals(Buffer.from(cold.result.exposure))).toBe(true);
  }, 60_000);

  it("a job arriving while the spare is made cancels it; none is made while a job runs", async () => {
    setSpareEnabled(true);
    await spareSettled();
    setSpareEnabled(false);
    setSpareEnabled(true);
    const settling = spareSettled();
    expect(beginJob(LIMITS)).toBeNull();
    expect(await settling).toBe(false);
    expect(await spareSettled()).toBe(false);
    endJob();
    await new Promise((resolve) => setImmediate(resolve));
    expect(await spareSettled()).toBe(true);
  }, 60_000);

  it("a backtest's hold keeps the next spare from being made until released (once)", async () => {
    setSpareEnabled(false);
    setSpareEnabled(true);
    const release = holdSpare();
    expect(await spareSettled()).toBe(false);
    release();
    release();
    await new Promise((resolve) => setImmediate(resolve));
    expect(await spareSettled()).toBe(true);
    expect(beginJob(LIMITS)).not.toBeNull();
    endJob();
  }, 60_000);
});
