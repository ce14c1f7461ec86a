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

/** Thrown (a plain object: no stack is captured) when the text is not the expected shape. */
export const DECLINE: { readonly decline: true } = Object.freeze({ decline: true });

/** One pass over a frame's text. */
export class Scanner {
  text = "";
  pos = 0;

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
    const t = this.text;
    const start = this.pos;
    let i = start;
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
    this.pos = i;
    return t.slice(start, i);
  }

  /** A JSON string without escapes or control characters; returns its content. */
  str(): string {
    const t = this.text;
    if (t.charCodeAt(this.pos) !== 34) throw DECLINE;
    const start = this.pos + 1;
    let i = start;
    for (;;) {
      const c = t.charCodeAt(i);
      if (c === 34) break;
      if (c === 92 || c < 32 || Number.isNaN(c)) throw DECLINE;
      i++;
    }
    this.pos = i + 1;
    return t.slice(start, i);
  }

  /** Skips a JSON string without escapes or control characters. */
  skipStr(): void {
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
