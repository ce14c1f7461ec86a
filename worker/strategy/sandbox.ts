/**
 * Runs backtests in isolated-vm isolates. A {@link StrategySandbox} is one isolate prepared for one
 * strategy: load the engine, harden the globals, compile the transpiled strategy. Each run loads a
 * fresh instance of the strategy module (reseeding `Math.random`), hands the bars in once
 * (columnar, shared memory: no copy), runs the whole bar loop inside (equity and exposure are
 * written into shared memory) and takes the records out once as JSON. A single backtest uses a
 * new sandbox and disposes it; a sweep batch reuses one for its combinations (so the engine's
 * compiled code stays warm) and replaces it after any failure of the isolate itself. The isolate
 * has a heap limit and each run a time budget; cancelling disposes the isolate at once. Errors
 * come back as {@link StrategyRunError} with the strategy's own line:column.
 */
import ivm from "isolated-vm";
import { ApiError } from "../../common/api/index.ts";
import type { PackedOutcome, ThrownInfo } from "../../common/strategy/engine/sandbox-entry.ts";
import type { StrategyErrorInfo } from "../../common/strategy/errors.ts";
import { formatStrategyError } from "../../common/strategy/errors.ts";
import type { BacktestConfig, EngineResult, SandboxLimits } from "../../common/strategy/results.ts";
import { takeShared } from "./bars-file.ts";
import { engineScript } from "./engine-script.ts";
import { ENGINE_SCRIPT, STRATEGY_SCRIPT, StrategyMapper } from "./source-map.ts";

/** A strategy failed: compile, runtime or limit. `details` is a {@link StrategyErrorInfo}. */
export class StrategyRunError extends ApiError {
  readonly info: StrategyErrorInfo;
  constructor(info: StrategyErrorInfo) {
    super(info.kind === "limit" && info.name === "TimeLimit" ? "timeout" : "bad_request", formatStrategyError(info), info);
    this.info = info;
  }
}

/** One sandboxed run. */
export interface SandboxRequest {
  /** Transpiled strategy (an IIFE assigning `__strategyModule`). */
  code: string;
  sourceMap: string | null;
  /** The strategy's file name for error locations. */
  filename: string;
  /** The bars in the hand-off format, in shared memory (read by the isolate without a copy). */
  packed: Float64Array;
  symbol: string;
  config: BacktestConfig;
  limits: SandboxLimits;
  /** Where to write equity and exposure (9 bytes per bar), reused across runs; from `takeShared` when absent. */
  out?: SharedArrayBuffer;
  /** Sweeps: the result comes back without orders and log lines (both empty). */
  summary?: boolean;
}

/** The engine's result and the time spent inside the sandbox's run call. */
export interface SandboxResult {
  result: EngineResult;
  engineMs: number;
}

function limitError(name: string, message: string): StrategyRunError {
  return new StrategyRunError({ kind: "limit", name, message, stack: "", location: null, phase: null, barIndex: null, barTime: null });
}

function hostError(err: unknown, limits: SandboxLimits, signal: AbortSignal, mapper: StrategyMapper): Error {
  if (signal.aborted) return new ApiError("cancelled", "cancelled");
  const message = err instanceof Error ? err.message : String(err);
  if (/timed out/i.test(message)) return limitError("TimeLimit", `the strategy ran longer than its time limit of ${limits.timeoutMs} ms`);
  if (/memory limit/i.test(message)) return limitError("MemoryLimit", `the strategy used more than its memory limit of ${limits.memoryMb} MB`);
  if (/disposed/i.test(message)) return limitError("Disposed", `the sandbox was stopped: ${message}`);
  const mapped = err instanceof Error && typeof err.stack === "string" ? mapper.mapStack(err.stack) : { stack: "", location: null };
  return new StrategyRunError({
    kind: "runtime",
    name: err instanceof Error ? err.name : "NonErrorThrown",
    message: err instanceof Error ? message : `the strategy threw a non-Error value: ${message.slice(0, 200)}`,
    stack: mapped.stack,
    location: mapped.location,
    phase: "load",
    barIndex: null,
    barTime: null,
  });
}

function thrownError(t: ThrownInfo, mapper: StrategyMapper): StrategyRunError {
  const mapped = mapper.mapStack(t.stack);
  return new StrategyRunError({ kind: "runtime", name: t.name, message: t.message, stack: mapped.stack, location: mapped.location, phase: t.phase, barIndex: t.barIndex, barTime: t.barTime });
}

/** V8's code cache of the engine script, made by the first isolate of this process. */
let engineCache: ivm.ExternalCopy<ArrayBuffer> | null = null;

/** What isolated-vm sets on a compiled script beside the declared type (see its `CachedDataResult`). */
type CachedScript = ivm.Script & { cachedData?: ivm.ExternalCopy<ArrayBuffer>; cachedDataRejected?: boolean };

/** Compiles the engine script, from the code cache when there is one (and makes it otherwise). */
async function compileEngine(isolate: ivm.Isolate): Promise<ivm.Script> {
  const source = engineScript();
  if (engineCache !== null) {
    const script: CachedScript = await isolate.compileScript(source, { filename: ENGINE_SCRIPT, cachedData: engineCache });
    if (script.cachedDataRejected !== true) return script;
    engineCache = null;
  }
  const script: CachedScript = await isolate.compileScript(source, { filename: ENGINE_SCRIPT, produceCachedData: true });
  if (script.cachedData) engineCache = script.cachedData;
  return script;
}

/** The part of a {@link SandboxRequest} that prepares a sandbox. */
export type SandboxSetup = Pick<SandboxRequest, "code" | "sourceMap" | "filename" | "limits"> & { seed: number };

