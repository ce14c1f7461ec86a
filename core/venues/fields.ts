/**
 * Field readers for venue parsers over {@link parseJsonExact} output. Each throws
 * {@link MalformedField} when a field is missing or of the wrong shape; parsers catch it once per
 * frame and turn the whole frame into one `malformed_frame` error, so a frame is either handled
 * completely or not at all.
 */
import { canonicalDecimal } from "../../common/market/decimal.ts";
import { isObject, type JsonObject, type JsonValue } from "./json.ts";
import { parseEpochMs, parseIsoMs } from "./time.ts";

/** A required field is missing or malformed. */
export class MalformedField extends Error {}

/** Whether `v` is `0` or digits without a leading zero. */
function isIntegerText(v: string): boolean {
  const n = v.length;
  if (n === 0 || (n > 1 && v.charCodeAt(0) === 48)) return false;
  for (let i = 0; i < n; i++) {
    const c = v.charCodeAt(i);
    if (c < 48 || c > 57) return false;
  }
  return true;
}

/** Throws {@link MalformedField}. */
export function malformed(what: string): never {
  throw new MalformedField(what);
}

/** A string field (numbers arrive as their wire text, so a JSON number also passes). */
export function str(o: JsonObject, key: string): string {
  const v = o[key];
  return typeof v === "string" ? v : malformed(key);
}

/** An optional string field. */
export function optStr(o: JsonObject, key: string): string | undefined {
  const v = o[key];
  return typeof v === "string" ? v : undefined;
}

/** An object field. */
export function obj(o: JsonObject, key: string): JsonObject {
  const v = o[key];
  return isObject(v) ? v : malformed(key);
}

/** An array field. */
export function arr(o: JsonObject, key: string): JsonValue[] {
  const v = o[key];
  return Array.isArray(v) ? v : malformed(key);
}

/** An array element that must be an object. */
export function item(v: JsonValue | undefined): JsonObject {
  return isObject(v) ? v : malformed("item");
}

/** A non-negative decimal (price or size) from wire text, canonical. */
export function decimalText(v: JsonValue | undefined, what: string): string {
  if (typeof v !== "string") return malformed(what);
  const c = canonicalDecimal(v);
  if (c === null || c.charCodeAt(0) === 45) return malformed(what);
  return c;
}

/** A non-negative integer that is exact as a JS number (ids, sequence numbers). */
export function safeInt(v: JsonValue | undefined, what: string): number {
  if (typeof v !== "string" || !isIntegerText(v)) return malformed(what);
  const n = Number(v);
  return Number.isSafeInteger(n) ? n : malformed(what);
}

/** A non-negative integer id kept as its digits (any length). */
export function idText(v: JsonValue | undefined, what: string): string {
  if (typeof v === "string" && v.length > 0 && v.length <= 128) return v;
  return malformed(what);
}

/** An RFC 3339 time as UTC ms. */
export function isoMs(v: JsonValue | undefined, what: string): number {
  const ms = typeof v === "string" ? parseIsoMs(v) : null;
  return ms === null ? malformed(what) : ms;
}

/** An epoch ms/µs/ns number as UTC ms. */
export function epochMs(v: JsonValue | undefined, what: string): number {
  const ms = typeof v === "string" ? parseEpochMs(v) : null;
  return ms === null ? malformed(what) : ms;
}
