/**
 * Exact decimals for prices and sizes, never through float.
 *
 * Two forms, both exact:
 * - the canonical decimal string: what events carry. Plain digits, an optional "-", an optional
 *   fraction; no leading zeros in the integer part, no trailing zeros in the fraction, never an
 *   exponent, "0" for zero (so `43120` stays `43120`, `0.00000000` becomes `0`). Each value has
 *   exactly one canonical string, so string equality is numeric equality and
 *   {@link compareDecimal} orders canonical strings without converting them.
 * - the scaled integer: a bigint mantissa at a fixed scale of {@link DECIMAL_SCALE} (1e-18) for
 *   arithmetic and storage. `toScaled` / `fromScaled` convert exactly; a value that does not fit the
 *   scale is an error, never rounded.
 *
 * Wire text is accepted in JSON-number grammar (digits, optional fraction, optional exponent, as
 * Kraken and Binance may send numbers rather than strings) plus leading zeros. A value with more than
 * {@link DECIMAL_SCALE} significant fraction digits or more than {@link MAX_INTEGER_DIGITS} integer
 * digits is not a price or size and is rejected.
 */

/** Fraction digits of a scaled integer: mantissa × 10^-18. */
export const DECIMAL_SCALE = 18;
/** The longest integer part accepted from the wire. */
export const MAX_INTEGER_DIGITS = 30;

const ZERO = 48;
const NINE = 57;
const DOT = 46;
const MINUS = 45;

/** Thrown by the converting functions on text that is not an exact decimal. */
export class DecimalError extends Error {}

function isDigit(c: number): boolean {
  return c >= ZERO && c <= NINE;
}

/**
 * The canonical string of a decimal literal, or null when `text` is not one (empty, "NaN", ".5",
 * "5.", "+5", spaces, too many digits). Fast path for plain `digits[.digits]`.
 */
export function canonicalDecimal(text: string): string | null {
  const n = text.length;
  let i = 0;
  const negative = n > 0 && text.charCodeAt(0) === MINUS;
  if (negative) i = 1;
  const intStart = i;
  while (i < n && isDigit(text.charCodeAt(i))) i++;
  const intEnd = i;
  if (intEnd === intStart) return null;
  let fracEnd = intEnd;
  if (i < n && text.charCodeAt(i) === DOT) {
    i++;
    while (i < n && isDigit(text.charCodeAt(i))) i++;
    if (i === intEnd + 1) return null;
    fracEnd = i;
  }
  if (i < n) return exponentForm(text, negative, intStart, intEnd, fracEnd, i);
  let a = intStart;
  while (a < intEnd - 1 && text.charCodeAt(a) === ZERO) a++;
  if (intEnd - a > MAX_INTEGER_DIGITS) return null;
  let z = fracEnd;
  if (fracEnd > intEnd) {
    while (z > intEnd + 1 && text.charCodeAt(z - 1) === ZERO) z--;
    if (z === intEnd + 1) z = intEnd;
  }
  if (z - intEnd - 1 > DECIMAL_SCALE) return null;
  const body = a === 0 && z === n ? text : text.slice(a, z);
  if (!negative) return body;
  return body === "0" ? "0" : `-${body}`;
}

/** Canonical form of `d.ddd e±x` (the part after `expAt` must be an exponent). */
function exponentForm(text: string, negative: boolean, intStart: number, intEnd: number, fracEnd: number, expAt: number): string | null {
  const match = /^[eE]([+-]?)(\d{1,4})$/.exec(text.slice(expAt));
  if (!match) return null;
  const exp = Number(match[2]) * (match[1] === "-" ? -1 : 1);
  const intDigits = text.slice(intStart, intEnd);
  const digits = intDigits + (fracEnd > intEnd ? text.slice(intEnd + 1, fracEnd) : "");
  if (Math.abs(exp) > 64) return /^0*$/.test(digits) ? "0" : null;
  const point = intDigits.length + exp;
  let shifted: string;
  if (point <= 0) shifted = `0.${"0".repeat(-point)}${digits}`;
  else if (point >= digits.length) shifted = digits + "0".repeat(point - digits.length);
  else shifted = `${digits.slice(0, point)}.${digits.slice(point)}`;
  return canonicalDecimal(negative ? `-${shifted}` : shifted);
}

