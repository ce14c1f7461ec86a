/**
 * The engine as it is loaded into each sandbox isolate (bundled to one script by the worker).
 * It defines a single read-only global, `__ws`, with:
 * - `api`: what `import ... from "workstation"` resolves to (`defineStrategy`);
 * - `lockdown(seed)`: hardens the global scope (run before any strategy code);
 * - `reseed(seed)`: restarts `Math.random`'s sequence (before each run that reuses the isolate);
 * - `load(factory)`: runs the strategy module's body and keeps its default export (a fresh module
 *   instance each time, so runs sharing an isolate share no strategy state);
 * - `reload()`: the same with the factory `load` was last given: a fresh module instance whose
 *   functions come from the same closure sites, so V8 keeps their optimised code (a sweep compiles
 *   the strategy once per isolate instead of once per combination);
 * - `run(bars, config, caps)`: the whole backtest, returning `{ ok, result | where }` as plain data
 *   (on failure: the phase, the bar and the log lines written so far);
 * - `describeThrown()`: the name, message and stack of what the last failed run threw (a separate
 *   call, so the host can give reading a hostile thrown value its own small time budget);
 * - `runPacked(bars, symbol, out, config, summary, caps)`: the same over shared memory: the bars are read
 *   from a shared buffer (see `bars-file.ts`), equity and exposure written into another, and the
 *   other records returned as JSON text (far cheaper to move out of the isolate than objects):
 *   the trades and the orders each as their own text, the rest as a third, so a caller that only
 *   prints or stores them never parses them; with `summary` (sweeps) the orders and log lines are
 *   left out (empty);
 * - `sessionStart(config)` / `sessionStep(json)`: a long-lived paper or live session (see
 *   `session.ts`): the strategy module stays loaded and its kernel alive between bars; each step
 *   takes one closed bar and the order events since the last one (JSON), and returns the order
 *   intents and log lines (JSON), or where it failed.
 */
import type { Strategy, StrategyDefinition, StrategyParams } from "../api.ts";
import type { BacktestConfig, EngineResult } from "../results.ts";
import { DEFAULT_CAPS, definitionOf, runBacktest, type CappedLog, type DriverBars, type DriverCaps } from "./backtest.ts";
import { decodeBars } from "../bars-file.ts";
import { formatLogArgs } from "./format.ts";
import type { KernelPhase, StrategyKernel } from "./kernel.ts";
import { lockdown } from "./lockdown.ts";
import { createTA } from "./ta.ts";
import { StrategySession, type SessionBar, type SessionConfig } from "./session.ts";
import type { SessionOrderEvent } from "./session-broker.ts";

/** A thrown value described as data: name, message and stack (strings only). */
export interface ThrownText {
  name: string;
  message: string;
  stack: string;
}

/** Where a run failed and what it had logged by then; the thrown value stays inside (see `describeThrown`). */
export interface FailureWhere {
  phase: KernelPhase["phase"];
  barIndex: number | null;
  barTime: number | null;
  logs: string[];
  logsDropped: number;
}

/** What `__ws.run` returns. */
export type SandboxOutcome = { ok: true; result: EngineResult; engineMs: number } | { ok: false; where: FailureWhere };

const realNow = Date.now;
let kernel: StrategyKernel | null = null;
let activeLog: CappedLog | null = null;
let loaded: { ok: true; module: unknown } | { ok: false; thrown: unknown } | null = null;
/** The strategy module's body as a function (see `load` and `reload`). */
let moduleFactory: (() => unknown) | null = null;
/** The value the last failed run threw, until `describeThrown` reads it. */
let thrown: unknown = null;
let reseed: ((seed: number) => void) | null = null;

/** One instance of every engine class a strategy can be handed (their prototypes get frozen). */
function engineSamples(): object[] {
  const ta = createTA();
  return [ta.sma(2), ta.ema(2), ta.rsi(2), ta.atr(2), ta.bbands(2), ta.macd(2, 3, 2), ta.stdev(2), ta.highest(2), ta.lowest(2)];
}

function safeString(v: unknown): string {
  try {
    const s = typeof v === "string" ? v : String(v);
    return s.length > 2000 ? `${s.slice(0, 2000)}…` : s;
  } catch {
    return `a ${typeof v} that cannot be printed`;
  }
}

/**
 * Describes anything a strategy may throw. Reading it may run the strategy's own code (getters,
 * Proxy traps, `toString`), which may loop or throw: the host calls this in a separate call with
 * a small time budget of its own, after the run has already reported where it failed.
 */
export function describeThrown(e: unknown): ThrownText {
  try {
    if (e instanceof Error) {
      const stack = (e as { stack?: unknown }).stack;
      return { name: safeString(e.name), message: safeString(e.message), stack: typeof stack === "string" ? stack.slice(0, 20_000) : "" };
    }
    return { name: "NonErrorThrown", message: `the strategy threw a non-Error value: ${e === null ? "null" : typeof e === "object" ? "an object" : safeString(e)}`, stack: "" };
  } catch {
    return { name: "NonErrorThrown", message: "the strategy threw a value that cannot be described", stack: "" };
  }
}

/** Keeps `e` for `describeThrown` and says where the run failed, with the log lines written so far. */
function failed(e: unknown, where: KernelPhase | null): { ok: false; where: FailureWhere } {
  thrown = e;
  const log = activeLog;
  return {
    ok: false,
    where: {
      phase: where?.phase ?? "load",
      barIndex: where ? where.barIndex : null,
      barTime: where ? where.barTime : null,
      logs: log ? log.lines.slice() : [],
      logsDropped: log ? log.dropped : 0,
    },
  };
}

