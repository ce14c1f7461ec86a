/**
 * Reading alert rules from JSON: one rule or an array. Every problem is one line naming the field
 * (`rule[1].condition.op: ...`). A level stays the decimal the user typed (canonicalised, never
 * rounded to the tick grid). Symbols are checked only when the caller knows the venue's instruments.
 */
import { TIMEFRAMES, type Timeframe } from "../market/bars.ts";
import { canonicalDecimal, compareDecimal } from "../market/decimal.ts";
import { parseUtcTime } from "../time.ts";
import { parseMoveBy } from "./decimal-math.ts";
import { indicatorProblem } from "./indicators.ts";
import { unknownPlaceholder } from "./template.ts";
import { INDICATOR_NAMES, SCREEN_RULE_VENUE, type AlertCondition, type AlertDelivery, type AlertFrequency, type AlertRule, type CrossOp, type IndicatorName, type IndicatorRef, type ScreenCondition } from "./types.ts";

/** A rule that cannot be used; the message names the field. */
export class AlertRuleError extends Error {}

/** What the caller knows about instruments; `undefined` from `knownSymbol` means "cannot tell". */
export interface RuleCheckOptions {
  knownSymbol?: (venue: string, symbol: string) => boolean | undefined;
}

const CROSS_OPS: readonly CrossOp[] = ["crosses", "crosses_up", "crosses_down", "above", "below"];
const FREQUENCIES: readonly AlertFrequency[] = ["once", "once_per_bar", "once_per_bar_close", "every_seconds"];
const ID = /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/;

type Obj = Record<string, unknown>;

function fail(field: string, reason: string): never {
  throw new AlertRuleError(`${field}: ${reason}`);
}

function obj(v: unknown, field: string): Obj {
  if (typeof v !== "object" || v === null || Array.isArray(v)) fail(field, "must be an object");
  return v as Obj;
}

function str(o: Obj, key: string, field: string): string {
  const v = o[key];
  if (typeof v !== "string" || v.trim() === "") fail(`${field}.${key}`, "must be a non-empty string");
  return v;
}

function oneOf<T extends string>(o: Obj, key: string, field: string, allowed: readonly T[]): T {
  const v = o[key];
  if (typeof v !== "string" || !(allowed as readonly string[]).includes(v)) fail(`${field}.${key}`, `must be one of ${allowed.join(", ")}`);
  return v as T;
}

function decimal(o: Obj, key: string, field: string): string {
  const v = o[key];
  const c = typeof v === "string" ? canonicalDecimal(v.trim()) : null;
  if (c === null) fail(`${field}.${key}`, 'must be a decimal string such as "43500.00"');
  return c;
}

function indicatorRef(o: Obj, field: string): IndicatorRef {
  const name = oneOf(o, "indicator", field, INDICATOR_NAMES as readonly IndicatorName[]);
  const args = o.args ?? [];
  if (!Array.isArray(args) || !args.every((a) => typeof a === "number" && Number.isFinite(a))) fail(`${field}.args`, "must be an array of numbers");
  const ref: IndicatorRef = { indicator: name, args: args as number[] };
  if (o.output !== undefined) ref.output = str(o, "output", field);
  const problem = indicatorProblem(ref);
  if (problem) fail(`${field}.indicator`, problem);
  return ref;
}

function condition(v: unknown, field: string): AlertCondition {
  const o = obj(v, field);
  const type = oneOf(o, "type", field, ["price", "indicator", "channel", "move", "strategy", "screen"] as const);
  switch (type) {
    case "price":
      return { type, op: oneOf(o, "op", field, CROSS_OPS), value: decimal(o, "value", field) };
    case "indicator": {
      const ref = indicatorRef(o, field);
      const op = oneOf(o, "op", field, CROSS_OPS);
      if (o.than !== undefined) return { type, ...ref, op, than: indicatorRef(obj(o.than, `${field}.than`), `${field}.than`) };
      if (typeof o.value !== "number" || !Number.isFinite(o.value)) fail(`${field}.value`, "must be a number (or give than: another indicator)");
      return { type, ...ref, op, value: o.value };
    }
    case "channel": {
      const low = decimal(o, "low", field);
      const high = decimal(o, "high", field);
      if (compareDecimal(low, high) > 0) fail(`${field}.low`, "must not be above high");
      return { type, op: oneOf(o, "op", field, ["entering", "exiting"] as const), low, high };
    }
    case "move": {
      const by = typeof o.by === "string" ? o.by.trim() : "";
      if (parseMoveBy(by) === null) fail(`${field}.by`, 'must be a positive amount ("250") or percentage ("1.5%")');
      if (!Number.isInteger(o.bars) || (o.bars as number) < 1 || (o.bars as number) > 10_000) fail(`${field}.bars`, "must be a whole number from 1 to 10000");
      return { type, op: oneOf(o, "op", field, ["up", "down"] as const), by, bars: o.bars as number };
    }
    case "strategy": {
      const out: AlertCondition = { type, strategy: str(o, "strategy", field) };
      if (o.params !== undefined) out.params = obj(o.params, `${field}.params`);
      return out;
    }
    case "screen":
      return screenCondition(o, field);
  }
}

