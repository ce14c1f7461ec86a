/**
 * The hostile-strategy suite: each strategy tries to escape, exhaust or confuse the sandbox; each
 * must end with a clear error (or be harmless), and the worker pool must stay healthy after it.
 * Classes: escapes, time and memory bombs (a worker whose isolate cannot be stopped retires and is
 * replaced), realm statics, hostile thrown values, host-dependent built-ins (time zone, locale)
 * and output bombs (orders, trades, tags, params over their caps).
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { allocateBars, type BarColumns } from "../../common/market/bars.ts";
import type { BacktestResult, SandboxLimits } from "../../common/strategy/results.ts";
import type { StrategyErrorInfo } from "../../common/strategy/errors.ts";
import type { ApiError } from "../../common/api/index.ts";
import { silentLogger } from "../log.ts";
import { WORKER_EXEC_ARGV, defaultWorkerEntry } from "../workers/entry.ts";
import { WorkerCrashedError, WorkerPool } from "../workers/pool.ts";
import { backtestOnPool, prepareStrategy } from "./runner.ts";
import { runSweep } from "./sweep-runner.ts";

let pool: WorkerPool;
const bars: BarColumns = allocateBars("T", 200);
for (let i = 0; i < 200; i++) {
  bars.time[i] = i * 60_000;
  bars.open[i] = bars.high[i] = bars.low[i] = bars.close[i] = 100 + (i % 10);
}
const LIMITS = { memoryMb: 64, timeoutMs: 1500 };

beforeAll(async () => {
  pool = new WorkerPool({ size: 1, entry: defaultWorkerEntry(), execArgv: WORKER_EXEC_ARGV, log: silentLogger() });
  await pool.warmUp();
});
afterAll(() => pool.shutdown());

/** A strategy module with `top` at module level and `body` inside onBar. */
const strat = (body: string, top = "", extra = "") =>
  `import { defineStrategy } from "workstation";\n${top}\nexport default defineStrategy({ params: {}, ${extra} onBar(bar, ctx) {\n${body}\n} });\n`;

async function run(source: string, limits: SandboxLimits = LIMITS, params?: Record<string, string>, on = pool): Promise<BacktestResult> {
  const s = await prepareStrategy(source, "hostile.ts", { typecheck: false });
  return backtestOnPool(on, s, bars, { cash: 10_000, commission: 0, slippageBps: 0, ...(params ? { params } : {}) }, limits);
}

/** Memory cases get a long time limit, so a busy machine cannot turn them into time-outs. */
const MEMORY_LIMITS = { memoryMb: 64, timeoutMs: 20_000 };

async function failure(source: string, limits: SandboxLimits = LIMITS): Promise<string> {
  try {
    await run(source, limits);
  } catch (err) {
    return (err as Error).message;
  }
  throw new Error("the hostile strategy was expected to fail but succeeded");
}

async function expectHealthy(): Promise<void> {
  const res = await pool.request<{ value: unknown }>("echo", { value: "alive" });
  expect(res.value).toBe("alive");
}