/** The part of a {@link SandboxRequest} that one run needs. */
export type SandboxRun = Omit<SandboxRequest, "code" | "sourceMap" | "filename" | "limits">;

/** Disposes `isolate` when `signal` aborts while `work` runs. */
async function abortable<T>(isolate: ivm.Isolate, signal: AbortSignal, work: () => Promise<T>): Promise<T> {
  const onAbort = () => {
    if (!isolate.isDisposed) isolate.dispose();
  };
  signal.addEventListener("abort", onAbort, { once: true });
  try {
    if (signal.aborted) throw new ApiError("cancelled", "cancelled");
    return await work();
  } finally {
    signal.removeEventListener("abort", onAbort);
  }
}

/** One isolate prepared for one strategy; runs may repeat (sweeps), each with a fresh module. */
export class StrategySandbox {
  private readonly isolate: ivm.Isolate;
  private readonly limits: SandboxLimits;
  private readonly mapper: StrategyMapper;
  private context: ivm.Context | null = null;
  private strategy: ivm.Script | null = null;

  private constructor(setup: SandboxSetup) {
    this.limits = setup.limits;
    this.mapper = new StrategyMapper(setup.sourceMap, setup.filename);
    this.isolate = new ivm.Isolate({
      memoryLimit: setup.limits.memoryMb,
      onCatastrophicError: (message) => {
        process.stderr.write(`strategy sandbox: catastrophic isolate error, ending this worker: ${message}\n`);
        process.abort();
      },
    });
  }

  /** Creates the isolate, loads the engine, hardens the scope and compiles the strategy. */
  static async open(setup: SandboxSetup, signal: AbortSignal, deadline = Date.now() + setup.limits.timeoutMs): Promise<StrategySandbox> {
    const sandbox = new StrategySandbox(setup);
    try {
      await sandbox.guard(signal, async () => {
        const { isolate } = sandbox;
        const left = () => Math.max(1, deadline - Date.now());
        const context = await isolate.createContext();
        const engine = await compileEngine(isolate);
        await engine.run(context, { timeout: left() });
        await context.evalClosure("__ws.lockdown($0)", [setup.seed], { timeout: left() });
        const wrapped = `__ws.load(function () { "use strict";\n${setup.code}\nreturn __strategyModule;\n});`;
        sandbox.strategy = await isolate.compileScript(wrapped, { filename: STRATEGY_SCRIPT, lineOffset: -1 });
        sandbox.context = context;
      });
      return sandbox;
    } catch (err) {
      sandbox.dispose();
      throw err;
    }
  }

  /** False once the isolate is gone (disposed, cancelled, out of memory): open a new sandbox. */
  get usable(): boolean {
    return !this.isolate.isDisposed && this.context !== null;
  }

  /** One backtest with a fresh instance of the strategy module; the budget starts now unless `deadline` is given. */
  async run(req: SandboxRun, signal: AbortSignal, deadline = Date.now() + this.limits.timeoutMs): Promise<SandboxResult> {
    const { context, strategy } = this;
    if (context === null || strategy === null || this.isolate.isDisposed) throw limitError("Disposed", "the sandbox was stopped: it is no longer usable");
    return this.guard(signal, async () => {
      const left = () => Math.max(1, deadline - Date.now());
      await context.evalClosure("__ws.reseed($0)", [req.config.seed ?? 1], { timeout: left() });
      await strategy.run(context, { timeout: left() });
      const n = (req.packed.length - 1) / 6;
      const out = req.out !== undefined && req.out.byteLength >= n * 9 ? req.out : takeShared(n * 9);
      const args = [
        new ivm.ExternalCopy(req.packed.buffer).copyInto(),
        req.symbol,
        new ivm.ExternalCopy(out).copyInto(),
        new ivm.ExternalCopy(req.config).copyInto(),
        req.summary === true,
      ];
      const outcome = (await context.evalClosure("return __ws.runPacked($0, $1, $2, $3, $4)", args, { result: { copy: true }, timeout: left() })) as PackedOutcome;
      if (!outcome.ok) throw thrownError(outcome.error, this.mapper);
      const records = JSON.parse(outcome.json) as Omit<EngineResult, "equity" | "exposure">;
      const result: EngineResult = { ...records, equity: new Float64Array(out, 0, n), exposure: new Uint8Array(out, n * 8, n) };
      return { result, engineMs: outcome.engineMs };
    });
  }

  /** Frees the isolate. */
  dispose(): void {
    this.context = null;
    if (!this.isolate.isDisposed) this.isolate.dispose();
  }

  /** Runs `work`, disposing on cancel; a failure of the isolate itself (limit, crash) disposes it too. */
  private async guard<T>(signal: AbortSignal, work: () => Promise<T>): Promise<T> {
    try {
      return await abortable(this.isolate, signal, work);
    } catch (err) {
      if (err instanceof StrategyRunError && err.info.kind === "runtime") throw err;
      this.dispose();
      if (err instanceof ApiError) throw err;
      throw hostError(err, this.limits, signal, this.mapper);
    }
  }
}

/** Runs one backtest in a new isolate (every step shares the run's time budget), then disposes it. */
export async function runInSandbox(req: SandboxRequest, signal: AbortSignal): Promise<SandboxResult> {
  const deadline = Date.now() + req.limits.timeoutMs;
  const sandbox = await StrategySandbox.open({ ...req, seed: req.config.seed ?? 1 }, signal, deadline);
  try {
    return await sandbox.run(req, signal, deadline);
  } finally {
    sandbox.dispose();
  }
}