/** A screen condition's shape (whether its universe, columns, filter and sort work is checked in core). */
function screenCondition(o: Obj, field: string): ScreenCondition {
  const out: ScreenCondition = { type: "screen", universe: str(o, "universe", field).trim(), columns: str(o, "columns", field).trim(), top: 0 };
  if (!Number.isInteger(o.top) || (o.top as number) < 1 || (o.top as number) > 10_000) fail(`${field}.top`, "must be a whole number from 1 to 10000");
  out.top = o.top as number;
  if (o.filter !== undefined && o.filter !== "") out.filter = str(o, "filter", field);
  if (o.sort !== undefined && o.sort !== "") out.sort = str(o, "sort", field);
  return out;
}

/** A screen rule's venue ("screener"), symbol (its universe) and frequency (bar closes only), as given or defaulted. */
function screenRuleFields(o: Obj, cond: ScreenCondition, field: string): { venue: string; symbol: string; frequency: AlertFrequency } {
  if (o.venue !== undefined && o.venue !== SCREEN_RULE_VENUE) fail(`${field}.venue`, `a screen rule's venue is "${SCREEN_RULE_VENUE}" (or leave it out)`);
  if (o.frequency !== undefined && o.frequency !== "once_per_bar_close") fail(`${field}.frequency`, "a screen rule fires on bar closes only: once_per_bar_close (or leave it out)");
  const symbol = o.symbol === undefined ? cond.universe.slice(0, 200) : str(o, "symbol", field);
  return { venue: SCREEN_RULE_VENUE, symbol, frequency: "once_per_bar_close" };
}

function expiry(v: unknown, field: string): number {
  if (typeof v === "number" && Number.isSafeInteger(v) && v >= 0) return v;
  const ms = typeof v === "string" ? parseUtcTime(v) : null;
  if (ms === null) fail(field, 'must be an ISO 8601 UTC time ("2026-01-31T12:00:00Z") or UTC ms');
  return ms;
}

function delivery(v: unknown, field: string): AlertDelivery {
  const o = obj(v ?? { desktop: true }, field);
  const out: AlertDelivery = { desktop: o.desktop !== false };
  if (o.webhook === undefined) return out;
  const w = obj(o.webhook, `${field}.webhook`);
  const url = str(w, "url", `${field}.webhook`);
  const parsed = URL.canParse(url) ? new URL(url) : null;
  if (!parsed || (parsed.protocol !== "http:" && parsed.protocol !== "https:")) fail(`${field}.webhook.url`, "must be an http(s) URL");
  out.webhook = { url };
  if (w.secretKey !== undefined) out.webhook.secretKey = str(w, "secretKey", `${field}.webhook`);
  return out;
}

/** Validates one rule object. */
export function parseRule(v: unknown, options: RuleCheckOptions = {}, field = "rule"): AlertRule {
  const o = obj(v, field);
  const id = str(o, "id", field);
  if (!ID.test(id)) fail(`${field}.id`, "must be 1-64 letters, digits, '.', '_' or '-'");
  const cond = condition(o.condition, `${field}.condition`);
  const { venue, symbol, frequency } = cond.type === "screen" ? screenRuleFields(o, cond, field) : { venue: str(o, "venue", field), symbol: str(o, "symbol", field), frequency: oneOf(o, "frequency", field, FREQUENCIES) };
  if (cond.type !== "screen" && options.knownSymbol?.(venue, symbol) === false) fail(`${field}.symbol`, `${symbol} is not an instrument of ${venue}`);
  const timeframe = oneOf(o, "timeframe", field, Object.keys(TIMEFRAMES) as Timeframe[]);
  const rule: AlertRule = { id, venue, symbol, timeframe, condition: cond, frequency, deliver: delivery(o.deliver, `${field}.deliver`) };
  if (frequency === "every_seconds") {
    if (!Number.isInteger(o.everySeconds) || (o.everySeconds as number) < 1) fail(`${field}.everySeconds`, "must be a whole number of seconds ≥ 1 with every_seconds");
    rule.everySeconds = o.everySeconds as number;
  }
  if (o.expires !== undefined && o.expires !== null) rule.expires = expiry(o.expires, `${field}.expires`);
  if (o.message !== undefined) {
    if (typeof o.message !== "string") fail(`${field}.message`, "must be a string");
    const bad = unknownPlaceholder(o.message, cond.type === "strategy");
    if (bad !== null) fail(`${field}.message`, `unknown placeholder {{${bad}}}`);
    rule.message = o.message;
  }
  return rule;
}

/** Parses a rule file's text: one rule or an array; ids must be unique. */
export function parseRules(text: string, options: RuleCheckOptions = {}): AlertRule[] {
  let v: unknown;
  try {
    v = JSON.parse(text);
  } catch (err) {
    throw new AlertRuleError(`not JSON: ${(err as Error).message}`);
  }
  const list = Array.isArray(v) ? v.map((r, i) => parseRule(r, options, `rule[${i}]`)) : [parseRule(v, options)];
  const seen = new Set<string>();
  for (const r of list) {
    if (seen.has(r.id)) throw new AlertRuleError(`id: ${r.id} appears twice`);
    seen.add(r.id);
  }
  return list;
}
