/**
 * Merges a run's param overrides into a strategy's defaults. Only names the strategy declares are
 * accepted, and an override must have the default's type (a number stays a number), so a sweep
 * typo fails loudly instead of silently running the defaults. Params are small: over 64 KB of
 * JSON they are refused (they are stored with every run).
 */
import type { StrategyParams } from "../api.ts";
import { RESULT_CAPS } from "../results.ts";

/** Why `params` (a run's params, or a sweep grid) are too large to run and store, or null. */
export function paramsSizeProblem(params: unknown, what = "params"): string | null {
  const chars = JSON.stringify(params ?? {}).length;
  if (chars <= RESULT_CAPS.maxParamsBytes) return null;
  return `the ${what} are ${Math.ceil(chars / 1024)} KB of JSON; at most ${RESULT_CAPS.maxParamsBytes / 1024} KB`;
}

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
  const problem = paramsSizeProblem(out, "strategy's params");
  if (problem) throw new RangeError(problem);
  return Object.freeze(out);
}
