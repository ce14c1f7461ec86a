import { afterEach, describe, expect, it } from "vitest";
import { Pricing } from "../../common/strategy/engine/pricing.ts";
import { silentLogger } from "../log.ts";
import { compileStrategy } from "../strategy/compile.ts";
import { resolveLimits } from "../strategy/runner.ts";
import { WORKER_EXEC_ARGV, defaultWorkerEntry } from "../workers/entry.ts";
import { WorkerPool } from "../workers/pool.ts";
import { TradingEngine } from "./engine.ts";
import { REPLAY_RISK_LIMITS } from "./risk.ts";
import { PaperRunner } from "./runner.ts";
import { WorkerSessionHost } from "./session-host.ts";
import { MemoryTradingStore } from "./store.ts";

const COUNTER = `import { defineStrategy } from "workstation";
export default defineStrategy({
  params: {},
  setup: () => ({ bars: 0 }),
  onBar(bar, ctx, state) {
    state.bars++;
    ctx.log("bars", state.bars, "position", ctx.position.size, "cash", ctx.cash);
    if (state.bars === 2) ctx.buy(1);
    if (state.bars === 3) ctx.buy(1, { type: "limit", price: 1 });
    if (state.bars === 4) throw new Error("boom on bar 4");
  },
});
`;

let pool: WorkerPool | null = null;
afterEach(async () => {
  await pool?.shutdown();
  pool = null;
});

const trade = (ts: number, price: number) => ({ ts, price, size: 1, receiveTime: ts, priceText: String(price), sizeText: "1" });

