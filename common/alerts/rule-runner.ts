/**
 * One rule's evaluation: its condition state plus the frequency gate, expiry and flood control.
 * - `once`, `once_per_bar` and `every_seconds` test the forming bar on every trade (they may fire
 *   inside a bar); `once_per_bar_close` tests closed bars only, so it can never repaint.
 * - `once` fires a single time ever; `once_per_bar` at most once per bar; `every_seconds` at most
 *   once per N seconds of venue time.
 * - a fire at or after `expires` (venue time) does not happen; the rule is over.
 * - flood control: a rule that fires more than {@link FLOOD_LIMIT} times within
 *   {@link FLOOD_WINDOW_MS} of venue time pauses itself, with the reason.
 */
import { conditionState, type BarPrices, type ConditionResult, type ConditionState } from "./conditions.ts";
import type { IndicatorPool } from "./indicators.ts";
import { compileTemplate, type CompiledTemplate } from "./template.ts";
import type { AlertCondition, AlertPause, AlertRule, KeyedFire } from "./types.ts";

/** More fires than this within the window pause a rule. */
export const FLOOD_LIMIT = 15;
/** The flood control window, venue ms. */
export const FLOOD_WINDOW_MS = 180_000;

/** Where a rule's fires and pauses go. */
export interface RuleOutput {
  fire(fire: KeyedFire): void;
  pause(pause: AlertPause): void;
}

/** What a rule remembers about its own firing (persisted by the service). */
export interface RuleFiringState {
  firedOnce: boolean;
  paused: string | null;
}

function indicatorName(r: { indicator: string; args: number[]; output?: string | undefined }): string {
  return `${r.indicator}(${r.args.join(",")})${r.output ? `.${r.output}` : ""}`;
}

/** A condition in words: "crosses up 43500", "rsi(14) crosses down 30", "entering channel 1-2". */
export function describeCondition(c: AlertCondition): string {
  switch (c.type) {
    case "price":
      return `${c.op.replace("_", " ")} ${c.value}`;
    case "indicator":
      return `${indicatorName(c)} ${c.op.replace("_", " ")} ${c.than ? indicatorName(c.than) : c.value}`;
    case "channel":
      return `${c.op} channel ${c.low}-${c.high}`;
    case "move":
      return `moved ${c.op} ${c.by} within ${c.bars} bars`;
    case "strategy":
      return `orders of strategy ${c.strategy}`;
    case "screen":
      return `enters the top ${c.top} of ${c.universe} by ${c.sort ?? `${c.columns.split(",")[0]}:desc`}${c.filter ? ` where ${c.filter}` : ""}`;
  }
}

/** The default message of a rule. */
export function defaultMessage(c: AlertCondition): string {
  if (c.type === "strategy") return "{{rule}}: {{symbol}} {{order.side}} {{order.size}} @ {{order.price}}";
  if (c.type === "screen") return `{{rule}}: {{venue}}:{{symbol}} entered the top ${c.top} of ${c.universe} (rank {{value}})`;
  return `{{rule}}: {{symbol}} ${describeCondition(c)} (close {{close}})`;
}

/** The value of a placeholder that is the same in every fire of `rule` (filled in when its template is compiled), or undefined. */
function ruleValue(name: string, rule: AlertRule): string | undefined {
  switch (name) {
    case "symbol":
      return rule.symbol;
    case "venue":
      return rule.venue;
    case "interval":
      return rule.timeframe;
    case "rule":
      return rule.id;
    default:
      return undefined;
  }
}

/** The value of a placeholder that changes from fire to fire. */
function fireValue(name: string, bar: BarPrices, time: number, value: string | number): string | undefined {
  switch (name) {
    case "close":
      return bar.close;
    case "time":
      return new Date(time).toISOString();
    case "value":
      return String(value);
    default:
      return undefined;
  }
}

/** Evaluates one rule on its series' bars. */
export class RuleRunner {
  readonly rule: AlertRule;
  readonly intrabar: boolean;
  private readonly state: ConditionState;
  private readonly template: CompiledTemplate;
  /** `<rule id>:`, the start of each fire's key. */
  private readonly keyPrefix: string;
  private lastFireBar = -Infinity;
  private lastFireTime = -Infinity;
  private readonly recent: number[] = [];
  firedOnce = false;
  paused: string | null = null;
  private readonly output: RuleOutput;

  constructor(rule: AlertRule, output: RuleOutput, firing?: RuleFiringState, pool?: IndicatorPool) {
    this.output = output;
    const c = rule.condition;
    if (c.type === "strategy") throw new Error("condition.type: strategy rules run as strategy sessions in core (core/alerts/strategy-signals.ts), not in this engine");
    if (c.type === "screen") throw new Error("condition.type: screen rules run as screens in core (core/alerts/screen-rule.ts), not in this engine");
    this.rule = rule;
    this.intrabar = rule.frequency !== "once_per_bar_close";
    this.state = conditionState(c, pool);
    this.template = compileTemplate(rule.message ?? defaultMessage(rule.condition), (name) => ruleValue(name, rule));
    this.keyPrefix = `${rule.id}:`;
    if (firing) {
      this.firedOnce = firing.firedOnce;
      this.paused = firing.paused;
    }
  }

  /** A bar closed at venue time `time`: remember it, and fire if the rule fires on closes. */
  onClosed(bar: BarPrices, time: number): void {
    const r = this.state.closed(bar);
    if (!this.intrabar) this.consider(r, bar, time);
  }

  /**
   * A trade at venue time `time` changed the forming bar. The test is skipped when the rule could
   * not fire anyway (a peek changes nothing), e.g. a once-per-bar rule that already fired this bar.
   */
  onForming(bar: BarPrices, time: number): void {
    if (this.intrabar && this.mayFire(bar, time)) this.consider(this.state.peek(bar), bar, time);
  }

  /** Whether a hit at `time` in `bar` would fire: not paused or spent, expired or held back by the frequency. */
  private mayFire(bar: BarPrices, time: number): boolean {
    const f = this.rule.frequency;
    if (this.paused !== null || (f === "once" && this.firedOnce)) return false;
    if (this.rule.expires !== undefined && time >= this.rule.expires) return false;
    if ((f === "once_per_bar" || f === "once_per_bar_close") && this.lastFireBar === bar.time) return false;
    return !(f === "every_seconds" && time - this.lastFireTime < this.rule.everySeconds! * 1000);
  }

  private consider(r: ConditionResult, bar: BarPrices, time: number): void {
    if (!r.hit || !this.mayFire(bar, time)) return;
    this.lastFireBar = bar.time;
    this.lastFireTime = time;
    this.firedOnce = true;
    this.output.fire(this.fire(r, bar, time));
    this.flood(time);
  }

  private fire(r: ConditionResult, bar: BarPrices, time: number): KeyedFire {
    const rule = this.rule;
    const value = r.value;
    const message = this.template.render((name) => fireValue(name, bar, time, value));
    const key = rule.frequency === "every_seconds" ? `${this.keyPrefix}${bar.time}:${time}` : `${this.keyPrefix}${bar.time}`;
    return { rule: rule.id, time, barTime: bar.time, value, message, key };
  }

  private flood(time: number): void {
    this.recent.push(time);
    while (this.recent.length > 0 && this.recent[0]! <= time - FLOOD_WINDOW_MS) this.recent.shift();
    if (this.recent.length <= FLOOD_LIMIT) return;
    this.paused = `flood control: ${this.recent.length} fires within 3 minutes`;
    this.output.pause({ rule: this.rule.id, time, reason: this.paused });
  }
}
