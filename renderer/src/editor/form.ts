/**
 * Checks the run form before anything is sent: every field either parses within the bounds core
 * accepts (common/api/strategy.ts) or is reported by name, so a run never silently falls back to
 * a default. Empty cash/commission/slippage fields mean the Settings default. Dates are UTC days,
 * both inclusive: `to` is sent as the next UTC midnight, because core treats `to` as exclusive.
 */
import type { StrategyParams } from "../../../common/strategy/api.ts";
import type { RunSettings } from "../stores/backtest.ts";
import { parseParam, parseRange } from "./params.ts";

const DAY_MS = 86_400_000;

/** A field the form cannot use, and why. */
export interface FieldError {
  /** The field's key: "cash", "commission", "slippage", "from", "to", "symbol", `param:<name>`, `range:<name>`. */
  field: string;
  message: string;
}

/** The form's raw text and what it needs to interpret it. */
export interface RunFormInput {
  hasSymbol: boolean;
  from: string;
  to: string;
  cash: string;
  commission: string;
  slippage: string;
  paramDefaults: StrategyParams;
  paramText: Record<string, string>;
  sweep: boolean;
  ranges: Record<string, string>;
  defaults: { cash: number; commission: number; slippageBps: number };
}

/** The values of a valid form. */
export interface RunFormValues extends RunSettings {
  params: StrategyParams;
  /** The sweep grid (param → values) when sweeping, else null. */
  grid: Record<string, Array<number | boolean | string>> | null;
}

/** The result of {@link checkRunForm}. */
export type RunFormCheck = { ok: true; values: RunFormValues } | { ok: false; errors: FieldError[] };

/** UTC midnight of a "YYYY-MM-DD" day; null for "" and for text that is not a calendar day. */
export function utcDayStart(text: string): number | null {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(text.trim());
  if (!m) return null;
  const ms = Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]));
  return new Date(ms).toISOString().startsWith(text.trim()) ? ms : null;
}

/** The run's range from two inclusive UTC days: `from` at its midnight, `to` at the next one (exclusive). */
export function dayRange(from: string, to: string): { from: number | null; to: number | null; errors: FieldError[] } {
  const errors: FieldError[] = [];
  const f = utcDayStart(from);
  const t = utcDayStart(to);
  if (from.trim() !== "" && f === null) errors.push({ field: "from", message: "From is not a date (YYYY-MM-DD)" });
  if (to.trim() !== "" && t === null) errors.push({ field: "to", message: "To is not a date (YYYY-MM-DD)" });
  if (f !== null && t !== null && t < f) errors.push({ field: "to", message: "To is before From" });
  return { from: f, to: t === null ? null : t + DAY_MS, errors };
}

/** Parses a number field: empty = `fallback`; else a finite number within [min, max] or an error message. */
export function numberField(text: string, fallback: number, min: number, max: number, what: string, exclusiveMin = false): number | string {
  const t = text.trim();
  if (t === "") return fallback;
  const n = Number(t);
  if (!/^[+-]?(\d+\.?\d*|\.\d+)(e[+-]?\d+)?$/i.test(t) || !Number.isFinite(n)) return `${what} is not a number`;
  if (n < min || (exclusiveMin && n === min) || n > max) return `${what} must be ${exclusiveMin ? "above" : "at least"} ${min} and at most ${max}`;
  return n;
}

function checkParams(input: RunFormInput, errors: FieldError[]): StrategyParams {
  const params: StrategyParams = {};
  for (const [name, like] of Object.entries(input.paramDefaults)) {
    const v = parseParam(input.paramText[name] ?? String(like), like);
    if (v === null) errors.push({ field: `param:${name}`, message: `Param ${name} is not a number` });
    else params[name] = v;
  }
  return params;
}

function checkGrid(input: RunFormInput, params: StrategyParams, errors: FieldError[]): RunFormValues["grid"] {
  if (!input.sweep) return null;
  const grid: Record<string, Array<number | boolean | string>> = {};
  for (const name of Object.keys(input.paramDefaults)) {
    const text = input.ranges[name]?.trim();
    if (!text) continue;
    const values = parseRange(text);
    if (values) grid[name] = values;
    else errors.push({ field: `range:${name}`, message: `Sweep range of ${name} is invalid (start:stop:step or a,b,c)` });
  }
  if (Object.keys(grid).length === 0) errors.push({ field: "range", message: "Give at least one param a sweep range" });
  for (const [k, v] of Object.entries(params)) if (!(k in grid)) grid[k] = [v];
  return grid;
}

/** Checks the whole form; the errors are in the order the fields appear. */
export function checkRunForm(input: RunFormInput): RunFormCheck {
  const errors: FieldError[] = [];
  if (!input.hasSymbol) errors.push({ field: "symbol", message: "Open a symbol on the chart first" });
  const range = dayRange(input.from, input.to);
  errors.push(...range.errors);
  const field = (key: string, value: number | string): number => {
    if (typeof value === "string") errors.push({ field: key, message: value });
    return typeof value === "number" ? value : NaN;
  };
  const cash = field("cash", numberField(input.cash, input.defaults.cash, 0, 1e15, "Cash", true));
  const commission = field("commission", numberField(input.commission, input.defaults.commission, 0, 0.5, "Commission (a fraction, 0.001 = 0.1 %)"));
  const slippageBps = field("slippage", numberField(input.slippage, input.defaults.slippageBps, 0, 10_000, "Slippage (basis points)"));
  const params = checkParams(input, errors);
  const grid = checkGrid(input, params, errors);
  if (errors.length > 0) return { ok: false, errors };
  return { ok: true, values: { from: range.from, to: range.to, cash, commission, slippageBps, params, grid } };
}
