/**
 * The bar a strategy's `onBar` receives, without allocating per bar when that is safe. A
 * {@link BarView} is one reusable object whose fields read the bar columns at its current index:
 * the hot loop moves the index instead of building a fresh object (with six boxed doubles) for
 * every bar. A view is only correct if the strategy never keeps the object past the call, so the
 * driver uses it only when {@link onBarOnlyReadsFields} proves, from the callback's source text,
 * that `onBar` does nothing with its bar but read its fields directly (`bar.close`): no storing,
 * spreading, passing on, closures, `arguments` or `eval`. Anything else — `{ ...bar }`, `s.last =
 * bar`, `ta.atr(14).update(bar)`, a destructured parameter, a bound or native function — gets a
 * fresh plain object per bar as before, so storing or spreading a bar always gives a real snapshot.
 */
import type { Bar } from "../api.ts";

/** The columns a view reads. */
export interface BarViewColumns {
  symbol: string;
  time: Float64Array;
  open: Float64Array;
  high: Float64Array;
  low: Float64Array;
  close: Float64Array;
  volume: Float64Array;
}

/** A reusable view of bar `index` of the columns. */
export class BarView implements Bar {
  index = 0;
  readonly symbol: string;
  private readonly cols: BarViewColumns;

  constructor(cols: BarViewColumns) {
    this.cols = cols;
    this.symbol = cols.symbol;
  }

  get time(): number {
    return this.cols.time[this.index]!;
  }
  get open(): number {
    return this.cols.open[this.index]!;
  }
  get high(): number {
    return this.cols.high[this.index]!;
  }
  get low(): number {
    return this.cols.low[this.index]!;
  }
  get close(): number {
    return this.cols.close[this.index]!;
  }
  get volume(): number {
    return this.cols.volume[this.index]!;
  }

  /** A plain snapshot (what `JSON.stringify` and logging see). */
  toJSON(): Bar {
    return { time: this.time, open: this.open, high: this.high, low: this.low, close: this.close, volume: this.volume, symbol: this.symbol };
  }
}
Object.freeze(BarView.prototype);

/** A fresh plain bar object (the fallback: the strategy may keep or spread it). */
export function barSnapshot(cols: BarViewColumns, i: number): Bar {
  return { time: cols.time[i]!, open: cols.open[i]!, high: cols.high[i]!, low: cols.low[i]!, close: cols.close[i]!, volume: cols.volume[i]!, symbol: cols.symbol };
}

// Captured before any strategy code runs (the intrinsics are frozen afterwards anyway).
const functionText = Function.prototype.toString;
const IDENT = /^[A-Za-z_$][\w$]*$/;
const FIELD_READ = /^\s*\.\s*(?:time|open|high|low|close|volume|symbol)\b(?!\s*(?:=(?!=)|\+\+|--|[-+*/%&|^]=|\*\*=|<<=|>>>?=|&&=|\|\|=|\?\?=))/;
const CONTROL = new Set(["if", "for", "while", "switch", "catch", "with", "return", "typeof", "await", "yield", "in", "of", "new", "delete", "void"]);

/** The first parameter's name and the text after the parameter list, or null when not a plain identifier. */
function splitParams(text: string): { name: string | null; body: string } | null {
  const arrowBare = /^\s*(?:async\s+)?([A-Za-z_$][\w$]*)\s*=>/.exec(text);
  if (arrowBare) return { name: arrowBare[1]!, body: text.slice(arrowBare[0].length) };
  const open = text.indexOf("(");
  const close = text.indexOf(")", open);
  if (open < 0 || close < 0) return null;
  const params = text.slice(open + 1, close);
  if (/[({[=.]/.test(params)) return null; // defaults, destructuring, rest: keep the fresh object
  const first = params.split(",")[0]!.trim();
  if (first === "") return { name: null, body: text.slice(close + 1) };
  return IDENT.test(first) ? { name: first, body: text.slice(close + 1) } : null;
}

/** True when the text defines a nested function, class or method (which could keep the bar). */
function hasNestedFunction(body: string): boolean {
  if (/=>|\bfunction\b|\bclass\b|\bget\s+[\w$[]|\bset\s+[\w$[]/.test(body)) return true;
  for (const m of body.matchAll(/([\w$]+)\s*\([^()]*\)\s*\{/g)) if (!CONTROL.has(m[1]!)) return true;
  return false;
}

/**
 * True when `onBar`'s source shows it only reads fields of its bar parameter directly, so one
 * reused {@link BarView} behaves exactly like a fresh object per bar. Conservative: false whenever
 * in doubt (then the driver allocates a plain bar per call, as it always did).
 */
export function onBarOnlyReadsFields(onBar: unknown): boolean {
  if (typeof onBar !== "function") return false;
  let text: string;
  try {
    text = functionText.call(onBar);
  } catch {
    return false;
  }
  if (text.includes("[native code]")) return false;
  const split = splitParams(text);
  if (!split) return false;
  const { name, body } = split;
  if (/\barguments\b|\beval\b/.test(body) || hasNestedFunction(body)) return false;
  if (name === null) return true;
  for (const m of body.matchAll(new RegExp(`(?<![\\w$])${name.replace(/\$/g, "\\$")}(?![\\w$])`, "g"))) {
    const before = body.slice(Math.max(0, m.index - 3), m.index);
    // `x.bar` is another object's property, not the parameter; `...bar` is a spread of it.
    if (before.endsWith(".") && !before.endsWith("...")) continue;
    if (!FIELD_READ.test(body.slice(m.index + name.length))) return false;
  }
  return true;
}
