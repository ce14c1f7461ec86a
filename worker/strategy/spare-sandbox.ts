/**
 * One spare sandbox per worker, ready before the next backtest: a fresh isolate with the engine
 * loaded whose hot paths (indicators, the bar loop, market orders, fills, the records' JSON) were
 * run and optimised by a built-in warm-up strategy (the SMA crossover template) over synthetic
 * bars while the worker was idle. A fresh isolate otherwise runs its first 1M bars in unoptimised
 * code (boxed doubles, many scavenges, tenuring deopts): tens of ms slower.
 *
 * Only built-in code and bars ever ran in a spare: a backtest takes it, compiles its own strategy
 * into it (`adopt`: the next run loads the new module, reseeded, with the kernel state reset, in
 * the global scope `__ws.lockdown` froze before the warm-up ran), and disposes it afterwards as
 * before; a new spare is made once no job runs. Making it never competes with a job: it starts
 * only when the worker is idle, and a job arriving meanwhile cancels it (the job opens a cold
 * sandbox). A spare has one heap limit (that of the last backtest; 256 MB at first); a backtest
 * with another limit opens a cold sandbox as before. Time budgets are per run, as with any sandbox.
 */
import { isMainThread } from "node:worker_threads";
import type { SandboxLimits } from "../../common/strategy/results.ts";
import { DEFAULT_LIMITS } from "../../common/strategy/results.ts";
import { StrategySandbox, type SandboxRequest, type SandboxResult, type SandboxSetup } from "./sandbox.ts";

/** Bars per warm-up run and the runs made: ~150 ms of engine time on a desktop core. */
export const WARM_UP_BARS = 200_000;
export const WARM_UP_RUNS = 3;

/** The warm-up strategy: the SMA crossover template, as the transpiled module shape the sandbox loads. */
const WARM_UP_CODE = `var __strategyModule = { default: __ws.api.defineStrategy({
  params: { fast: 10, slow: 30, fraction: 0.95 },
  setup: ({ params, ta }) => ({ fast: ta.sma(params.fast), slow: ta.sma(params.slow), above: false }),
  onBar(bar, ctx, s) {
    const f = s.fast.update(bar.close), sl = s.slow.update(bar.close);
    if (Number.isNaN(f) || Number.isNaN(sl)) return;
    const above = f > sl;
    if (above && !s.above && ctx.position.size === 0) {
      const size = ctx.sizeFor(ctx.params.fraction);
      if (size > 0) ctx.buy(size);
    }
    if (!above && s.above && ctx.position.size > 0) ctx.close();
    s.above = above;
  },
}) };`;

type Spare = { limits: SandboxLimits; abort: AbortController; sandbox: StrategySandbox | null; ready: Promise<void> };

let spare: Spare | null = null;
let jobs = 0;
let lastLimits: SandboxLimits = DEFAULT_LIMITS;
/** Spares are made only when the pool asked for them (`WS_SPARE_SANDBOX=1`, core's long-lived pool); a one-shot pool starts every backtest cold. */
let enabled = process.env.WS_SPARE_SANDBOX === "1";

/** The warm-up bars in the hand-off layout (`[n, time×n, open×n, high×n, low×n, close×n, volume×n]`): a seeded random walk. */
export function warmUpBars(n: number): Float64Array {
  const packed = new Float64Array(new SharedArrayBuffer((1 + 6 * n) * 8));
  packed[0] = n;
  let price = 100;
  let seed = 7;
  for (let i = 0; i < n; i++) {
    seed = (seed * 1103515245 + 12345) >>> 0;
    const open = price;
    price *= 1 + (seed / 2 ** 32 - 0.5) * 0.002;
    packed[1 + i] = 1_700_000_000_000 + i * 60_000;
    packed[1 + n + i] = open;
    packed[1 + 2 * n + i] = Math.max(open, price) * 1.0005;
    packed[1 + 3 * n + i] = Math.min(open, price) * 0.9995;
    packed[1 + 4 * n + i] = price;
    packed[1 + 5 * n + i] = 1000;
  }
  return packed;
}

/** Opens a sandbox and runs the warm-up strategy in it; null when cancelled or failed. */
async function warmSandbox(limits: SandboxLimits, signal: AbortSignal): Promise<StrategySandbox | null> {
  let sandbox: StrategySandbox | null = null;
  try {
    sandbox = await StrategySandbox.openEngine(limits, 1, signal);
    const setup: SandboxSetup = { code: WARM_UP_CODE, sourceMap: null, filename: "warm-up.js", limits, seed: 1 };
    await sandbox.adopt(setup, signal);
    const packed = warmUpBars(WARM_UP_BARS);
    const out = new SharedArrayBuffer(WARM_UP_BARS * 9);
    const config = { cash: 1_000_000, commission: 0.001, slippageBps: 0 };
    for (let i = 0; i < WARM_UP_RUNS; i++) await sandbox.run({ packed, symbol: "WARM", config, out }, signal);
    return sandbox;
  } catch {
    sandbox?.dispose();
    return null;
  }
}