const FAILING: [string, string, RegExp][] = [
  ["infinite loop in onBar", strat("for (;;) {}"), /time limit of 1500 ms/],
  ["infinite loop at module level", strat("", "while (true) {}"), /time limit/],
  ["infinite loop in setup", strat("", "", "setup: () => { for (;;) {} },"), /time limit/],
  ["eval'd infinite loop", strat('eval("for (;;) {}")'), /time limit/],
  ["microtask flood", strat("", "Promise.resolve().then(function f(): Promise<void> { return Promise.resolve().then(f); });"), /time limit|memory limit/],
  ["memory bomb (arrays)", strat("const a: number[][] = []; for (;;) a.push(new Array(1e6).fill(1.5));"), /memory limit of 64 MB/],
  ["memory bomb (string doubling)", strat('let s = "x"; for (;;) s += s;'), /memory limit|Invalid string length/],
  ["memory bomb (typed arrays)", strat("const a: Float64Array[] = []; for (;;) a.push(new Float64Array(1e6));"), /memory limit|Array buffer allocation failed/],
  ["deep recursion", strat("const f = (n: number): number => f(n + 1) + 1; f(0);"), /Maximum call stack size exceeded/],
  ["prototype pollution of Object.prototype", strat("(Object.prototype as any).polluted = 1;"), /not extensible|read.only|Cannot add property/],
  ["overriding Array.prototype.push", strat("Array.prototype.push = () => 0;"), /read.only|Cannot assign/],
  ["overriding Math.max", strat("(Math as any).max = () => 0;"), /read.only|Cannot assign/],
  ["replacing a global intrinsic", strat("(globalThis as any).Math = {};"), /read.only|Cannot assign/],
  ["Error.prepareStackTrace hook", strat("(Error as any).prepareStackTrace = (_e: unknown, s: unknown) => s;"), /not extensible|Cannot add property|read.only/],
  ["tampering with the engine global", strat("(globalThis as any).__ws.run = null;"), /read.only|Cannot assign/],
  ["tampering with ctx", strat("(ctx as any).buy = null;"), /read.only|Cannot assign/],
  ["reaching for process", strat("(globalThis as any).process.exit(1);"), /undefined|process/],
  ["bare process", strat("// @ts-ignore\nprocess.exit(1);"), /process is not defined/],
  ["require() call", strat("// @ts-ignore\nrequire('fs');"), /may only import "workstation"/],
  ["reaching for require at run time", strat("const r = (globalThis as any)['req' + 'uire']; r('fs');"), /r is not a function/],
  ["static import of a Node module", strat("", 'import fs from "node:fs"; void fs;'), /may only import "workstation"/],
  ["fetch", strat("// @ts-ignore\nfetch('http://127.0.0.1:1/');"), /fetch is not defined/],
  ["timers", strat("// @ts-ignore\nsetTimeout(() => 0, 1);"), /setTimeout is not defined/],
  ["constructor chain to the host", strat("({}).constructor.constructor('return process')();"), /process is not defined/],
  ["constructor chain via a ctx function", strat("(ctx.buy as any).constructor.constructor('return process.mainModule')();"), /process is not defined/],
  ["generator constructor chain", strat("new (Object.getPrototypeOf(function* () {}).constructor)('yield process')().next();"), /process is not defined/],
  ["Function('return this') sees no host objects", strat("const g = Function('return this')(); if (g.process || g.require || g.fetch) throw new Error('leak'); g.nope.x;"), /Cannot read properties of undefined/],
  ["Atomics.wait blocking", strat("Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0);"), /is not defined/],
  ["WebAssembly", strat("// @ts-ignore\nWebAssembly.compile(new Uint8Array(8));"), /WebAssembly is not defined/],
  ["throwing a number", strat("throw 42;"), /non-Error value: 42.*onBar, bar #0/],
  ["throwing a string", strat('throw "boom";'), /non-Error value: boom/],
  ["throwing null", strat("throw null;"), /non-Error value: null/],
  ["throwing an object with a hostile toString", strat("throw { toString() { throw new Error('gotcha'); } };"), /non-Error value: an object/],
  ["throwing a Proxy", strat("throw new Proxy({}, { get() { throw new Error('trap'); } });"), /non-Error value/],
  ["an Error whose message getter throws", strat("const e = new Error('x'); Object.defineProperty(e, 'message', { get() { throw 1; } }); throw e;"), /cannot be described|non-Error|Error/],
  ["async onBar", strat("", "", "").replace("onBar(bar, ctx)", "async onBar(bar, ctx)"), /onBar must be synchronous/],
  ["top-level await never resolving", strat("", "await new Promise(() => {});"), /Top-level await/i],
  ["no default export", 'import { defineStrategy } from "workstation";\nexport const x = defineStrategy;\n', /must `export default defineStrategy/],
  ["order flood (giant results)", strat("for (let i = 0; i < 5000; i++) ctx.buy(1, { type: 'limit', price: 1 });"), /too many open orders|order limit|memory limit/],
  ["RegExp legacy statics are gone", strat('/(a)/.exec("a"); if ((RegExp as any).$1 === undefined && !("input" in RegExp)) throw new Error("no legacy statics");'), /no legacy statics/],
  ["writing RegExp.input", strat('(RegExp as any).input = "leak";'), /not extensible|Cannot add property|read.only/],
  ["Error.stackTraceLimit", strat("(Error as any).stackTraceLimit = 0;"), /read.only|Cannot assign/],
  ["an Error whose stack getter loops", strat("if (ctx.barIndex === 5) { const e = new Error('x'); Object.defineProperty(e, 'stack', { get() { for (;;) {} } }); throw e; }"), /UnreadableThrown: the strategy threw an object that could not be read \(in onBar, bar #5/],
  ["a thrown Proxy whose trap loops", strat("throw new Proxy({}, { getPrototypeOf() { for (;;) {} } });", "", "setup: () => { throw new Proxy({}, { getPrototypeOf() { for (;;) {} } }); },"), /the strategy threw an object that could not be read \(in setup\)/],
  ["a thrown value whose toString loops", strat("", "", "setup: () => { throw { [Symbol.toPrimitive]() { for (;;) {} } }; },"), /non-Error value: an object/],
  ["an Error whose name getter throws a looping object", strat("const e = new Error('x'); Object.defineProperty(e, 'name', { get() { throw { get message() { for (;;) {} } }; } }); throw e;"), /could not be read|cannot be described/],
];

describe("hostile strategies are contained", () => {
  it.each(FAILING)("%s", async (name, source, expected) => {
    expect(await failure(source, /memory|flood/.test(name) ? MEMORY_LIMITS : LIMITS)).toMatch(expected);
    await expectHealthy();
  });

  it("keeps the log lines written before the strategy threw, with the error", async () => {
    try {
      await run(strat('ctx.log("bar", ctx.barIndex); if (ctx.barIndex === 2) throw new Error("boom");'));
      expect.unreachable();
    } catch (err) {
      expect((err as Error).message).toMatch(/Error: boom \(in onBar, bar #2/);
      expect(((err as ApiError).details as StrategyErrorInfo).logs).toEqual(["bar 0", "bar 1", "bar 2"]);
    }
  });

  it("never-resolving async work started in onBar is harmless", async () => {
    const r = await run(strat("new Promise(() => {}); void import(String('node:fs')).catch(() => 0);"));
    expect(r.bars).toBe(200);
    await expectHealthy();
  });

  it("huge log output is capped with a count of dropped lines", async () => {
    const r = await run(strat("if (ctx.barIndex < 2) { const big = 'x'.repeat(1e5); for (let i = 0; i < 5000; i++) ctx.log('line', i, big); }"));
    expect(r.logs.length).toBeLessThanOrEqual(1000);
    expect(r.logs.every((l) => l.length <= 2001)).toBe(true);
    expect(r.logsDropped).toBeGreaterThan(0);
    await expectHealthy();
  });

  it("console output and circular objects go to the capped log", async () => {
    const r = await run(strat("if (ctx.barIndex === 0) { const o: any = {}; o.o = o; console.log('hi', o); }"));
    expect(r.logs).toEqual(["hi [object]"]);
  });

  it("Intl date formatting without a date uses the bar's time, not the wall clock", async () => {
    const fmt = 'new Intl.DateTimeFormat("en-US", { timeZone: "UTC", year: "numeric", hour: "2-digit", minute: "2-digit", hour12: false })';
    const src = strat(`if (ctx.barIndex === 2) ctx.log(${fmt}.format(), ${fmt}.formatToParts().find((p) => p.type === "year")?.value);`);
    const r = await run(src);
    expect(r.logs).toEqual(["1970, 00:02 1970"]);
  });

  it("Math.random and Date are deterministic inside the sandbox", async () => {
    const src = strat("if (ctx.barIndex < 3) ctx.log(Math.random(), Date.now(), new Date().getTime());");
    const a = await run(src);
    const b = await run(src);
    expect(a.logs).toEqual(b.logs);
    expect(a.logs[1]!.split(" ").slice(1)).toEqual(["60000", "60000"]);
  });

  it("a worker killed during a run fails only that run and is replaced", async () => {
    const restarted = new Promise<number>((resolve) => pool.once("restart", (_i: number, pid: number) => resolve(pid)));
    const [pid] = pool.status().pids;
    const s = await prepareStrategy(strat("for (;;) {}"), "loop.ts", { typecheck: false });
    const running = backtestOnPool(pool, s, bars, { cash: 10_000, commission: 0, slippageBps: 0 }, LIMITS);
    // The request is posted once the microtasks of this turn have run.
    setImmediate(() => process.kill(pid!, "SIGKILL"));
    await expect(running).rejects.toBeInstanceOf(WorkerCrashedError);
    expect(await restarted).not.toBe(pid);
    await expectHealthy();
  });
});

/** The issue's type bomb: the permutations of a 10-member union (minutes and gigabytes unchecked). */
const TYPE_BOMB = `type U = 'a' | 'b' | 'c' | 'd' | 'e' | 'f' | 'g' | 'h' | 'i' | 'j';
type Perm<T, K = T> = [T] extends [never] ? [] : K extends K ? [K, ...Perm<Exclude<T, K>>] : never;
const x: Perm<U> = null!;
export default x;
`;

/** Name, source, the one line expected, and the helpers' deadline (default 20 s). */
const COMPILER_BOMBS: [string, string, RegExp, number?][] = [
  ["300k nested array literals", `export default ${"[".repeat(300_000)}${"]".repeat(300_000)}`, /^hostile\.ts:1:272: error: .*nest more than 256 levels deep \(the limit\)$/],
  ["300k nested template substitutions", `export default ${"`${".repeat(150_000)}1${"}`".repeat(150_000)}`, /^hostile\.ts:1:\d+: error: .*nest more than 256 levels/],
  ["a source over 1 MB", strat("", `// ${"x".repeat(1024 * 1024)}`), /^hostile\.ts:1:1: error: the strategy is [\d,]+ bytes; the limit is 1 MB/],
  ["300k prefix operators (esbuild's service dies)", `export default ${"!".repeat(300_000)}1;`, /^hostile\.ts:1:1: error: esbuild crashed compiling this strategy/],
  ["a type-level permutation bomb", TYPE_BOMB, /^hostile\.ts:1:1: error: type check exceeded 1 s$/, 1000],
];

describe("compiler and type-checker bombs are contained", () => {
  it.each(COMPILER_BOMBS)("%s: one line, and the next strategy compiles", async (_name, source, expected, deadlineMs) => {
    const limits = deadlineMs ? { deadlineMs } : {};
    const message = await prepareStrategy(source, "hostile.ts", { typecheck: true, limits }).then(
      () => "compiled",
      (err: unknown) => (err as Error).message,
    );
    expect(message).toMatch(expected);
    const next = await prepareStrategy(strat("ctx.log(bar.close);"), "ok.ts", { typecheck: true });
    expect(next.code).toContain("__strategyModule");
  });
});

describe("memory bombs that outrun the heap limit", () => {
  const BOMBS: [string, string][] = [
    ["a sparse array filled in one native call", strat("new Array(1e8).fill(0);")],
    ["a growing Map", strat("const m = new Map<number, number>(); for (let i = 0; ; i++) m.set(i, i);")],
  ];
  it.each(BOMBS)("%s ends with MemoryLimit within seconds, and the next run works", async (_name, source) => {
    const t0 = Date.now();
    expect(await failure(source, MEMORY_LIMITS)).toMatch(/MemoryLimit: the strategy used more than its memory limit of 64 MB/);
    expect(Date.now() - t0).toBeLessThan(8000);
    expect((await run(strat("if (ctx.barIndex === 0) ctx.buy(1);"))).trades).toHaveLength(1);
    await expectHealthy();
  });

  it("in a sweep, only the combination that set it off fails", async () => {
    const source = strat("if (ctx.params.bomb === 1) { const m = new Map<number, number>(); for (let i = 0; ; i++) m.set(i, i); }").replace("params: {}", "params: { bomb: 0 }");
    const s = await prepareStrategy(source, "bomb.ts", { typecheck: false });
    const rows = await runSweep(pool, s, bars, { cash: 10_000, commission: 0, slippageBps: 0 }, MEMORY_LIMITS, { grid: { bomb: [0, 1, 0, 0] }, holdout: 0, concurrency: 1 });
    expect(rows.map((r) => (r.ok ? "ok" : r.error))).toEqual(["ok", expect.stringMatching(/MemoryLimit/), "ok", "ok"]);
    await expectHealthy();
  });
});

describe("host-dependent built-ins", () => {
  it("a worker started under another time zone and locale still sees UTC and en-US", async () => {
    const saved = { TZ: process.env.TZ, LANG: process.env.LANG, LC_ALL: process.env.LC_ALL };
    Object.assign(process.env, { TZ: "Asia/Kolkata", LANG: "de_DE.UTF-8", LC_ALL: "de_DE.UTF-8" });
    const foreign = new WorkerPool({ size: 1, entry: defaultWorkerEntry(), execArgv: WORKER_EXEC_ARGV, log: silentLogger() });
    try {
      await foreign.warmUp();
      const body = "if (ctx.barIndex === 2) { const d = new Date(); const o = Intl.DateTimeFormat().resolvedOptions(); ctx.log([d.getHours(), d.getMinutes(), d.toString(), d.toLocaleString(), o.timeZone, o.locale, (1234.5).toLocaleString()].join('|')); }";
      const r = await run(strat(body), LIMITS, undefined, foreign);
      expect(r.logs).toEqual(["0|2|Thu Jan 01 1970 00:02:00 GMT+0000 (Coordinated Universal Time)|1/1/1970, 12:02:00 AM|UTC|en-US|1,234.5"]);
    } finally {
      await foreign.shutdown();
      for (const [k, v] of Object.entries(saved)) {
        if (v === undefined) delete process.env[k];
        else process.env[k] = v;
      }
    }
  });
});

describe("output bombs are capped", () => {
  const capped = { ...LIMITS, maxOrders: 50, maxTrades: 5 };
  it("orders past the per-run cap", async () => {
    expect(await failure(strat("ctx.buy(1, { type: 'limit', price: 1 });"), capped)).toMatch(/order limit reached \(50 orders per run\) \(in onBar, bar #50/);
  });

  it("trades past the per-run cap", async () => {
    expect(await failure(strat("if (ctx.position.size === 0) ctx.buy(1); else ctx.close();"), capped)).toMatch(/trade limit reached \(5 trades per run\)/);
  });

  it("tags longer than 64 characters, refused when the order is placed", async () => {
    expect(await failure(strat("ctx.buy(1, { tag: 'x'.repeat(65) });"))).toMatch(/order tag is 65 characters long; at most 64 \(in onBar, bar #0/);
    const r = await run(strat("if (ctx.barIndex === 0) ctx.buy(1, { tag: 'x'.repeat(64) });"));
    expect(r.orders[0]!.tag).toHaveLength(64);
  });

  it("params over 64 KB of JSON, refused before the run (given or declared)", async () => {
    const big = strat("", "", "").replace("params: {}", "params: { s: '' }");
    await expect(run(big, LIMITS, { s: "x".repeat(70_000) })).rejects.toThrow(/the params are 69 KB of JSON; at most 64 KB/);
    const declared = strat("", "", "").replace("params: {}", "params: { s: 'x'.repeat(70_000) }");
    expect(await failure(declared)).toMatch(/the strategy's params are 69 KB of JSON; at most 64 KB/);
  });

  it("under the caps every trade comes back", async () => {
    const r = await run(strat("if (ctx.position.size === 0) ctx.buy(1); else ctx.close();"), { ...LIMITS, maxOrders: 1000, maxTrades: 1000 });
    expect(r.trades.length).toBe(100);
    expect(r.orders.length).toBe(200);
  });
});