describe("paper sessions in the worker", () => {
  it("a session whose worker dies is started on another worker and re-warmed (state, position and cash back); a strategy that throws stops with its line and its orders cancelled", async () => {
    pool = new WorkerPool({ size: 2, entry: defaultWorkerEntry(), execArgv: WORKER_EXEC_ARGV, log: silentLogger() });
    const compiled = await compileStrategy(COUNTER, "counter.ts", {});
    const engine = new TradingEngine({ store: new MemoryTradingStore(), limits: REPLAY_RISK_LIMITS, fillModel: "next-trade", pricing: new Pricing({ commission: 0, slippageBps: 0 }) });
    engine.openLedger("kraken", "s1", "BTC/USD", 1000);
    const host = new WorkerSessionHost(pool, { id: "s1", strategy: compiled, symbol: "BTC/USD", cash: 1000, params: {}, limits: resolveLimits() });
    const logs: string[] = [];
    const runner = new PaperRunner({ ledger: "s1", venue: "kraken", symbol: "BTC/USD", tfMs: 60_000, engine, host, log: (l) => logs.push(l) });
    await runner.start();
    await runner.onTrade(trade(0, 100));
    await runner.onTrade(trade(60_000, 101));
    await runner.onTrade(trade(120_000, 102));
    expect(engine.account("kraken").ledger("s1", "BTC/USD").size).toBe(1);
    const first = host.workerPid!;
    process.kill(first, "SIGKILL");
    await new Promise<void>((resolve) => pool!.once("restart", () => resolve()));
    await runner.onTrade(trade(180_000, 103));
    expect(host.restarts).toBe(1);
    expect(host.workerPid).not.toBe(first);
    expect(logs.at(-1)).toBe("bars 3 position 1 cash 898");
    expect(engine.allOrders().find((o) => o.type === "limit")?.status).toBe("accepted");
    await runner.onTrade(trade(240_000, 104));
    expect(runner.status).toBe("failed");
    expect(runner.error?.message).toMatch(/boom on bar 4/);
    expect(runner.error?.message).toMatch(/counter\.ts:10:\d+/);
    expect(engine.allOrders().find((o) => o.type === "limit")).toMatchObject({ status: "canceled", reason: "the strategy stopped with an error" });
  }, 60_000);

  it("a step that never returns ends at its time limit with TimeLimit; another session in the same worker goes on", async () => {
    pool = new WorkerPool({ size: 1, entry: defaultWorkerEntry(), execArgv: WORKER_EXEC_ARGV, log: silentLogger() });
    const loop = await compileStrategy(`import { defineStrategy } from "workstation";
export default defineStrategy({ params: {}, onBar(bar) { if (bar.close > 100) for (;;) {} } });
`, "loop.ts", {});
    const counter = await compileStrategy(COUNTER, "counter.ts", {});
    const spec = { symbol: "BTC/USD", cash: 1000, params: {}, limits: resolveLimits() };
    const stuck = new WorkerSessionHost(pool, { id: "loop", strategy: loop, ...spec });
    const fine = new WorkerSessionHost(pool, { id: "fine", strategy: counter, ...spec });
    await stuck.start();
    await fine.start();
    const bar = (time: number, close: number) => ({ time, open: close, high: close, low: close, close, volume: 1 });
    const [failed, ok] = await Promise.allSettled([stuck.step(bar(0, 101), [], true), fine.step(bar(0, 101), [], true)]);
    expect(failed.status === "rejected" && (failed.reason as Error).message).toMatch(/longer than its time limit of 2000 ms/);
    expect(ok.status === "fulfilled" && ok.value.logs).toEqual(["bars 1 position 0 cash 1000"]);
    expect((await fine.step(bar(60_000, 101), [], true)).intents).toHaveLength(1);
  }, 60_000);

  it.each(["new Array(1e8).fill(0);", "const m = new Map(); for (let i = 0; ; i++) m.set(i, i);"])("a step that outruns its memory limit (%s) ends with MemoryLimit; a new session works", async (body) => {
    pool = new WorkerPool({ size: 1, entry: defaultWorkerEntry(), execArgv: WORKER_EXEC_ARGV, log: silentLogger() });
    const bomb = await compileStrategy(`import { defineStrategy } from "workstation";\nexport default defineStrategy({ params: {}, onBar(bar) { if (bar.time > 0) { ${body} } } });\n`, "bomb.ts", {});
    const spec = { strategy: bomb, symbol: "BTC/USD", cash: 1000, params: {} };
    const bar = (time: number) => ({ time, open: 1, high: 1, low: 1, close: 1, volume: 1 });
    const host = new WorkerSessionHost(pool, { id: "bomb", ...spec, limits: resolveLimits({ memoryMb: 64 }) });
    await host.start();
    await host.step(bar(0), [], true);
    await expect(host.step(bar(60_000), [], true)).rejects.toThrow(/MemoryLimit: the strategy used more than its memory limit of 64 MB/);
    const next = new WorkerSessionHost(pool, { id: "next", ...spec, limits: resolveLimits() });
    await next.start();
    expect((await next.step(bar(0), [], true)).intents).toEqual([]);
  }, 60_000);

  it("a session answers the same over the session channel and over IPC (sessionChannel: false)", async () => {
    const counter = await compileStrategy(COUNTER, "counter.ts", {});
    const bar = (time: number) => ({ time, open: 100, high: 100, low: 100, close: 100, volume: 1 });
    const answers: unknown[] = [];
    for (const sessionChannel of [true, false]) {
      pool = new WorkerPool({ size: 1, entry: defaultWorkerEntry(), execArgv: WORKER_EXEC_ARGV, log: silentLogger(), sessionChannel });
      const host = new WorkerSessionHost(pool, { id: "same", strategy: counter, symbol: "BTC/USD", cash: 1000, params: {}, limits: resolveLimits() });
      await host.start();
      answers.push([await host.step(bar(0), [], true), await host.step(bar(60_000), [], true), await host.step(bar(120_000), [], true)]);
      await pool.shutdown();
      pool = null;
    }
    expect(answers[0]).toEqual(answers[1]);
    expect(JSON.stringify(answers[0])).toMatch(/bars 3 position 0 cash 1000/);
  }, 60_000);
});