function defineStrategy<P extends StrategyParams, S>(definition: StrategyDefinition<P, S>): Strategy<P, S> {
  if (!definition || typeof definition !== "object") throw new TypeError("defineStrategy expects an object");
  if (typeof definition.onBar !== "function") throw new TypeError("defineStrategy: onBar must be a function");
  return Object.freeze({ kind: "workstation.strategy", definition });
}

/**
 * A run's records (all but equity and exposure) as JSON texts: `trades` and `orders` are
 * `JSON.stringify` of those arrays, `rest` that of the other fields.
 */
export interface RecordsJson {
  rest: string;
  trades: string;
  orders: string;
}

/** What `__ws.runPacked` returns: the records as JSON texts (equity and exposure are in the out buffer). */
export type PackedOutcome = { ok: true; json: RecordsJson; engineMs: number } | { ok: false; where: FailureWhere };

function runPacked(bars: ArrayBufferLike, symbol: string, out: ArrayBufferLike, config: BacktestConfig, summary = false, caps: Partial<DriverCaps> = {}): PackedOutcome {
  const columns = decodeBars(new Float64Array(bars), symbol);
  const n = columns.time.length;
  const outputs = { equity: new Float64Array(out, 0, n), exposure: new Uint8Array(out, n * 8, n) };
  const outcome = run(columns, config, caps, outputs, summary);
  if (!outcome.ok) return outcome;
  const { equity: _e, exposure: _x, trades, orders, ...rest } = outcome.result;
  if (summary) rest.logs = [];
  const json = { rest: JSON.stringify(rest), trades: JSON.stringify(trades), orders: summary ? "[]" : JSON.stringify(orders) };
  return { ok: true, json, engineMs: outcome.engineMs };
}

function run(bars: DriverBars, config: BacktestConfig, caps: Partial<DriverCaps>, out?: { equity: Float64Array; exposure: Uint8Array }, summary = false): SandboxOutcome {
  thrown = null;
  if (!loaded) return failed(new Error("no strategy was loaded"), null);
  if (!loaded.ok) return failed(loaded.thrown, null);
  const t0 = realNow();
  try {
    const definition = definitionOf((loaded.module as { default?: unknown } | null)?.default);
    const result = runBacktest(definition, bars, config, { ...DEFAULT_CAPS, ...caps }, {
      kernel: (k) => (kernel = k),
      log: (log) => (activeLog = log),
      ...(out ? { out } : {}),
      summary,
    });
    return { ok: true, result, engineMs: realNow() - t0 };
  } catch (e) {
    return failed(e, kernel ? kernel.where : null);
  } finally {
    // A sandbox kept warm between runs must not keep this run's strategy, bars or log alive.
    kernel = null;
    activeLog = null;
    loaded = null;
  }
}

/** What a session call returns: JSON of its result, or where it failed. */
export type SessionOutcome = { ok: true; json: string } | { ok: false; where: FailureWhere };

let session: StrategySession | null = null;

function sessionStart(config: SessionConfig): SessionOutcome {
  thrown = null;
  if (!loaded) return failed(new Error("no strategy was loaded"), null);
  if (!loaded.ok) return failed(loaded.thrown, null);
  try {
    const definition = definitionOf((loaded.module as { default?: unknown } | null)?.default);
    session = new StrategySession(definition, config);
    kernel = session.kernel;
    activeLog = session.log;
    return { ok: true, json: JSON.stringify({ params: session.resolvedParams }) };
  } catch (e) {
    return failed(e, kernel ? kernel.where : null);
  }
}

function sessionStep(json: string): SessionOutcome {
  thrown = null;
  if (!session) return failed(new Error("no session was started"), null);
  try {
    const { bar, events, warm } = JSON.parse(json) as { bar: SessionBar; events: SessionOrderEvent[]; warm: boolean };
    return { ok: true, json: JSON.stringify(session.step(bar, events, warm)) };
  } catch (e) {
    return failed(e, session.kernel.where);
  }
}

/** A fresh instance of the strategy module from its factory (a load failure is kept for the run to report). */
function instantiate(): void {
  kernel = null;
  activeLog = null;
  const factory = moduleFactory;
  try {
    if (factory === null) throw new Error("no strategy was loaded");
    loaded = { ok: true, module: factory() };
  } catch (e) {
    loaded = { ok: false, thrown: e };
  }
}

const api = Object.freeze({ defineStrategy });

const ws = Object.freeze({
  api,
  lockdown: (seed: number) => {
    reseed ??= lockdown(
      seed,
      () => kernel?.time ?? 0,
      (args) => activeLog?.write(formatLogArgs(args)),
      engineSamples(),
    );
  },
  reseed: (seed: number) => reseed?.(seed),
  load: (factory: () => unknown) => {
    moduleFactory = factory;
    instantiate();
  },
  reload: instantiate,
  run,
  runPacked,
  sessionStart,
  sessionStep,
  describeThrown: (): ThrownText => {
    const e = thrown;
    thrown = null;
    return describeThrown(e);
  },
});

Object.defineProperty(globalThis, "__ws", { value: ws, writable: false, configurable: false, enumerable: false });
