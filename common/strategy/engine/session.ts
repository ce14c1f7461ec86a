/**
 * A long-lived strategy session (paper and live): the same kernel as a backtest, driven one closed
 * bar at a time with a {@link SessionBroker}. Each `step` first hands the strategy the order events
 * that arrived since the last bar, then runs `onBar`, and returns the order intents it placed and the
 * log lines it wrote. Warm-up bars run with orders disabled.
 */
import type { StrategyDefinition, StrategyParams } from "../api.ts";
import { CappedLog, DEFAULT_CAPS } from "./backtest.ts";
import { StrategyKernel } from "./kernel.ts";
import { resolveParams } from "./params.ts";
import type { BarPrices } from "./ports.ts";
import { SessionBroker, type SessionIntent, type SessionOrderEvent } from "./session-broker.ts";

/** How a session starts. */
export interface SessionConfig {
  symbol: string;
  cash: number;
  params?: StrategyParams;
}

/** One bar as the host sends it (numbers; the bar clock's decimals converted by the host). */
export interface SessionBar {
  time: number;
  open: number;
  high: number;
  low: number;
  close: number;
  volume: number;
}

/** What a step returns. */
export interface SessionStepResult {
  intents: SessionIntent[];
  logs: string[];
}

/** One strategy kept alive between bars. */
export class StrategySession {
  readonly kernel: StrategyKernel;
  readonly broker: SessionBroker;
  readonly log = new CappedLog({ ...DEFAULT_CAPS, maxLogLines: Number.POSITIVE_INFINITY, maxLogChars: Number.POSITIVE_INFINITY });
  private readonly prices: BarPrices = { index: -1, time: Number.NaN, open: 0, high: 0, low: 0, close: 0 };
  private readonly symbol: string;
  private readonly params: StrategyParams;

  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- the state type is the strategy's own
  constructor(definition: StrategyDefinition<StrategyParams, any>, config: SessionConfig) {
    this.symbol = config.symbol;
    this.params = resolveParams(definition.params, config.params);
    this.broker = new SessionBroker(config.cash);
    const prices = this.prices;
    this.kernel = new StrategyKernel({ definition, params: this.params, symbol: config.symbol, broker: this.broker, clock: { now: () => prices.time }, log: this.log });
    this.kernel.start();
  }

  /** The params the session runs with (defaults plus overrides). */
  get resolvedParams(): StrategyParams {
    return { ...this.params };
  }

  /** Runs one closed bar; `warm` false = warm-up (orders refused). */
  step(bar: SessionBar, events: readonly SessionOrderEvent[], warm: boolean): SessionStepResult {
    const p = this.prices;
    p.index++;
    p.time = bar.time;
    p.open = bar.open;
    p.high = bar.high;
    p.low = bar.low;
    p.close = bar.close;
    this.broker.ordersEnabled = warm;
    this.broker.push(events);
    this.kernel.step({ ...bar, symbol: this.symbol }, p, false);
    return { intents: this.broker.takeIntents(), logs: this.log.lines.splice(0) };
  }
}
