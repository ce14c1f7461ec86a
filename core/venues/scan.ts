/**
 * A cursor for the venues' fast-path parsers: it matches a frame against the exact shape a venue
 * sends (keys in the venue's order, no whitespace) token by token, without building a JSON tree.
 *
 * Every step either matches or throws {@link DECLINE}; the fast path catches it and hands the frame
 * to the exact parser (`json.ts`), which decides what the frame is. So the scanner only has to be
 * right about what it accepts: numbers follow the RFC 8259 grammar exactly as `json.ts` reads them
 * and come back as their wire text; strings are accepted only without escapes or control
 * characters (the exact reader would decode those), and come back as the same slice.
 */

import { DECIMAL_SCALE, MAX_INTEGER_DIGITS } from "../../common/market/decimal.ts";
import { decimalText } from "./fields.ts";

/**
 * The canonical decimal of `t[start, end)` when it is a plain non-negative `digits[.digits]` within
 * `canonicalDecimal`'s limits — exactly what `canonicalDecimal` returns for that text, with one
 * slice instead of two — else null (the caller falls back to `decimalText` on the slice, which
 * handles exponents and rejects the rest).
 */
export function plainDecimalIn(t: string, start: number, end: number): string | null {
  let i = start;
  let c = t.charCodeAt(i);
  while (i < end && c >= 48 && c <= 57) c = t.charCodeAt(++i);
  const intEnd = i;
  if (intEnd === start) return null;
  let z = intEnd;
  if (i < end) {
    if (c !== 46) return null;
    c = t.charCodeAt(++i);
    while (i < end && c >= 48 && c <= 57) c = t.charCodeAt(++i);
    if (i !== end || i === intEnd + 1) return null;
    z = end;
    while (z > intEnd + 1 && t.charCodeAt(z - 1) === 48) z--;
    if (z === intEnd + 1) z = intEnd;
    if (z - intEnd - 1 > DECIMAL_SCALE) return null;
  }
  let a = start;
  while (a < intEnd - 1 && t.charCodeAt(a) === 48) a++;
  if (intEnd - a > MAX_INTEGER_DIGITS) return null;
  return t.slice(a, z);
}

/** `decimalText` of `t[start, end)` (a price or size), with one slice in the plain case. */
export function decimalIn(t: string, start: number, end: number, what: string): string {
  return plainDecimalIn(t, start, end) ?? decimalText(t.slice(start, end), what);
}

/** Thrown (a plain object: no stack is captured) when the text is not the expected shape. */
export const DECLINE: { readonly decline: true } = Object.freeze({ decline: true });

/** One pass over a frame's text. */
export class Scanner {
  text = "";
  pos = 0;
  private lastSym = "";

  /** Starts over on `text`. */
  reset(text: string): this {
    this.text = text;
    this.pos = 0;
    return this;
  }

  /** Whether `s` comes next (does not move). */
  at(s: string): boolean {
    return this.text.startsWith(s, this.pos);
  }

  /** Matches the literal `s` (punctuation and keys). */
  lit(s: string): void {
    if (!this.text.startsWith(s, this.pos)) throw DECLINE;
    this.pos += s.length;
  }

  /** Matches one character code. */
  char(c: number): void {
    if (this.text.charCodeAt(this.pos) !== c) throw DECLINE;
    this.pos++;
  }

  /** The whole text has been matched. */
  end(): void {
    if (this.pos !== this.text.length) throw DECLINE;
  }

  /** A JSON number; returns its wire text. */
  num(): string {
    const start = this.pos;
    return this.text.slice(start, this.skipNum());
  }

  /** Skips a JSON number; returns the position after it. */
  skipNum(): number {
    const t = this.text;
    let i = this.pos;
    if (t.charCodeAt(i) === 45) i++;
    let c = t.charCodeAt(i);
    if (c === 48) c = t.charCodeAt(++i);
    else if (c >= 49 && c <= 57) {
      do c = t.charCodeAt(++i);
      while (c >= 48 && c <= 57);
    } else throw DECLINE;
    if (c === 46) {
      const f = ++i;
      c = t.charCodeAt(i);
      while (c >= 48 && c <= 57) c = t.charCodeAt(++i);
      if (i === f) throw DECLINE;
    }
    if (c === 101 || c === 69) {
      c = t.charCodeAt(++i);
      if (c === 43 || c === 45) c = t.charCodeAt(++i);
      const e = i;
      while (c >= 48 && c <= 57) c = t.charCodeAt(++i);
      if (i === e) throw DECLINE;
    }
    return (this.pos = i);
  }

  /** A JSON string without escapes or control characters; returns its content. */
  str(): string {
    const start = this.pos + 1;
    return this.text.slice(start, this.strEnd());
  }

  /**
   * Like {@link str}, but when the content equals the previous call's it returns that same string
   * (for symbols: no new string, and maps find it by its already computed hash).
   */
  sym(): string {
    const last = this.lastSym;
    const p = this.pos + 1;
    const t = this.text;
    if (t.charCodeAt(this.pos) === 34 && t.charCodeAt(p + last.length) === 34 && t.startsWith(last, p)) {
      this.pos = p + last.length + 1;
      return last;
    }
    return (this.lastSym = this.str());
  }

  /** A JSON number holding a price or size (Kraken): `decimalText` of its wire text. */
  decNum(what: string): string {
    const start = this.pos;
    return decimalIn(this.text, start, this.skipNum(), what);
  }

  /** A JSON string holding a price or size (Binance): `decimalText` of its content. */
  decStr(what: string): string {
    const start = this.pos + 1;
    const end = this.strEnd();
    return decimalIn(this.text, start, end, what);
  }

  /** A JSON string without escapes; returns the position of its closing quote. */
  strEnd(): number {
    const t = this.text;
    if (t.charCodeAt(this.pos) !== 34) throw DECLINE;
    let i = this.pos + 1;
    for (;;) {
      const c = t.charCodeAt(i);
      if (c === 34) break;
      if (c === 92 || c < 32 || Number.isNaN(c)) throw DECLINE;
      i++;
    }
    this.pos = i + 1;
    return i;
  }

  /** Skips a JSON string without escapes or control characters. */
  skipStr(): void {
    this.strEnd();
  }

  /** `true` or `false`. */
  bool(): boolean {
    if (this.text.startsWith("true", this.pos)) {
      this.pos += 4;
      return true;
    }
    if (this.text.startsWith("false", this.pos)) {
      this.pos += 5;
      return false;
    }
    throw DECLINE;
  }
}
