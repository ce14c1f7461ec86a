/**
 * Where a paper or live strategy session runs: pinned to one worker of the pool, in that worker's
 * sandbox (the same isolate, limits and engine as a backtest). When the worker dies the session is
 * started again on another worker and re-warmed: the bars it has seen are fed again with orders
 * disabled, and the fills it had are handed to it first, so its position, cash and indicators are
 * back where they were before the next live bar.
 */
import type { SessionBar, SessionStepResult } from "../../common/strategy/engine/session.ts";
import type { SessionOrderEvent } from "../../common/strategy/engine/session-broker.ts";
import type { StrategyParams } from "../../common/strategy/api.ts";
import type { SandboxLimits } from "../../common/strategy/results.ts";
import type { WorkerStrategyCode } from "../../common/worker/methods.ts";
import { WorkerCrashedError, type WorkerPin, type WorkerPool } from "../workers/pool.ts";

/** A running strategy session as the runner drives it. */
export interface SessionHost {
  start(): Promise<StrategyParams>;
  step(bar: SessionBar, events: SessionOrderEvent[], warm: boolean): Promise<SessionStepResult>;
  stop(): Promise<void>;
  /** Times the session was moved to another worker. */
  readonly restarts: number;
}

/** How a worker session starts. */
export interface WorkerSessionSpec {
  id: string;
  strategy: WorkerStrategyCode;
  symbol: string;
  cash: number;
  params: StrategyParams;
  limits: SandboxLimits;
  /** Most bars kept for a re-warm (older ones are dropped). */
  historyBars?: number;
}

/** A session pinned to a worker of `pool`. */
export class WorkerSessionHost implements SessionHost {
  restarts = 0;
  private readonly pool: WorkerPool;
  private readonly spec: WorkerSessionSpec;
  private pin: WorkerPin | null = null;
  private readonly history: SessionBar[] = [];
  private readonly fills: SessionOrderEvent[] = [];

  constructor(pool: WorkerPool, spec: WorkerSessionSpec) {
    this.pool = pool;
    this.spec = spec;
  }

  /** The process the session runs in now (null when stopped). */
  get workerPid(): number | null {
    return this.pin?.pid ?? null;
  }

  async start(): Promise<StrategyParams> {
    const pin = await this.pool.pin();
    this.pin = pin;
    const { id, strategy, symbol, cash, params, limits } = this.spec;
    const started = await this.pool.call("session.start", { id, ...strategy, config: { symbol, cash, params }, limits }, { pin });
    return started.params;
  }

  async step(bar: SessionBar, events: SessionOrderEvent[], warm: boolean): Promise<SessionStepResult> {
    this.remember(bar, events);
    try {
      return await this.send(bar, events, warm);
    } catch (err) {
      if (!(err instanceof WorkerCrashedError)) throw err;
      const undelivered = await this.rewarm();
      return this.send(bar, undelivered, warm);
    }
  }

  async stop(): Promise<void> {
    const pin = this.pin;
    if (!pin) return;
    this.pin = null;
    this.pool.unpin(pin);
    await this.pool.call("session.stop", { id: this.spec.id }, { pin }).catch(() => undefined);
  }

  private send(bar: SessionBar, events: SessionOrderEvent[], warm: boolean): Promise<SessionStepResult> {
    if (!this.pin) throw new WorkerCrashedError("the session is not running");
    return this.pool.call("session.step", { id: this.spec.id, json: JSON.stringify({ bar, events, warm }) }, { pin: this.pin });
  }

  private remember(bar: SessionBar, events: SessionOrderEvent[]): void {
    this.history.push(bar);
    if (this.history.length > (this.spec.historyBars ?? 10_000)) this.history.shift();
    for (const e of events) if (e.kind === "fill") this.fills.push(e);
  }

  /**
   * Starts the session on another worker and feeds it the bars before the current one, orders
   * disabled, with every fill it had on the first; returns the fills still to hand over (all of them
   * when there was no earlier bar).
   */
  private async rewarm(): Promise<SessionOrderEvent[]> {
    if (this.pin) this.pool.unpin(this.pin);
    this.pin = null;
    this.restarts++;
    await this.start();
    const past = this.history.slice(0, -1);
    for (let i = 0; i < past.length; i++) await this.send(past[i]!, i === 0 ? this.fills : [], false);
    return past.length === 0 ? this.fills.slice() : [];
  }
}
