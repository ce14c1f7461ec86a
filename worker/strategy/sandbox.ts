/**
 * Runs backtests in isolated-vm isolates. A {@link StrategySandbox} is one isolate prepared for one
 * strategy: load the engine, harden the globals, compile the transpiled strategy. Each run loads a
 * fresh instance of the strategy module (reseeding `Math.random`), hands the bars in once
 * (columnar, shared memory: no copy), runs the whole bar loop inside (equity and exposure are
 * written into shared memory) and takes the records out once as JSON. A single backtest uses a
 * new sandbox, or the worker's warmed spare (`openEngine` then `adopt`, see `spare-sandbox.ts`),
 * and disposes it; a sweep batch reuses one for its combinations (so the engine's
 * compiled code stays warm, and so does the strategy's: later runs make their fresh module
 * instance from the factory the first run's script handed in, see `__ws.reload`) and replaces it
 * after any failure of the isolate itself. The isolate
 * has a heap limit and each run a time budget; cancelling disposes the isolate at once. Memory is
 * capped hard too: a catastrophic out-of-memory error or the worker's memory watchdog
 * (`memory-watchdog.ts`) ends the run with MemoryLimit at once and retires the worker, whose
 * stuck isolate thread cannot be freed. Errors come back as {@link StrategyRunError} with the
 * strategy's own line:column, the phase and bar, and the log lines written before the failure;
 * what the strategy threw is read in a second call with a small budget of its own, so a thrown
 * value whose getters loop cannot turn the error into a time-out.
 */
import ivm from "isolated-vm";
import { ApiError } from "../../common/api/errors.ts";
import type { FailureWhere, PackedOutcome, RecordsJson, SessionOutcome, ThrownText } from "../../common/strategy/engine/sandbox-entry.ts";
import type { SessionConfig } from "../../common/strategy/engine/session.ts";
import type { BacktestConfig, EngineResult, SandboxLimits } from "../../common/strategy/results.ts";
import { retireWorker } from "../retire.ts";
import { takeShared } from "./bars-file.ts";
import { engineScript } from "./engine-script.ts";
import { watchMemory } from "./memory-watchdog.ts";
import { UNREADABLE_THROWN, hostError, limitError, memoryLimitError, sharedMemoryBreachError, StrategyRunError, thrownError } from "./run-errors.ts";
import { ENGINE_SCRIPT, STRATEGY_SCRIPT, StrategyMapper } from "./source-map.ts";

export { StrategyRunError } from "./run-errors.ts";

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
  /** The records but the orders (left as text: a backtest's caller only stores them), parsed. */
  result: Omit<EngineResult, "orders">;
  engineMs: number;
  /** The result's records (all but equity and exposure) as the JSON texts the sandbox produced. */
  recordsJson: RecordsJson;
  /** CPU time of the isolate during the run call (the engine, its GCs; not the load): diagnostics. */
  cpuMs: number;
}

/**
 * Time to read what a failed run threw (its name, message and stack may be getters or Proxy
 * traps of the strategy's); past it the error says the thrown object could not be read.
 */
export const DESCRIBE_BUDGET_MS = 250;

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

/** The largest timeout isolated-vm takes (a 32-bit signed count of ms). */
const MAX_TIMEOUT_MS = 2 ** 31 - 1;

/** Whether `limits` can run a sandbox: a heap of at least isolated-vm's 8 MB and a timeout it takes. */
export function usableLimits(limits: unknown): limits is SandboxLimits {
  if (typeof limits !== "object" || limits === null) return false;
  const { memoryMb, timeoutMs } = limits as Partial<Record<keyof SandboxLimits, unknown>>;
  return typeof memoryMb === "number" && memoryMb >= 8 && memoryMb <= 1_000_000 && Number.isSafeInteger(timeoutMs) && (timeoutMs as number) > 0 && (timeoutMs as number) <= MAX_TIMEOUT_MS;
}

