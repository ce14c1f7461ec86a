/** Readers shared by the venues' server-time parsers (see each venue's `definition.ts`). */

/** Reads a JSON body for a server-time parser; throws a clear Error when it is not an object. */
export function timeJson(body: string, venue: string): Record<string, unknown> {
  let root: unknown;
  try {
    root = JSON.parse(body);
  } catch {
    throw new Error(`${venue} time: response is not JSON`);
  }
  if (typeof root !== "object" || root === null || Array.isArray(root)) throw new Error(`${venue} time: expected an object`);
  return root as Record<string, unknown>;
}

/** A finite number from a JSON number or digit string, else a clear Error. */
export function timeNumber(v: unknown, what: string): number {
  const n = typeof v === "number" ? v : typeof v === "string" && /^\d+(\.\d+)?$/.test(v) ? Number(v) : NaN;
  if (!Number.isFinite(n) || n <= 0) throw new Error(`${what}: expected a time`);
  return n;
}