/** Like {@link canonicalDecimal} but throws {@link DecimalError}. */
export function normalizeDecimal(text: string): string {
  const c = canonicalDecimal(text);
  if (c === null) throw new DecimalError(`not a decimal: ${JSON.stringify(text.slice(0, 40))}`);
  return c;
}

/** The bigint mantissa of `text` at `scale` fraction digits (default 18); exact or throws. */
export function toScaled(text: string, scale = DECIMAL_SCALE): bigint {
  const c = normalizeDecimal(text);
  const dot = c.indexOf(".");
  if (dot < 0) return BigInt(c) * 10n ** BigInt(scale);
  const frac = c.slice(dot + 1);
  if (frac.length > scale) throw new DecimalError(`${c} has more than ${scale} fraction digits`);
  return BigInt(c.slice(0, dot) + frac.padEnd(scale, "0"));
}

/** The canonical string of `mantissa` × 10^-scale. */
export function fromScaled(mantissa: bigint, scale = DECIMAL_SCALE): string {
  const negative = mantissa < 0n;
  const digits = (negative ? -mantissa : mantissa).toString();
  let out: string;
  if (scale === 0) out = digits;
  else {
    const padded = digits.padStart(scale + 1, "0");
    const intPart = padded.slice(0, padded.length - scale);
    const frac = padded.slice(padded.length - scale).replace(/0+$/, "");
    out = frac === "" ? intPart : `${intPart}.${frac}`;
  }
  return negative && out !== "0" ? `-${out}` : out;
}

/** Orders two canonical decimal strings numerically: negative, zero or positive. */
export function compareDecimal(a: string, b: string): number {
  const negA = a.charCodeAt(0) === MINUS;
  const negB = b.charCodeAt(0) === MINUS;
  if (negA !== negB) return negA ? -1 : 1;
  return negA ? compareMagnitude(b.slice(1), a.slice(1)) : compareMagnitude(a, b);
}

/**
 * Orders two non-negative canonical decimal strings: the longer integer part is larger; with equal
 * integer lengths, plain string order is numeric order (digits compare digit by digit, a prefix is
 * smaller, and "." sorts below every digit).
 */
export function compareMagnitude(a: string, b: string): number {
  let ia = a.indexOf(".");
  let ib = b.indexOf(".");
  if (ia < 0) ia = a.length;
  if (ib < 0) ib = b.length;
  if (ia !== ib) return ia - ib;
  return a === b ? 0 : a < b ? -1 : 1;
}

/** Whether a canonical decimal string is zero. */
export function isZeroDecimal(canonical: string): boolean {
  return canonical === "0";
}

/**
 * The canonical decimal of a float at the store boundary: its shortest round-trip text (so a
 * value parsed from "0.1" is "0.1" again), rounded to {@link DECIMAL_SCALE} fraction digits when
 * that text is longer. Throws {@link DecimalError} on NaN, infinities and values too large.
 */
export function decimalFromNumber(x: number): string {
  if (!Number.isFinite(x)) throw new DecimalError(`not a decimal: ${String(x)}`);
  const shortest = canonicalDecimal(String(x));
  if (shortest !== null) return shortest;
  if (Math.abs(x) >= 1e21) throw new DecimalError(`${String(x)} has more than ${MAX_INTEGER_DIGITS} integer digits`);
  return normalizeDecimal(x.toFixed(DECIMAL_SCALE));
}

/** The product of decimals, exact, then rounded half away from zero to {@link DECIMAL_SCALE} fraction digits. */
export function multiplyDecimals(...factors: string[]): string {
  let product = 10n ** BigInt(DECIMAL_SCALE);
  for (const f of factors) product = roundScaled(product * toScaled(f));
  return fromScaled(product);
}

/** A product of two scaled integers (scale 36) back at scale 18, rounded half away from zero. */
function roundScaled(wide: bigint): bigint {
  const unit = 10n ** BigInt(DECIMAL_SCALE);
  const half = unit / 2n;
  return wide >= 0n ? (wide + half) / unit : -((-wide + half) / unit);
}