/** One isolate prepared for one strategy; runs may repeat (sweeps), each with a fresh module. */
export class StrategySandbox {
  private readonly isolate: ivm.Isolate;
  private limits: SandboxLimits;
  private mapper: StrategyMapper;
  private context: ivm.Context | null = null;
  private strategy: ivm.Script | null = null;
  /** True once the strategy's script has run (later runs instantiate the module with `__ws.reload`). */
  private scriptRan = false;
  /** Rejects when the sandbox is halted from outside its thread (see {@link halt}). */
  private readonly halted: Promise<never>;
  private rejectHalted: (err: Error) => void = () => undefined;
  private stuck = false;
  /** Why the sandbox was halted from outside a call (the memory watchdog, a crash). */
  private haltError: Error | null = null;
  /** Stops the memory watch of a running session. */
  private endSessionWatch: (() => void) | null = null;
  /** The session's step function inside the isolate (called directly: no closure to compile per step). */
  private sessionStepFn: ivm.Reference<(json: string) => SessionOutcome> | null = null;

  private constructor(limits: SandboxLimits) {
    this.limits = limits;
    this.mapper = new StrategyMapper(null, "strategy.ts");
    this.halted = new Promise<never>((_, reject) => (this.rejectHalted = reject));
    this.halted.catch(() => undefined);
    this.isolate = new ivm.Isolate({
      memoryLimit: limits.memoryMb,
      onCatastrophicError: (message) => {
        process.stderr.write(`strategy sandbox: catastrophic isolate error, retiring this worker: ${message}\n`);
        this.halt(/out.of.memory/i.test(message) ? memoryLimitError(this.limits) : limitError("Crashed", `the sandbox crashed: ${message}`), message);
      },
    });
  }

  /** Creates the isolate, loads the engine, hardens the scope and compiles the strategy. */
  static async open(setup: SandboxSetup, signal: AbortSignal, deadline = Date.now() + setup.limits.timeoutMs): Promise<StrategySandbox> {
    const sandbox = await StrategySandbox.openEngine(setup.limits, setup.seed, signal, deadline);
    await sandbox.adopt(setup, signal);
    return sandbox;
  }

  /**
   * Creates the isolate, loads the engine and hardens the scope, with no strategy yet (see
   * {@link adopt}): a spare sandbox is made this way and warmed up before a run needs it.
   */
  static async openEngine(limits: SandboxLimits, seed: number, signal: AbortSignal, deadline = Date.now() + limits.timeoutMs): Promise<StrategySandbox> {
    const sandbox = new StrategySandbox(limits);
    await sandbox.guard(signal, async () => {
      const { isolate } = sandbox;
      const left = () => Math.max(1, deadline - Date.now());
      const context = await isolate.createContext();
      const engine = await compileEngine(isolate);
      await engine.run(context, { timeout: left() });
      await context.evalClosure("__ws.lockdown($0)", [seed], { timeout: left() });
      sandbox.context = context;
    });
    return sandbox;
  }

  /**
   * Compiles `setup`'s strategy into this sandbox, replacing the strategy it had (its next run loads
   * the new module: `__ws.load` replaces the kept factory). `setup.limits` must have this isolate's
   * heap limit; the result caps come from `setup`.
   */
  async adopt(setup: SandboxSetup, signal: AbortSignal): Promise<void> {
    if (setup.limits.memoryMb !== this.limits.memoryMb) throw new Error("a sandbox can only adopt a strategy with its own heap limit");
    await this.guard(signal, async () => {
      const wrapped = `__ws.load(function () { "use strict";\n${setup.code}\nreturn __strategyModule;\n});`;
      this.mapper = new StrategyMapper(setup.sourceMap, setup.filename);
      this.strategy = null;
      const strategy = await this.isolate.compileScript(wrapped, { filename: STRATEGY_SCRIPT, lineOffset: -1 });
      this.limits = setup.limits;
      this.strategy = strategy;
      this.scriptRan = false;
    });
  }

  /** The isolate's heap limit (MB). */
  get memoryMb(): number {
    return this.limits.memoryMb;
  }

  /** False once the isolate is gone (disposed, cancelled, out of memory): open a new sandbox. */
  get usable(): boolean {
    return !this.stuck && !this.isolate.isDisposed && this.context !== null;
  }

