/**
 * Condition state of one rule: what it remembers between closed bars (the previous close, the
 * closes N bars back, its own indicator instances) and the test itself, on a closed bar or on the
 * forming bar (which changes nothing). Crossings follow `ta.crossover`/`crossunder`: previous ≤
 * level and current > level (up), previous ≥ level and current < level (down); price conditions use
 * the close, exactly, as decimals.
 */
import type { TradeBar } from "../market/trade-bars.ts";
import { compareDecimal } from "../market/decimal.ts";
import type { Series } from "../strategy/api.ts";
import { crossover, crossunder } from "../strategy/engine/ta.ts";
import { decimalCrossDown, decimalCrossUp, inChannel, movedByScaled, parseMoveBy, scaledClose } from "./decimal-math.ts";
import { IndicatorPool, type IndicatorStep, type SharedIndicator } from "./indicators.ts";
import type { AlertCondition, ChannelCondition, CrossOp, IndicatorCondition, MoveCondition, PriceCondition } from "./types.ts";

/** The outcome of testing a bar. */
export interface ConditionResult {
  hit: boolean;
  value: string | number;
}

/** What a condition reads of a bar (a closed bar, or the forming one without its volume). */
export type BarPrices = Readonly<Omit<TradeBar, "volume">>;

/** A condition with its memory. */
export interface ConditionState {
  /** Tests a closed bar against the previous closed one, then remembers it. */
  closed(bar: BarPrices): ConditionResult;
  /** Tests the forming bar as if it closed now; remembers nothing. */
  peek(bar: BarPrices): ConditionResult;
}

/** The last bar {@link numbers} read, with the prices it read (the forming bar changes in place). */
let lastBar: BarPrices | null = null;
let lastPrices: BarPrices = { time: Number.NaN, open: "", high: "", low: "", close: "", trades: 0, lastTradeTime: 0 };
let lastStep: IndicatorStep = { time: Number.NaN, high: Number.NaN, low: Number.NaN, close: Number.NaN };

/**
 * A bar's prices as numbers, for indicators: parsed once per bar state however many rules read
 * it (the step is never changed afterwards, so a caller may keep it).
 */
function numbers(bar: BarPrices): IndicatorStep {
  const l = lastPrices;
  if (bar !== lastBar || bar.time !== l.time || bar.close !== l.close || bar.high !== l.high || bar.low !== l.low) {
    lastBar = bar;
    lastPrices = { ...bar };
    lastStep = { time: bar.time, high: Number(bar.high), low: Number(bar.low), close: Number(bar.close) };
  }
  return lastStep;
}

function crossDecimal(op: CrossOp, prev: string | null, cur: string, level: string): boolean {
  switch (op) {
    case "above":
      return compareDecimal(cur, level) > 0;
    case "below":
      return compareDecimal(cur, level) < 0;
    case "crosses_up":
      return prev !== null && decimalCrossUp(prev, cur, level);
    case "crosses_down":
      return prev !== null && decimalCrossDown(prev, cur, level);
    case "crosses":
      return prev !== null && (decimalCrossUp(prev, cur, level) || decimalCrossDown(prev, cur, level));
  }
}

function crossSeries(op: CrossOp, a: Series, b: Series | number): boolean {
  const bv = typeof b === "number" ? b : b.value;
  switch (op) {
    case "above":
      return a.value > bv;
    case "below":
      return a.value < bv;
    case "crosses_up":
      return crossover(a, b);
    case "crosses_down":
      return crossunder(a, b);
    case "crosses":
      return crossover(a, b) || crossunder(a, b);
  }
}

/** Price and channel: a test of (previous close, this close). */
class CloseState implements ConditionState {
  private prev: string | null = null;
  private readonly test: (prev: string | null, cur: string) => boolean;
  constructor(test: (prev: string | null, cur: string) => boolean) {
    this.test = test;
  }
  closed(bar: BarPrices): ConditionResult {
    const hit = this.test(this.prev, bar.close);
    this.prev = bar.close;
    return { hit, value: bar.close };
  }
  peek(bar: BarPrices): ConditionResult {
    return { hit: this.test(this.prev, bar.close), value: bar.close };
  }
}

class MoveState implements ConditionState {
  /** The last `bars` closes, scaled (parsed once, as they closed). */
  private readonly closes: bigint[] = [];
  private readonly by;
  private readonly c: MoveCondition;
  constructor(c: MoveCondition) {
    this.c = c;
    this.by = parseMoveBy(c.by)!;
  }
  private test(close: string): boolean {
    if (this.closes.length < this.c.bars) return false;
    return movedByScaled(this.closes[this.closes.length - this.c.bars]!, scaledClose(close), this.c.op === "up", this.by);
  }
  closed(bar: BarPrices): ConditionResult {
    const hit = this.test(bar.close);
    this.closes.push(scaledClose(bar.close));
    if (this.closes.length > this.c.bars) this.closes.shift();
    return { hit, value: bar.close };
  }
  peek(bar: BarPrices): ConditionResult {
    return { hit: this.test(bar.close), value: bar.close };
  }
}

class IndicatorState implements ConditionState {
  private readonly a: SharedIndicator;
  private readonly b: SharedIndicator | null;
  private readonly c: IndicatorCondition;
  constructor(c: IndicatorCondition, pool: IndicatorPool) {
    this.c = c;
    this.a = pool.get(c);
    this.b = c.than ? pool.get(c.than) : null;
  }
  private result(a: Series, b: Series | number): ConditionResult {
    return { hit: crossSeries(this.c.op, a, b), value: a.value };
  }
  closed(bar: BarPrices): ConditionResult {
    const n = numbers(bar);
    this.a.closed(n);
    this.b?.closed(n);
    const a = { prev: this.a.prev, value: this.a.value };
    const b = this.b ? { prev: this.b.prev, value: this.b.value } : (this.c.value as number);
    return this.result(a, b);
  }
  peek(bar: BarPrices): ConditionResult {
    const n = numbers(bar);
    const a = { prev: this.a.value, value: this.a.peek(n) };
    const b = this.b ? { prev: this.b.value, value: this.b.peek(n) } : (this.c.value as number);
    return this.result(a, b);
  }
}

/** A fresh condition state; indicators come from the series' pool; strategy conditions have none here (they run as strategy sessions in core/alerts/strategy-signals.ts). */
export function conditionState(c: Exclude<AlertCondition, { type: "strategy" | "screen" }>, pool: IndicatorPool = new IndicatorPool()): ConditionState {
  switch (c.type) {
    case "price": {
      const p: PriceCondition = c;
      return new CloseState((prev, cur) => crossDecimal(p.op, prev, cur, p.value));
    }
    case "channel": {
      const ch: ChannelCondition = c;
      const inside = (v: string): boolean => inChannel(v, ch.low, ch.high);
      return new CloseState((prev, cur) => prev !== null && (ch.op === "entering" ? !inside(prev) && inside(cur) : inside(prev) && !inside(cur)));
    }
    case "move":
      return new MoveState(c);
    case "indicator":
      return new IndicatorState(c, pool);
  }
}
