/**
 * Alert indicators are the strategy library's own (`createTA` from the strategy engine), so an alert
 * sees exactly the values a backtest computes. Each instance is updated once per closed bar; the
 * value inside a forming bar comes from a scratch copy of it (made with the instance, then
 * overwritten with the instance's state on each peek, so a trade allocates nothing) updated with
 * the forming bar. The
 * overwrite follows a {@link CopyPlan} made with the copy: the fields of each object of the state
 * and its typed arrays, in flat lists, with no walk of the object graph per trade.
 */
import type { BarIndicator, Indicator } from "../strategy/api.ts";
import { createTA } from "../strategy/engine/ta.ts";
import type { IndicatorName, IndicatorRef } from "./types.ts";

const ta = createTA();

/** Output lines of the multi-line indicators; the first is the default. */
export const INDICATOR_OUTPUTS: Partial<Record<IndicatorName, readonly string[]>> = {
  bbands: ["middle", "upper", "lower"],
  macd: ["macd", "signal", "histogram"],
};

/** How many numeric arguments each indicator takes (min, max). */
const ARITY: Record<IndicatorName, [number, number]> = {
  sma: [1, 1], ema: [1, 1], rsi: [1, 1], atr: [1, 1], stdev: [1, 1], highest: [1, 1], lowest: [1, 1],
  bbands: [1, 2], macd: [0, 3],
};

/** The bar fields an indicator reads. */
export interface IndicatorBar {
  high: number;
  low: number;
  close: number;
}

type Instance = { kind: "close"; ind: Indicator } | { kind: "bar"; ind: BarIndicator };

/** A live indicator of one rule. */
export class AlertIndicator {
  private readonly instance: Instance;
  private readonly output: string | undefined;
  /** The copy peeks feed: the instance's state is copied into it each time. */
  private readonly scratch: Instance;
  /** How to copy the instance's state into `scratch` (rebuilt when the state changed shape). */
  private plan: CopyPlan;

  /**
   * Makes the scratch copy and its copy plan now, when the rule is added, rather than on the first
   * trade: deep-copying hundreds of indicators was most of the first frame after a start.
   */
  constructor(ref: IndicatorRef) {
    this.instance = build(ref);
    this.output = ref.output;
    this.scratch = { kind: this.instance.kind, ind: cloneDeep(this.instance.ind) } as Instance;
    this.plan = new CopyPlan(this.scratch.ind as unknown as Record<string, unknown>, this.instance.ind as unknown as Record<string, unknown>);
  }

  /** The value after the last closed bar. */
  get value(): number {
    return read(this.instance, this.output);
  }

  /** Feeds a closed bar. */
  update(bar: IndicatorBar): void {
    feed(this.instance, bar);
  }

  /** The value this indicator would have if the forming bar closed now; changes nothing. */
  peek(bar: IndicatorBar): number {
    if (!this.plan.copy()) {
      const target = this.scratch.ind as unknown as Record<string, unknown>;
      const source = this.instance.ind as unknown as Record<string, unknown>;
      copyInto(target, source);
      this.plan = new CopyPlan(target, source);
    }
    feed(this.scratch, bar);
    return read(this.scratch, this.output);
  }
}

/** The fields of a bar an indicator step needs: its open time and prices. */
export interface IndicatorStep extends IndicatorBar {
  time: number;
}

/**
 * One indicator shared by every rule of a series that uses it: updated once per closed bar however
 * many rules read it, and its forming-bar value computed once per trade.
 */
export class SharedIndicator {
  private readonly ind: AlertIndicator;
  prev = Number.NaN;
  value = Number.NaN;
  private closedTime = -Infinity;
  private peekAt: IndicatorStep = { time: -Infinity, high: Number.NaN, low: Number.NaN, close: Number.NaN };
  private peeked = Number.NaN;

  constructor(ref: IndicatorRef) {
    this.ind = new AlertIndicator(ref);
  }

  /** Feeds a closed bar (once, whichever rule asks first). */
  closed(bar: IndicatorStep): void {
    if (bar.time === this.closedTime) return;
    this.closedTime = bar.time;
    this.prev = this.ind.value;
    this.ind.update(bar);
    this.value = this.ind.value;
  }

  /** The value if the forming bar closed now (computed again only when the forming bar's prices change). */
  peek(bar: IndicatorStep): number {
    const at = this.peekAt;
    if (bar.time !== at.time || bar.close !== at.close || bar.high !== at.high || bar.low !== at.low) {
      this.peekAt = bar;
      this.peeked = this.ind.peek(bar);
    }
    return this.peeked;
  }
}

/** The shared indicators of one series, by indicator, arguments and output. */
export class IndicatorPool {
  private readonly byKey = new Map<string, SharedIndicator>();

  /** The shared instance of `ref`, created on first use. */
  get(ref: IndicatorRef): SharedIndicator {
    const key = `${ref.indicator}(${ref.args.join(",")})${ref.output ?? ""}`;
    let ind = this.byKey.get(key);
    if (!ind) this.byKey.set(key, (ind = new SharedIndicator(ref)));
    return ind;
  }
}