/** Starts making a spare (with the last backtest's limits) unless a job runs or one is there already. */
export function prepareSpare(): void {
  if (!enabled || jobs > 0 || (spare !== null && spare.limits.memoryMb === lastLimits.memoryMb)) return;
  dropSpare();
  const entry: Spare = { limits: lastLimits, abort: new AbortController(), sandbox: null, ready: Promise.resolve() };
  entry.ready = warmSandbox(entry.limits, entry.abort.signal).then((sandbox) => {
    if (spare === entry && sandbox !== null && !entry.abort.signal.aborted) entry.sandbox = sandbox;
    else {
      sandbox?.dispose();
      if (spare === entry) spare = null;
    }
  });
  spare = entry;
}

/** Disposes the spare, or cancels the one being made. */
export function dropSpare(): void {
  if (spare === null) return;
  spare.abort.abort();
  spare.sandbox?.dispose();
  spare = null;
}

/**
 * Marks a job running (no spare is made meanwhile; one being made is cancelled) and returns the
 * ready spare if it has `limits`' heap limit (the caller adopts its strategy into it), else null.
 * A job without `limits` (a sweep batch) never takes the spare and leaves a ready one in place.
 */
export function beginJob(limits: SandboxLimits | null): StrategySandbox | null {
  jobs++;
  if (limits !== null) lastLimits = limits;
  if (spare === null || (limits === null && spare.sandbox !== null)) return null;
  const { sandbox } = spare;
  const fits = sandbox !== null && sandbox.usable && limits !== null && spare.limits.memoryMb === limits.memoryMb;
  if (!fits) {
    // Being made (cancelled: it would compete with the job) or of another heap limit.
    dropSpare();
    return null;
  }
  spare = null;
  return sandbox;
}

/** Marks a job finished; once none runs, a new spare is made in the background. */
export function endJob(): void {
  jobs = Math.max(0, jobs - 1);
  if (jobs === 0) setImmediate(prepareSpare);
}

/**
 * Holds off the next spare until the returned release is called (once; later calls do nothing): a
 * backtest holds it until its answer is written, since making a spare (compiling the engine, the
 * warm-up runs) would compete for the CPU with the metrics, the saved body's compression and the
 * answer itself, which the caller waits for.
 */
export function holdSpare(): () => void {
  jobs++;
  let held = true;
  return () => {
    if (!held) return;
    held = false;
    endJob();
  };
}

/** Resolves once no spare is being made (ready, absent or cancelled): benchmarks and tests. */
export async function spareSettled(): Promise<boolean> {
  prepareSpare();
  await spare?.ready;
  return spare?.sandbox != null;
}

/**
 * A one-shot worker's first sandbox (`WS_SPARE_SANDBOX=first`, a CLI backtest's worker): the engine
 * loaded into a fresh isolate as soon as the worker starts — on isolated-vm's thread, while the
 * main thread waits for the request and reads the bars — without a warm-up, for the first backtest.
 */
let first: Promise<StrategySandbox | null> | null = null;

/** Starts opening the first sandbox when this worker was asked to (default heap limit). */
export function prepareFirstSandbox(): void {
  if (process.env.WS_SPARE_SANDBOX !== "first" || first !== null || !isMainThread) return;
  first = StrategySandbox.openEngine(DEFAULT_LIMITS, 1, new AbortController().signal).catch(() => null);
}

/** The first sandbox once open, if there is one and it has `limits`' heap limit (else it is disposed); taken once. */
async function takeFirstSandbox(limits: SandboxLimits): Promise<StrategySandbox | null> {
  const opening = first;
  if (opening === null) return null;
  first = Promise.resolve(null);
  const sandbox = await opening;
  if (sandbox !== null && sandbox.usable && sandbox.memoryMb === limits.memoryMb) return sandbox;
  sandbox?.dispose();
  return null;
}

/** Turns spares on or off (off drops the current one): tests compare against cold sandboxes. */
export function setSpareEnabled(on: boolean): void {
  enabled = on;
  if (!on) dropSpare();
}

/**
 * Runs one backtest in the worker's warmed spare sandbox when it has this heap limit, else in a
 * new isolate (every step shares the run's time budget), then disposes it; a new spare is made
 * once the worker is idle.
 */
export async function runInSandbox(req: SandboxRequest, signal: AbortSignal): Promise<SandboxResult> {
  const deadline = Date.now() + req.limits.timeoutMs;
  const setup = { ...req, seed: req.config.seed ?? 1 };
  let sandbox = beginJob(req.limits);
  try {
    sandbox ??= await takeFirstSandbox(req.limits);
    if (sandbox !== null) await sandbox.adopt(setup, signal);
    else sandbox = await StrategySandbox.open(setup, signal, deadline);
    return await sandbox.run(req, signal, deadline);
  } finally {
    sandbox?.dispose();
    endJob();
  }
}
