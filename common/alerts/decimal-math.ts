/**
 * The exact decimal arithmetic price conditions need: comparisons of canonical strings and the
 * `move` test (this close against the close N bars earlier, by an amount or a percentage), in
 * scaled integers so a level off the tick grid is used as given. Comparisons read each decimal's
 * nearest double first ({@link compareNumbered}): exact, and no string is scanned unless two
 * decimals round to the same double.
 */
import { compareDecimal, toScaled } from "../market/decimal.ts";

/** A parsed `move.by`: an amount in price units or a percentage, as scaled integers. */
export interface MoveBy {
  percent: boolean;
  scaled: bigint;
}

/** Parses "250" or "1.5%" (positive); null when it is neither. */
export function parseMoveBy(text: string): MoveBy | null {
  const percent = text.endsWith("%");
  const body = percent ? text.slice(0, -1) : text;
  if (!/^\d+(\.\d+)?$/.test(body)) return null;
  try {
    const scaled = toScaled(body);
    return scaled > 0n ? { percent, scaled } : null;
  } catch {
    return null;
  }
}

/** True when `close` moved up (`up`) or down from `ref` by at least `by`. */
export function movedBy(ref: string, close: string, up: boolean, by: MoveBy): boolean {
  return movedByScaled(toScaled(ref), toScaled(close), up, by);
}

/** 100 % at the decimal scale: a percentage `by` is compared as change × this ≥ by × ref. */
const PERCENT_SCALED = 100n * 10n ** 18n;

/** {@link movedBy} on closes already scaled by `toScaled` (a rule parses each close once). */
export function movedByScaled(r: bigint, c: bigint, up: boolean, by: MoveBy): boolean {
  const change = up ? c - r : r - c;
  if (change <= 0n) return false;
  // percent: change / ref * 100 >= by  ⇔  change * 100 >= by * ref (ref > 0 for prices)
  return by.percent ? r > 0n && change * PERCENT_SCALED >= by.scaled * r : change >= by.scaled;
}

let lastText = "";
let lastScaled = 0n;

/** `toScaled(text)`, remembering the last text: the rules of a series read the same close in turn. */
export function scaledClose(text: string): bigint {
  if (text !== lastText) {
    lastScaled = toScaled(text);
    lastText = text;
  }
  return lastScaled;
}

/** A canonical decimal with its nearest double (`Number(text)`), parsed once. */
export interface NumberedDecimal {
  readonly text: string;
  readonly num: number;
}

/** `text` (a canonical decimal) with its nearest double. */
export function numbered(text: string): NumberedDecimal {
  return { text, num: Number(text) };
}

/**
 * {@link compareDecimal} of two canonical decimals given their nearest doubles, exactly: rounding to
 * the nearest double is monotonic, so doubles that differ order their decimals the same way; only
 * decimals that round to the same double are compared as strings.
 */
export function compareNumbered(a: string, an: number, b: string, bn: number): number {
  return an < bn ? -1 : an > bn ? 1 : compareDecimal(a, b);
}

/** `crosses_up` on decimals: previous ≤ level and current > level (the `ta.crossover` rule); each with its double. */
export function decimalCrossUp(prev: string, prevNum: number, cur: string, curNum: number, level: NumberedDecimal): boolean {
  return compareNumbered(prev, prevNum, level.text, level.num) <= 0 && compareNumbered(cur, curNum, level.text, level.num) > 0;
}

/** `crosses_down` on decimals: previous ≥ level and current < level (the `ta.crossunder` rule); each with its double. */
export function decimalCrossDown(prev: string, prevNum: number, cur: string, curNum: number, level: NumberedDecimal): boolean {
  return compareNumbered(prev, prevNum, level.text, level.num) >= 0 && compareNumbered(cur, curNum, level.text, level.num) < 0;
}

/** Inclusive channel membership of `v` (with its double). */
export function inChannel(v: string, vNum: number, low: NumberedDecimal, high: NumberedDecimal): boolean {
  return compareNumbered(v, vNum, low.text, low.num) >= 0 && compareNumbered(v, vNum, high.text, high.num) <= 0;
}
