/**
 * Pure helpers of the alerts UI: the rule a right-click on the chart creates, the price lines of a
 * chart's alerts, the log's filters and the browser notification of a fire.
 */
import type { AlertLogEntry, AlertRuleRow } from "../../../common/api/alerts.ts";
import type { AlertRule, CrossOp, IndicatorRef } from "../../../common/alerts/types.ts";
import type { Timeframe } from "../../../common/market/bars.ts";
import type { IndicatorConfig, InstrumentRef } from "../chart/types.ts";

/** The level a right-click at `price` offers, rounded to the chart's decimals. */
export function levelAt(price: number, decimals: number): string {
  return price.toFixed(Math.max(0, Math.min(12, decimals)));
}

/** A "crosses" alert on the chart's instrument and timeframe, firing on closed bars. */
export function crossingRule(instrument: InstrumentRef, timeframe: Timeframe, level: string, now = Date.now()): AlertRule {
  const id = `${instrument.symbol.replace(/[^A-Za-z0-9]/g, "")}-${level.replace(".", "_")}-${now.toString(36)}`.slice(0, 64);
  return {
    id,
    venue: instrument.venue,
    symbol: instrument.symbol,
    timeframe,
    condition: { type: "price", op: "crosses", value: level },
    frequency: "once_per_bar_close",
    deliver: { desktop: true },
  };
}

/** The strategy library's indicator a chart indicator is (Bollinger: its middle line). */
export function indicatorRef(c: IndicatorConfig): IndicatorRef {
  switch (c.kind) {
    case "bbands":
      return { indicator: "bbands", args: [c.period, c.param2 ?? 2], output: "middle" };
    case "macd":
      return { indicator: "macd", args: [c.period, c.param2 ?? 26, c.param3 ?? 9] };
    default:
      return { indicator: c.kind, args: [c.period] };
  }
}

/** An alert on a chart indicator against a level, on the chart's instrument and timeframe (closed bars). */
export function indicatorRule(instrument: InstrumentRef, timeframe: Timeframe, c: IndicatorConfig, op: CrossOp, value: number, now = Date.now()): AlertRule {
  const ref = indicatorRef(c);
  return {
    id: `${instrument.symbol.replace(/[^A-Za-z0-9]/g, "")}-${ref.indicator}${c.period}-${now.toString(36)}`.slice(0, 64),
    venue: instrument.venue,
    symbol: instrument.symbol,
    timeframe,
    condition: { type: "indicator", ...ref, op, value },
    frequency: "once_per_bar_close",
    deliver: { desktop: true },
  };
}

/** What the strategy alert form holds (all as typed). */
export interface StrategyAlertForm {
  id: string;
  venue: string;
  symbol: string;
  timeframe: Timeframe;
  frequency: "once_per_bar_close" | "once";
  /** A JSON object of the strategy's params, or empty. */
  params: string;
  /** A message template, or empty for the default. */
  message: string;
}

/** The form's first values: the saved strategy `name` on the chart's instrument and timeframe. */
export function strategyAlertForm(name: string, instrument: InstrumentRef | null, timeframe: Timeframe, now = Date.now()): StrategyAlertForm {
  const slug = name.replace(/[^A-Za-z0-9]/g, "") || "strategy";
  return { id: `${slug}-${now.toString(36)}`.slice(0, 64), venue: instrument?.venue ?? "", symbol: instrument?.symbol ?? "", timeframe, frequency: "once_per_bar_close", params: "", message: "" };
}

/** The rule the form describes (core validates the rest), or the one-line problem with the params. */
export function strategyAlertRule(name: string, f: StrategyAlertForm): { rule: AlertRule } | { error: string } {
  let params: unknown;
  try {
    params = f.params.trim() === "" ? undefined : JSON.parse(f.params);
  } catch {
    return { error: "params: not valid JSON" };
  }
  if (params !== undefined && (typeof params !== "object" || params === null || Array.isArray(params))) return { error: 'params: must be a JSON object, e.g. {"fast": 10}' };
  const condition = { type: "strategy" as const, strategy: name, ...(params === undefined ? {} : { params: params as Record<string, unknown> }) };
  const rule: AlertRule = { id: f.id.trim(), venue: f.venue.trim(), symbol: f.symbol.trim(), timeframe: f.timeframe, condition, frequency: f.frequency, deliver: { desktop: true } };
  if (f.message.trim() !== "") rule.message = f.message;
  return { rule };
}

/** A line on the chart for each active price or channel alert of the instrument. */
export function alertLines(rows: readonly AlertRuleRow[], instrument: InstrumentRef | null): { price: number; title: string }[] {
  if (!instrument) return [];
  const lines: { price: number; title: string }[] = [];
  for (const { rule, paused } of rows) {
    if (paused !== null || rule.venue !== instrument.venue || rule.symbol !== instrument.symbol) continue;
    const c = rule.condition;
    if (c.type === "price") lines.push({ price: Number(c.value), title: `⏰ ${c.op.replace("_", " ")}` });
    if (c.type === "channel") lines.push({ price: Number(c.low), title: `⏰ ${c.op} low` }, { price: Number(c.high), title: `⏰ ${c.op} high` });
  }
  return lines;
}

/** Filters of the alert log. */
export interface LogFilter {
  rule: string;
  text: string;
  lateOnly: boolean;
  failedOnly: boolean;
}

/** The log entries that pass the filters. */
export function filterLog(entries: readonly AlertLogEntry[], f: LogFilter): AlertLogEntry[] {
  const text = f.text.trim().toLowerCase();
  return entries.filter(
    (e) =>
      (f.rule === "" || e.rule === f.rule) &&
      (!f.lateOnly || e.lateMs !== null) &&
      (!f.failedOnly || e.deliveries.some((d) => d.status === "dead")) &&
      (text === "" || e.message.toLowerCase().includes(text)),
  );
}

/** What a browser notification of a fire shows; its tag is the rule's, so a rule's fires replace each other. */
export function notificationOf(e: AlertLogEntry): { title: string; body: string; tag: string } {
  const late = e.lateMs === null ? "" : ` (late ${Math.round(e.lateMs / 1000)} s)`;
  return { title: `Alert: ${e.rule}`, body: `${e.message}${late}`, tag: `alert-${e.rule}` };
}
