/**
 * Merges a run's param overrides into a strategy's defaults. Only names the strategy declares are
 * accepted, and an override must have the default's type (a number stays a number), so a sweep
 * typo fails loudly instead of silently running the defaults.
 */
import type { StrategyParams } from "../api.ts";

function checkValue(name: string, value: unknown): number | boolean | string {
  if (typeof value === "number" || typeof value === "boolean" || typeof value === "string") return value;
  throw new TypeError(`param "${name}" must be a number, boolean or string (got ${value === null ? "null" : typeof value})`);
}

/** The defaults with the overrides applied; throws on unknown names or mismatched types. */
export function resolveParams(defaults: unknown, overrides: StrategyParams | undefined): StrategyParams {
  const given = defaults ?? {};
  if (typeof given !== "object") throw new TypeError("defineStrategy: params must be an object");
  const out: StrategyParams = {};
  for (const name of Object.keys(given)) out[name] = checkValue(name, (given as Record<string, unknown>)[name]);
  for (const [name, value] of Object.entries(overrides ?? {})) {
    if (!Object.hasOwn(out, name)) {
      const known = Object.keys(out);
      throw new TypeError(`unknown param "${name}" (the strategy's params: ${known.length > 0 ? known.join(", ") : "none"})`);
    }
    if (typeof value !== typeof out[name]) {
      throw new TypeError(`param "${name}" must be a ${typeof out[name]} like its default (got ${typeof value})`);
    }
    out[name] = value;
  }
  return Object.freeze(out);
}