  /** One backtest with a fresh instance of the strategy module; the budget starts now unless `deadline` is given. */
  async run(req: SandboxRun, signal: AbortSignal, deadline = Date.now() + this.limits.timeoutMs): Promise<SandboxResult> {
    const { context, strategy } = this;
    if (context === null || strategy === null || this.isolate.isDisposed) throw limitError("Disposed", "the sandbox was stopped: it is no longer usable");
    return this.guard(signal, async () => {
      const left = () => Math.max(1, deadline - Date.now());
      await context.evalClosure("__ws.reseed($0)", [req.config.seed ?? 1], { timeout: left() });
      await this.instantiate(context, strategy, left());
      const n = (req.packed.length - 1) / 6;
      const out = req.out !== undefined && req.out.byteLength >= n * 9 ? req.out : takeShared(n * 9);
      const args = [
        new ivm.ExternalCopy(req.packed.buffer).copyInto(),
        req.symbol,
        new ivm.ExternalCopy(out).copyInto(),
        new ivm.ExternalCopy(req.config).copyInto(),
        req.summary === true,
        new ivm.ExternalCopy(runCaps(this.limits)).copyInto(),
      ];
      const cpu0 = this.isolate.cpuTime;
      const outcome = (await context.evalClosure("return __ws.runPacked($0, $1, $2, $3, $4, $5)", args, { result: { copy: true }, timeout: left() })) as PackedOutcome;
      if (!outcome.ok) throw await this.describeFailure(context, outcome.where, signal);
      const rest = JSON.parse(outcome.json.rest) as Omit<EngineResult, "equity" | "exposure" | "trades" | "orders">;
      const trades = JSON.parse(outcome.json.trades) as EngineResult["trades"];
      const result = { ...rest, trades, equity: new Float64Array(out, 0, n), exposure: new Uint8Array(out, n * 8, n) };
      return { result, engineMs: outcome.engineMs, recordsJson: outcome.json, cpuMs: Number(this.isolate.cpuTime - cpu0) / 1e6 };
    });
  }

  /**
   * Starts a long-lived session: a fresh strategy module and its kernel, kept in the isolate until
   * the sandbox is disposed. Returns the resolved params.
   */
  async startSession(config: SessionConfig, seed: number, signal: AbortSignal): Promise<{ params: Record<string, unknown> }> {
    const { context, strategy } = this;
    if (context === null || strategy === null || this.isolate.isDisposed) throw limitError("Disposed", "the sandbox was stopped: it is no longer usable");
    const deadline = Date.now() + this.limits.timeoutMs;
    return this.guard(signal, async () => {
      const left = () => Math.max(1, deadline - Date.now());
      await context.evalClosure("__ws.reseed($0)", [seed], { timeout: left() });
      await this.instantiate(context, strategy, left());
      const args = [new ivm.ExternalCopy(config).copyInto()];
      const outcome = (await context.evalClosure("return __ws.sessionStart($0)", args, { result: { copy: true }, timeout: left() })) as SessionOutcome;
      if (!outcome.ok) throw await this.describeFailure(context, outcome.where, signal);
      this.endSessionWatch ??= this.watch();
      this.sessionStepFn = context.evalClosureSync("return __ws.sessionStep", [], { result: { reference: true } }) as ivm.Reference<(json: string) => SessionOutcome>;
      return JSON.parse(outcome.json) as { params: Record<string, unknown> };
    });
  }

  /**
   * One session step (`json`: the bar, the order events and the warm flag) with `stepMs` of time:
   * the session's step function called by reference (no closure compiled per step), on
   * isolated-vm's threads, so the steps of a worker's sessions run side by side and the worker's
   * memory watchdog (on for the session's lifetime, from `startSession`) can halt a step that
   * outruns the heap limit in a native loop. The session thread uses {@link stepSessionSync}.
   */
  async stepSession(json: string, stepMs: number, signal: AbortSignal): Promise<string> {
    const fn = this.stepFn();
    let outcome: SessionOutcome;
    try {
      outcome = (await Promise.race([fn.apply(undefined, [json], { result: { copy: true }, timeout: stepMs }), this.halted])) as SessionOutcome;
    } catch (err) {
      throw this.stepBroke(err, stepMs, signal);
    }
    return this.stepAnswer(outcome, signal);
  }

  /**
   * {@link stepSession} on the calling thread, without the hand-off to isolated-vm's threads and
   * back: the JSON answer at once, or a promise of the strategy's error when it threw. Only for a
   * thread the memory watchdog does not run on (the session thread: the main thread watches it).
   */
  stepSessionSync(json: string, stepMs: number, signal: AbortSignal): string | Promise<string> {
    const fn = this.stepFn();
    let outcome: SessionOutcome;
    try {
      outcome = fn.applySync(undefined, [json], { result: { copy: true }, timeout: stepMs }) as SessionOutcome;
    } catch (err) {
      throw this.stepBroke(err, stepMs, signal);
    }
    return this.stepAnswer(outcome, signal);
  }

