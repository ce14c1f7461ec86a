/**
 * Condition state of one rule: what it remembers between closed bars (the previous close, the
 * closes N bars back, its own indicator instances) and the test itself, on a closed bar or on the
 * forming bar (which changes nothing). Crossings follow `ta.crossover`/`crossunder`: previous ≤
 * level and current > level (up), previous ≥ level and current < level (down); price conditions use
 * the close, exactly, as decimals.
 */
import type { TradeBar } from "../market/trade-bars.ts";
import type { Series } from "../strategy/api.ts";
import { crossover, crossunder } from "../strategy/engine/ta.ts";
import { compareNumbered, decimalCrossDown, decimalCrossUp, inChannel, movedByScaled, numbered, parseMoveBy, scaledClose, type NumberedDecimal } from "./decimal-math.ts";
import { IndicatorPool, type IndicatorStep, type SharedIndicator } from "./indicators.ts";
import type { AlertCondition, ChannelCondition, CrossOp, IndicatorCondition, MoveCondition, PriceCondition } from "./types.ts";

/** The outcome of testing a bar: a state's own object, overwritten by its next test (read it at once). */
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

function crossDecimal(op: CrossOp, prev: string | null, prevNum: number, cur: string, curNum: number, level: NumberedDecimal): boolean {
  switch (op) {
    case "above":
      return compareNumbered(cur, curNum, level.text, level.num) > 0;
    case "below":
      return compareNumbered(cur, curNum, level.text, level.num) < 0;
    case "crosses_up":
      return prev !== null && decimalCrossUp(prev, prevNum, cur, curNum, level);
    case "crosses_down":
      return prev !== null && decimalCrossDown(prev, prevNum, cur, curNum, level);
    case "crosses":
      return prev !== null && (decimalCrossUp(prev, prevNum, cur, curNum, level) || decimalCrossDown(prev, prevNum, cur, curNum, level));
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

/** A test of (previous close, this close), each a canonical decimal with its nearest double (`prev` null before the first close). */
type CloseTest = (prev: string | null, prevNum: number, cur: string, curNum: number) => boolean;

/**
 * Price and channel: a test of (previous close, this close). The result object is the state's own,
 * overwritten by its next test (the caller reads it at once); a close's double comes from
 * {@link numbers}, parsed once per bar state however many rules read it.
 */
class CloseState implements ConditionState {
  private prev: string | null = null;
  private prevNum = Number.NaN;
  private readonly test: CloseTest;
  private readonly result: ConditionResult = { hit: false, value: "" };
  constructor(test: CloseTest) {
    this.test = test;
  }
  closed(bar: BarPrices): ConditionResult {
    const curNum = numbers(bar).close;
    const r = this.result;
    r.hit = this.test(this.prev, this.prevNum, bar.close, curNum);
    r.value = bar.close;
    this.prev = bar.close;
    this.prevNum = curNum;
    return r;
  }
  peek(bar: BarPrices): ConditionResult {
    const r = this.result;
    r.hit = this.test(this.prev, this.prevNum, bar.close, numbers(bar).close);
    r.value = bar.close;
    return r;
  }
}

class MoveState implements ConditionState {
  /** The last `bars` closes, scaled (parsed once, as they closed). */
  private readonly closes: bigint[] = [];
  private readonly by;
  private readonly c: MoveCondition;
  private readonly result: ConditionResult = { hit: false, value: "" };
  constructor(c: MoveCondition) {
    this.c = c;
    this.by = parseMoveBy(c.by)!;
  }
  private test(close: string): boolean {
    if (this.closes.length < this.c.bars) return false;
    return movedByScaled(this.closes[this.closes.length - this.c.bars]!, scaledClose(close), this.c.op === "up", this.by);
  }
  closed(bar: BarPrices): ConditionResult {
    const r = this.peek(bar);
    this.closes.push(scaledClose(bar.close));
    if (this.closes.length > this.c.bars) this.closes.shift();
    return r;
  }
  peek(bar: BarPrices): ConditionResult {
    const r = this.result;
    r.hit = this.test(bar.close);
    r.value = bar.close;
    return r;
  }
}

class IndicatorState implements ConditionState {
  private readonly a: SharedIndicator;
  private readonly b: SharedIndicator | null;
  private readonly c: IndicatorCondition;
  /** The two series compared and the result: this state's own objects, overwritten by each test. */
  private readonly sa = { prev: Number.NaN, value: Number.NaN };
  private readonly sb = { prev: Number.NaN, value: Number.NaN };
  private readonly r: ConditionResult = { hit: false, value: Number.NaN };
  constructor(c: IndicatorCondition, pool: IndicatorPool) {
    this.c = c;
    this.a = pool.get(c);
    this.b = c.than ? pool.get(c.than) : null;
  }
  private result(): ConditionResult {
    const a = this.sa;
    this.r.hit = crossSeries(this.c.op, a, this.b ? this.sb : (this.c.value as number));
    this.r.value = a.value;
    return this.r;
  }
  closed(bar: BarPrices): ConditionResult {
    const n = numbers(bar);
    this.a.closed(n);
    this.b?.closed(n);
    this.sa.prev = this.a.prev;
    this.sa.value = this.a.value;
    if (this.b) {
      this.sb.prev = this.b.prev;
      this.sb.value = this.b.value;
    }
    return this.result();
  }
  peek(bar: BarPrices): ConditionResult {
    const n = numbers(bar);
    this.sa.prev = this.a.value;
    this.sa.value = this.a.peek(n);
    if (this.b) {
      this.sb.prev = this.b.value;
      this.sb.value = this.b.peek(n);
    }
    return this.result();
  }
}

/** A fresh condition state; indicators come from the series' pool; strategy conditions have none here (they run as strategy sessions in core/alerts/strategy-signals.ts). */
export function conditionState(c: Exclude<AlertCondition, { type: "strategy" | "screen" }>, pool: IndicatorPool = new IndicatorPool()): ConditionState {
  switch (c.type) {
    case "price": {
      const p: PriceCondition = c;
      const level = numbered(p.value);
      return new CloseState((prev, prevNum, cur, curNum) => crossDecimal(p.op, prev, prevNum, cur, curNum, level));
    }
    case "channel": {
      const ch: ChannelCondition = c;
      const low = numbered(ch.low);
      const high = numbered(ch.high);
      const entering = ch.op === "entering";
      return new CloseState((prev, prevNum, cur, curNum) => prev !== null && inChannel(prev, prevNum, low, high) !== entering && inChannel(cur, curNum, low, high) === entering);
    }
    case "move":
      return new MoveState(c);
    case "indicator":
      return new IndicatorState(c, pool);
  }
}