/** Checks an indicator reference: a clear message naming what is wrong, or null. */
export function indicatorProblem(ref: IndicatorRef): string | null {
  const [min, max] = ARITY[ref.indicator];
  if (ref.args.length < min || ref.args.length > max) return `${ref.indicator} takes ${min === max ? min : `${min} to ${max}`} argument(s), not ${ref.args.length}`;
  const outputs = INDICATOR_OUTPUTS[ref.indicator];
  if (ref.output !== undefined && !(outputs ?? []).includes(ref.output)) {
    return outputs ? `${ref.indicator} has outputs ${outputs.join(", ")}, not ${ref.output}` : `${ref.indicator} has a single output`;
  }
  try {
    build(ref);
  } catch (err) {
    return (err as Error).message;
  }
  return null;
}

function build(ref: IndicatorRef): Instance {
  const a = ref.args;
  switch (ref.indicator) {
    case "atr":
      return { kind: "bar", ind: ta.atr(a[0]!) };
    case "bbands":
      return { kind: "close", ind: ta.bbands(a[0]!, a[1]) };
    case "macd":
      return { kind: "close", ind: ta.macd(a[0], a[1], a[2]) };
    default:
      return { kind: "close", ind: ta[ref.indicator](a[0]!) };
  }
}

function feed(instance: Instance, bar: IndicatorBar): void {
  if (instance.kind === "bar") instance.ind.update(bar);
  else instance.ind.update(bar.close);
}

function read(instance: Instance, output: string | undefined): number {
  if (output === undefined) return instance.ind.value;
  return (instance.ind as unknown as Record<string, number>)[output]!;
}

type Fields = Record<string, unknown>;

/**
 * A copy of `source`'s state into `target` — a deep copy of it, so of the same shape — as flat
 * lists: the plain fields of each object, the typed arrays (copied in place), the plain arrays and
 * empty fields (copied as {@link copyInto} does), and each nested object `source` holds. A copy checks first
 * that `source` still holds the same nested objects and typed arrays; when one was replaced (a
 * buffer that grew), it copies nothing and says so, and the caller copies the slow way and plans
 * again.
 */
class CopyPlan {
  private readonly fields: { target: Fields; source: Fields; keys: string[] }[] = [];
  private readonly typed: { target: Float64Array; source: Float64Array }[] = [];
  private readonly slow: { target: Fields; source: Fields; key: string }[] = [];
  private readonly links: { source: Fields; key: string; value: unknown }[] = [];

  constructor(target: Fields, source: Fields) {
    this.walk(target, source);
  }

  private walk(target: Fields, source: Fields): void {
    const keys: string[] = [];
    for (const k in source) {
      if (!Object.hasOwn(source, k)) continue;
      const v = source[k];
      // An empty field (null, undefined) may hold an object later: it is copied the careful way.
      if (v === null || v === undefined || Array.isArray(v)) this.slow.push({ target, source, key: k });
      else if (typeof v !== "object") keys.push(k);
      else {
        this.links.push({ source, key: k, value: v });
        if (ArrayBuffer.isView(v)) this.typed.push({ target: target[k] as Float64Array, source: v as unknown as Float64Array });
        else this.walk(target[k] as Fields, v as Fields);
      }
    }
    this.fields.push({ target, source, keys });
  }

  /** Copies the state; false (nothing copied) when its shape changed since the plan was made. */
  copy(): boolean {
    for (const l of this.links) if (l.source[l.key] !== l.value) return false;
    for (const t of this.typed) t.target.set(t.source);
    for (const a of this.slow) a.target[a.key] = copied(a.target[a.key], a.source[a.key]);
    for (const f of this.fields) for (const k of f.keys) f.target[k] = f.source[k];
    return true;
  }
}

/**
 * Makes `target` — a deep copy of an earlier state of `source` — equal to `source` again, reusing
 * its objects, arrays and typed arrays (a fresh copy only where a field changed shape, e.g. a
 * buffer that grew).
 */
function copyInto(target: Record<string, unknown>, source: Record<string, unknown>): void {
  for (const k in source) {
    if (Object.hasOwn(source, k)) target[k] = copied(target[k], source[k]);
  }
}

/** `value` copied into `into` when it has the same shape, else a fresh deep copy. */
function copied(into: unknown, value: unknown): unknown {
  if (typeof value !== "object" || value === null || typeof into !== "object" || into === null) return cloneDeep(value);
  if (ArrayBuffer.isView(value)) {
    const from = value as unknown as Float64Array;
    if (!(into instanceof from.constructor) || (into as Float64Array).length !== from.length) return from.slice();
    (into as Float64Array).set(from);
    return into;
  }
  if (Array.isArray(value)) {
    if (!Array.isArray(into)) return cloneDeep(value);
    into.length = value.length;
    for (let i = 0; i < value.length; i++) into[i] = copied(into[i], value[i]);
    return into;
  }
  if (Object.getPrototypeOf(into) !== Object.getPrototypeOf(value) || Array.isArray(into) || ArrayBuffer.isView(into)) return cloneDeep(value);
  copyInto(into as Record<string, unknown>, value as Record<string, unknown>);
  return into;
}

/** A deep copy keeping prototypes (indicator classes) and typed arrays. */
function cloneDeep<T>(value: T): T {
  if (typeof value !== "object" || value === null) return value;
  if (ArrayBuffer.isView(value)) return (value as unknown as Float64Array).slice() as T;
  if (Array.isArray(value)) return value.map((v: unknown) => cloneDeep(v)) as T;
  const copy = Object.create(Object.getPrototypeOf(value) as object | null) as Record<string, unknown>;
  for (const [k, v] of Object.entries(value as Record<string, unknown>)) copy[k] = cloneDeep(v);
  return copy as T;
}