  /** The session's step function, or why there is none. */
  private stepFn(): ivm.Reference<(json: string) => SessionOutcome> {
    if (this.haltError) throw this.haltError;
    if (this.context === null || this.sessionStepFn === null || this.isolate.isDisposed) throw limitError("Disposed", "the sandbox was stopped: it is no longer usable");
    return this.sessionStepFn;
  }

  /** A step that broke the isolate (limit, halt, crash): disposed; the error to throw. */
  private stepBroke(err: unknown, stepMs: number, signal: AbortSignal): Error {
    this.dispose();
    return err instanceof ApiError ? err : hostError(err, { ...this.limits, timeoutMs: stepMs }, signal, this.mapper);
  }

  /** A step's JSON, or (the strategy threw) a promise rejected with its described error. */
  private stepAnswer(outcome: SessionOutcome, signal: AbortSignal): string | Promise<never> {
    if (outcome.ok) return outcome.json;
    const context = this.context;
    if (context === null) return Promise.reject(limitError("Disposed", "the sandbox was stopped: it is no longer usable"));
    return this.describeFailure(context, outcome.where, signal).then((err) => Promise.reject(err));
  }

  /** A fresh instance of the strategy module: the script the first time, its kept factory after. */
  private async instantiate(context: ivm.Context, strategy: ivm.Script, timeout: number): Promise<void> {
    if (this.scriptRan) {
      await context.evalClosure("__ws.reload()", [], { timeout });
      return;
    }
    await strategy.run(context, { timeout });
    this.scriptRan = true;
  }

  /** Frees the isolate (unless its thread is stuck: then the retiring process takes it along). */
  dispose(): void {
    this.endSessionWatch?.();
    this.endSessionWatch = null;
    this.sessionStepFn = null;
    this.context = null;
    if (!this.stuck && !this.isolate.isDisposed) this.isolate.dispose();
  }

  /**
   * The error of a run that threw: where (from the run) and what (read in a call of its own, with
   * {@link DESCRIBE_BUDGET_MS}). When reading the thrown value fails, the isolate is not trusted
   * again.
   */
  private async describeFailure(context: ivm.Context, where: FailureWhere, signal: AbortSignal): Promise<StrategyRunError> {
    try {
      const text = (await context.evalClosure("return __ws.describeThrown()", [], { result: { copy: true }, timeout: DESCRIBE_BUDGET_MS })) as ThrownText;
      return thrownError(where, text, this.mapper);
    } catch {
      if (signal.aborted) throw new ApiError("cancelled", "cancelled");
      this.dispose();
      return thrownError(where, UNREADABLE_THROWN, this.mapper);
    }
  }

  /**
   * Ends the current work with `err` from outside the isolate's thread (a catastrophic error, or
   * the memory watchdog): that thread cannot be stopped or freed, so this worker retires.
   */
  private halt(err: Error, reason: string): void {
    this.stuck = true;
    this.haltError = err;
    this.context = null;
    this.rejectHalted(err);
    retireWorker(`a strategy sandbox could not be stopped (${reason})`);
  }

  /** Watches the worker's memory for this sandbox until the returned function is called. */
  private watch(): () => void {
    return watchMemory(this.limits.memoryMb, (alone, ceilingMb) =>
      this.halt(alone ? memoryLimitError(this.limits) : sharedMemoryBreachError(), `memory over ${ceilingMb} MB`),
    );
  }

  /** Runs `work`, disposing on cancel; a failure of the isolate itself (limit, crash) disposes it too. */
  private async guard<T>(signal: AbortSignal, work: () => Promise<T>): Promise<T> {
    const unwatch = this.watch();
    try {
      return await Promise.race([abortable(this.isolate, signal, work), this.halted]);
    } catch (err) {
      if (err instanceof StrategyRunError && err.info.kind === "runtime") throw err;
      this.dispose();
      if (err instanceof ApiError) throw err;
      throw hostError(err, this.limits, signal, this.mapper);
    } finally {
      unwatch();
    }
  }
}

/** The result-size caps of a run (the engine's defaults where `limits` has none). */
function runCaps(limits: SandboxLimits): { maxOrders?: number; maxTrades?: number } {
  return { ...(limits.maxOrders !== undefined ? { maxOrders: limits.maxOrders } : {}), ...(limits.maxTrades !== undefined ? { maxTrades: limits.maxTrades } : {}) };
}
