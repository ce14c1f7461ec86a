/**
 * Shape checks shared by the venues' REST parsers (`<venue>/rest.ts`): each validates, keeps
 * prices and sizes as exact decimal strings, and throws {@link RestFormatError} with a clear
 * message on anything unexpected.
 */
import { canonicalDecimal } from "../../common/market/decimal.ts";

/** A REST answer did not have the documented shape. */
export class RestFormatError extends Error {}

/** A JSON object. */
export type Obj = Record<string, unknown>;

/** Throws a RestFormatError saying `what`. */
export function fail(what: string): never {
  throw new RestFormatError(what);
}

/** `v` as an object, else a RestFormatError. */
export function obj(v: unknown, what: string): Obj {
  return typeof v === "object" && v !== null && !Array.isArray(v) ? (v as Obj) : fail(`${what}: expected an object`);
}

/** `v` as an array, else a RestFormatError. */
export function list(v: unknown, what: string): unknown[] {
  return Array.isArray(v) ? v : fail(`${what}: expected an array`);
}

/** `v` as a canonical decimal string, else a RestFormatError. */
export function dec(v: unknown, what: string): string {
  const c = typeof v === "string" ? canonicalDecimal(v) : null;
  return c ?? fail(`${what}: expected a decimal string`);
}

/** `v` as a non-empty string, else a RestFormatError. */
export function text(v: unknown, what: string): string {
  return typeof v === "string" && v.length > 0 ? v : fail(`${what}: expected a string`);
}

/** Fraction digits of a canonical decimal. */
export function decimalsOf(canonical: string): number {
  const dot = canonical.indexOf(".");
  return dot < 0 ? 0 : canonical.length - dot - 1;
}

/** The parsed body, else a RestFormatError. */
export function parseJson(body: string, venue: string): unknown {
  try {
    return JSON.parse(body);
  } catch {
    return fail(`${venue}: response is not JSON`);
  }
}
