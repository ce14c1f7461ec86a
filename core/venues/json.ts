/**
 * A strict JSON reader that keeps every number as its exact source text.
 *
 * Kraken (v2) sends prices and sizes as JSON numbers and Binance sends ids as JSON numbers;
 * `JSON.parse` would turn `0.10000000` into a float and lose both precision and the digits Kraken's
 * checksum is computed over. This reader returns numbers as strings of their wire text (the grammar
 * is validated), strings as strings, and objects/arrays as plain values. It is a single pass over
 * char codes; strings without escapes are sliced, escapes are decoded through `JSON.parse` of that
 * one string. Anything that is not RFC 8259 JSON throws {@link JsonSyntaxError}.
 */

/** A parsed value; numbers are their source text. */
export type JsonValue = string | boolean | null | JsonValue[] | JsonObject;
/** A parsed object. */
export interface JsonObject {
  [key: string]: JsonValue;
}

/** The text is not valid JSON. */
export class JsonSyntaxError extends Error {}

const MAX_DEPTH = 64;

/**
 * Recently seen object keys, by a hash of length and end characters. A key found here is reused
 * instead of sliced: V8 has already internalized it, so the property store skips hashing a fresh
 * string (the main cost of building objects from text). A collision just replaces the entry.
 */
const KEY_CACHE: string[] = new Array<string>(4096).fill("");

function keyAt(t: string, start: number, end: number): string {
  const len = end - start;
  const h = (len * 31 + t.charCodeAt(start) * 7 + t.charCodeAt(end - 1) * 3 + t.charCodeAt(start + (len >> 1))) & 4095;
  const k = KEY_CACHE[h]!;
  if (k.length === len && t.startsWith(k, start)) return k;
  const fresh = t.slice(start, end);
  KEY_CACHE[h] = fresh;
  return fresh;
}

class Reader {
  pos = 0;
  depth = 0;
  readonly text: string;
  constructor(text: string) {
    this.text = text;
  }

  fail(): never {
    throw new JsonSyntaxError(`invalid JSON at ${this.pos}`);
  }

  skipSpace(): void {
    const t = this.text;
    let c = t.charCodeAt(this.pos);
    while (c === 32 || c === 10 || c === 13 || c === 9) c = t.charCodeAt(++this.pos);
  }

  value(): JsonValue {
    let c = this.text.charCodeAt(this.pos);
    if (c <= 32) {
      this.skipSpace();
      c = this.text.charCodeAt(this.pos);
    }
    if (c === 34) return this.string();
    if (c === 123) return this.object();
    if (c === 91) return this.array();
    if (c === 45 || (c >= 48 && c <= 57)) return this.number();
    if (c === 116) return this.literal("true", true);
    if (c === 102) return this.literal("false", false);
    if (c === 110) return this.literal("null", null);
    return this.fail();
  }

  literal<T extends JsonValue>(word: string, value: T): T {
    if (!this.text.startsWith(word, this.pos)) this.fail();
    this.pos += word.length;
    return value;
  }

  number(): string {
    const t = this.text;
    const start = this.pos;
    let i = start;
    if (t.charCodeAt(i) === 45) i++;
    let c = t.charCodeAt(i);
    if (c === 48) c = t.charCodeAt(++i);
    else if (c >= 49 && c <= 57) {
      do c = t.charCodeAt(++i);
      while (c >= 48 && c <= 57);
    } else this.fail();
    if (c === 46) {
      const f = ++i;
      c = t.charCodeAt(i);
      while (c >= 48 && c <= 57) c = t.charCodeAt(++i);
      if (i === f) this.failAt(i);
    }
    if (c === 101 || c === 69) {
      c = t.charCodeAt(++i);
      if (c === 43 || c === 45) c = t.charCodeAt(++i);
      const e = i;
      while (c >= 48 && c <= 57) c = t.charCodeAt(++i);
      if (i === e) this.failAt(i);
    }
    this.pos = i;
    return t.slice(start, i);
  }

  failAt(pos: number): never {
    this.pos = pos;
    return this.fail();
  }

  string(): string {
    const t = this.text;
    const start = ++this.pos;
    let i = start;
    for (;;) {
      const c = t.charCodeAt(i);
      if (c === 34) break;
      if (c === 92) return this.escapedString(start);
      if (c < 32 || Number.isNaN(c)) this.failAt(i);
      i++;
    }
    this.pos = i + 1;
    return t.slice(start, i);
  }

  escapedString(start: number): string {
    const t = this.text;
    let i = start;
    for (;;) {
      const c = t.charCodeAt(i);
      if (c === 34) break;
      if (c < 32 || Number.isNaN(c)) this.failAt(i);
      i += c === 92 ? 2 : 1;
    }
    this.pos = i + 1;
    try {
      return JSON.parse(t.slice(start - 1, i + 1)) as string;
    } catch {
      return this.failAt(start);
    }
  }

  object(): JsonObject {
    if (++this.depth > MAX_DEPTH) this.fail();
    const t = this.text;
    this.pos++;
    const out: JsonObject = {};
    if (t.charCodeAt(this.pos) <= 32) this.skipSpace();
    if (t.charCodeAt(this.pos) === 125) {
      this.pos++;
      this.depth--;
      return out;
    }
    for (;;) {
      if (t.charCodeAt(this.pos) <= 32) this.skipSpace();
      if (t.charCodeAt(this.pos) !== 34) this.fail();
      const key = this.key();
      if (t.charCodeAt(this.pos) <= 32) this.skipSpace();
      if (t.charCodeAt(this.pos) !== 58) this.fail();
      this.pos++;
      const v = this.value();
      if (key === "__proto__") Object.defineProperty(out, key, { value: v, enumerable: true, writable: true, configurable: true });
      else out[key] = v;
      if (t.charCodeAt(this.pos) <= 32) this.skipSpace();
      const c = t.charCodeAt(this.pos++);
      if (c === 125) break;
      if (c !== 44) this.failAt(this.pos - 1);
    }
    this.depth--;
    return out;
  }

  /** An object key: like {@link string}, through the key cache when it has no escapes. */
  key(): string {
    const t = this.text;
    const start = this.pos + 1;
    let i = start;
    for (;;) {
      const c = t.charCodeAt(i);
      if (c === 34) break;
      if (c === 92 || c < 32 || Number.isNaN(c)) return this.string();
      i++;
    }
    this.pos = i + 1;
    return keyAt(t, start, i);
  }

  array(): JsonValue[] {
    if (++this.depth > MAX_DEPTH) this.fail();
    this.pos++;
    const out: JsonValue[] = [];
    this.skipSpace();
    if (this.text.charCodeAt(this.pos) === 93) {
      this.pos++;
      this.depth--;
      return out;
    }
    for (;;) {
      out.push(this.value());
      if (this.text.charCodeAt(this.pos) <= 32) this.skipSpace();
      const c = this.text.charCodeAt(this.pos++);
      if (c === 93) break;
      if (c !== 44) this.failAt(this.pos - 1);
    }
    this.depth--;
    return out;
  }
}

/** Parses `text` as JSON, numbers as their source text; throws {@link JsonSyntaxError}. */
export function parseJsonExact(text: string): JsonValue {
  const r = new Reader(text);
  const v = r.value();
  r.skipSpace();
  if (r.pos !== text.length) r.fail();
  return v;
}

/** Whether a parsed value is an object (not an array, not null). */
export function isObject(v: JsonValue | undefined): v is JsonObject {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}
