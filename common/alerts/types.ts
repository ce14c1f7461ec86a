/**
 * Alert rules and fires: the JSON shapes `workstation alerts add/test` read and print, and what the
 * evaluator, the service and the UI pass around. Prices are canonical decimal strings; times are
 * UTC ms on the venue's clock.
 */
import type { Timeframe } from "../market/bars.ts";

/** A comparison of a value with a level or another series, on closed bars (or the forming one). */
export type CrossOp = "crosses" | "crosses_up" | "crosses_down" | "above" | "below";

/** Price (the bar's close) against a decimal level. */
export interface PriceCondition {
  type: "price";
  op: CrossOp;
  /** A canonical decimal string, used as given (never rounded to the tick grid). */
  value: string;
}

/** One indicator of the strategy library (`ta`), with its arguments and, for bands/MACD, its output line. */
export interface IndicatorRef {
  indicator: IndicatorName;
  args: number[];
  /** bbands: upper|middle|lower; macd: macd|signal|histogram; default the main value. */
  output?: string;
}

/** An indicator against a number or another indicator. */
export type IndicatorCondition = IndicatorRef & { type: "indicator"; op: CrossOp } & ({ value: number; than?: undefined } | { than: IndicatorRef; value?: undefined });

/** The close entering or leaving an inclusive channel. */
export interface ChannelCondition {
  type: "channel";
  op: "entering" | "exiting";
  low: string;
  high: string;
}

/** The close moving up or down by an amount or a percentage against the close N bars earlier. */
export interface MoveCondition {
  type: "move";
  op: "up" | "down";
  /** "250" (price units) or "1.5%". */
  by: string;
  bars: number;
}

/** A saved strategy's orders as alerts, through paper trading's session runner (core/alerts/signal-runner.ts). */
export interface StrategyCondition {
  type: "strategy";
  strategy: string;
  params?: Record<string, unknown>;
}

/**
 * A screen as an alert: a column screen over a universe, refreshed on each bar close of the rule's
 * timeframe in core (core/alerts/screen-rule.ts); each symbol that enters the top `top` fires once,
 * keyed `<rule id>:<bar time>:<venue>:<symbol>`. Such a rule's `venue` is "screener" and its
 * `symbol` the universe.
 */
export interface ScreenCondition {
  type: "screen";
  /** A saved universe's name, or a LIST `VENUE:SYMBOL,...`. */
  universe: string;
  /** Column ids as `screen --columns` takes them. */
  columns: string;
  filter?: string;
  /** `KEY[:asc|desc]`; default: the first column, descending. */
  sort?: string;
  top: number;
}

/** The `venue` of every screen rule. */
export const SCREEN_RULE_VENUE = "screener";

/** Any condition. */
export type AlertCondition = PriceCondition | IndicatorCondition | ChannelCondition | MoveCondition | StrategyCondition | ScreenCondition;

/** How often a rule may fire. */
export type AlertFrequency = "once" | "once_per_bar" | "once_per_bar_close" | "every_seconds";

/** Where fires go. */
export interface AlertDelivery {
  desktop: boolean;
  webhook?: { url: string; secretKey?: string };
}

/** A validated rule. */
export interface AlertRule {
  id: string;
  venue: string;
  symbol: string;
  timeframe: Timeframe;
  condition: AlertCondition;
  frequency: AlertFrequency;
  everySeconds?: number;
  /** UTC ms (venue time) from which the rule no longer fires. */
  expires?: number;
  message?: string;
  deliver: AlertDelivery;
}

/** The indicators of the strategy library an alert may use. */
export const INDICATOR_NAMES = ["sma", "ema", "rsi", "atr", "bbands", "macd", "stdev", "highest", "lowest"] as const;

/** An indicator name. */
export type IndicatorName = (typeof INDICATOR_NAMES)[number];

/** One fire, exactly what `alerts test` prints (plus the idempotency key, which it does not). */
export interface AlertFire {
  rule: string;
  /** Venue time at which it fired (the closing trade's time, the clock's, or the bar's end at the end of a file). */
  time: number;
  /** Open time of the bar the fire belongs to. */
  barTime: number;
  /** The close (price, channel, move: a decimal string) or the indicator's value (a number). */
  value: string | number;
  message: string;
}

/** A fire with its delivery identity. */
export interface KeyedFire extends AlertFire {
  /** `<rule id>:<bar time>`; every_seconds rules, which may fire more than once in a bar, add `:<time>`. */
  key: string;
}

/** Why a rule stopped firing on its own. */
export interface AlertPause {
  rule: string;
  time: number;
  reason: string;
}
