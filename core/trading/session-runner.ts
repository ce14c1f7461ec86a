/**
 * The bar loop every strategy session shares: trades go through the shared bar clock
 * (common/market/trade-bars.ts, bars on the venue's trade times); each closed bar goes to the
 * strategy session (its {@link SessionHost}: the sandboxed worker) with the order events since the
 * last bar, and the intents it returns go to the subclass — the paper order layer
 * ({@link PaperRunner}) or alert fires (core/alerts/signal-runner.ts). A strategy that throws is
 * stopped with its error; nothing else is affected.
 */
import type { ClosedTradeBar } from "../../common/market/trade-bars.ts";
import { TradeBarClock } from "../../common/market/trade-bars.ts";
import type { SessionBar } from "../../common/strategy/engine/session.ts";
import type { SessionIntent, SessionOrderEvent } from "../../common/strategy/engine/session-broker.ts";
import type { SessionHost } from "./session-host.ts";

/** A trade as the bar clock reads it (the wire's exact decimal strings). */
export interface SessionTrade {
  ts: number;
  priceText: string;
  sizeText: string;
}

/** What every session runner needs. */
export interface SessionRunnerOptions {
  tfMs: number;
  host: SessionHost;
  /** Bars fed before going live, orders disabled (warm-up from the store). */
  warmup?: SessionBar[];
  /** Lines the strategy logs. */
  log?(line: string): void;
  /** Called before a closed bar goes to the strategy (the book model syncs its book here). */
  beforeBar?(bar: ClosedTradeBar): void;
  /** Order events handed over with the first bar (a resumed session's fills so far). */
  resumeEvents?: SessionOrderEvent[];
  /** The strategy stopped with an error. */
  onError?(err: Error): void;
}

/** A strategy session on closed bars; subclasses decide what its intents become. */
export abstract class SessionRunner {
  readonly clock: TradeBarClock;
  status: "starting" | "running" | "stopped" | "failed" = "starting";
  /** Feed gaps seen (a reconnect, missed messages): trades may be missing around them; no bar is invented. */
  gaps = 0;
  error: Error | null = null;
  protected readonly base: SessionRunnerOptions;
  /** Order events for the next bar. */
  protected inbox: SessionOrderEvent[] = [];

  constructor(base: SessionRunnerOptions) {
    this.base = base;
    this.clock = new TradeBarClock(base.tfMs);
    this.inbox.push(...(base.resumeEvents ?? []));
  }

  /** Starts the session and feeds the warm-up bars with orders disabled. */
  async start(): Promise<void> {
    await this.base.host.start();
    for (const bar of this.base.warmup ?? []) await this.guard(() => this.base.host.step(bar, [], false));
    if (this.status === "starting") this.status = "running";
  }

  /** The bar-clock step of a trade: the strategy's step when the trade closes a bar. */
  async barOn(trade: SessionTrade): Promise<void> {
    const step = this.clock.onTrade({ ts: trade.ts, price: trade.priceText, size: trade.sizeText });
    if (step.closed) await this.runBar(step.closed);
  }

  /** The feed lost messages or reconnected: the gap is counted and logged; bars go on from the next trade. */
  markGap(detail: string): void {
    this.gaps++;
    this.base.log?.(`feed gap (${detail}): trades may be missing; no bar is invented`);
  }

  /** The venue clock (live): closes the forming bar once its end plus the grace has passed. */
  async onClock(venueNow: number): Promise<void> {
    const closed = this.clock.onClock(venueNow);
    if (closed) await this.runBar(closed);
  }

  /** End of a replay (or a stop): the forming bar closes, then the session stops. */
  async finish(): Promise<void> {
    const closed = this.clock.flush();
    if (closed) await this.runBar(closed);
    await this.stop();
  }

  /** Stops the session. */
  async stop(): Promise<void> {
    if (this.status === "running" || this.status === "starting") this.status = "stopped";
    await this.base.host.stop();
  }

  /** The strategy's intents of one closed bar. */
  protected abstract onIntents(intents: readonly SessionIntent[], closed: ClosedTradeBar): void;

  /** After a bar's step (records, equity). */
  protected afterBar(_bar: SessionBar): void {}

  /** The strategy stopped with an error (before `onError`). */
  protected onFailed(): void {}

  private async runBar(closed: ClosedTradeBar): Promise<void> {
    if (this.status !== "running") return;
    this.base.beforeBar?.(closed);
    const b = closed.bar;
    const bar: SessionBar = { time: b.time, open: Number(b.open), high: Number(b.high), low: Number(b.low), close: Number(b.close), volume: Number(b.volume) };
    const events = this.inbox;
    this.inbox = [];
    const result = await this.guard(() => this.base.host.step(bar, events, true));
    if (result) {
      for (const line of result.logs) this.base.log?.(line);
      this.onIntents(result.intents, closed);
    }
    this.afterBar(bar);
  }

  private async guard<T>(work: () => Promise<T>): Promise<T | null> {
    try {
      return await work();
    } catch (err) {
      this.status = "failed";
      this.error = err instanceof Error ? err : new Error(String(err));
      this.onFailed();
      this.base.onError?.(this.error);
      return null;
    }
  }
}
