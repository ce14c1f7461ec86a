/**
 * Strategy-signal alerts: a saved strategy runs through paper trading's session bar loop
 * ({@link SessionRunner}: the shared bar clock, the sandboxed session on a worker) and every order it
 * places becomes an alert fire instead of an order — no order layer, no paper account. Fires are
 * timed at the closing trade (the bar clock's close time) and keyed `<rule id>:<bar time>`, with
 * `:<index>` added to each when one bar gives several orders, so a replay of the same trades gives
 * the same keys. So that the strategy's own view follows its signals, a market order is handed back
 * as filled at the bar's close (fee 0); limit and stop orders stay open (they never fill), and
 * cancels are ignored.
 */
import { defaultMessage, type RuleFiringState, type RuleOutput } from "../../common/alerts/rule-runner.ts";
import { renderTemplate } from "../../common/alerts/template.ts";
import type { AlertRule, KeyedFire } from "../../common/alerts/types.ts";
import { TIMEFRAMES } from "../../common/market/bars.ts";
import type { ClosedTradeBar } from "../../common/market/trade-bars.ts";
import type { SessionIntent } from "../../common/strategy/engine/session-broker.ts";
import type { SessionHost } from "../trading/session-host.ts";
import { SessionRunner } from "../trading/session-runner.ts";

type OrderIntent = Extract<SessionIntent, { kind: "order" }>;

/** A strategy rule's session: orders in, fires out. */
export class SignalRunner extends SessionRunner {
  readonly rule: AlertRule;
  firedOnce = false;
  paused: string | null = null;
  private readonly output: RuleOutput;
  private readonly template: string;
  /** The strategy's position as its virtual market fills left it. */
  private position = 0;

  /** Venue time of the first trade the rule's session takes (earlier ones belong to other rules' catch-up). */
  readonly from: number;

  constructor(rule: AlertRule, host: SessionHost, output: RuleOutput, firing?: RuleFiringState, from = -Infinity) {
    super({ tfMs: TIMEFRAMES[rule.timeframe], host, onError: (err) => this.stopped(err) });
    this.rule = rule;
    this.from = from;
    this.output = output;
    this.template = rule.message ?? defaultMessage(rule.condition);
    if (firing) {
      this.firedOnce = firing.firedOnce;
      this.paused = firing.paused;
    }
  }

  private stopped(err: Error): void {
    this.paused = `the strategy stopped: ${err.message}`;
    this.output.pause({ rule: this.rule.id, time: this.clock.current?.lastTradeTime ?? 0, reason: this.paused });
  }

  protected onIntents(intents: readonly SessionIntent[], closed: ClosedTradeBar): void {
    const orders = intents.filter((i): i is OrderIntent => i.kind === "order");
    orders.forEach((order, index) => {
      const size = this.fill(order, closed);
      const key = orders.length > 1 ? `${this.rule.id}:${closed.bar.time}:${index}` : `${this.rule.id}:${closed.bar.time}`;
      if (this.gated(closed.closeTime)) return;
      this.firedOnce = true;
      this.output.fire(this.fireOf(order, size, closed, key));
    });
  }

  private gated(time: number): boolean {
    if (this.paused !== null) return true;
    if (this.rule.frequency === "once" && this.firedOnce) return true;
    return this.rule.expires !== undefined && time >= this.rule.expires;
  }

  /** A market order is taken as filled at the close, so the strategy sees its position move; returns the order's size. */
  private fill(order: OrderIntent, closed: ClosedTradeBar): number {
    const r = order.req;
    const size = r.closeAll ? Math.abs(this.position) : r.size;
    if ((r.type ?? "market") !== "market" || !(size > 0)) return size;
    const price = Number(closed.bar.close);
    this.position += r.side === "buy" ? size : -size;
    this.inbox.push({ kind: "fill", orderId: order.id, side: r.side, size, price, fee: 0, time: closed.closeTime });
    this.inbox.push({ kind: "done", orderId: order.id, status: "filled", reason: null });
    return size;
  }

  private fireOf(order: OrderIntent, size: number, closed: ClosedTradeBar, key: string): KeyedFire {
    const r = order.req;
    const market = (r.type ?? "market") === "market";
    const price = market || r.price === undefined ? closed.bar.close : String(r.price);
    const rule = this.rule;
    const message = renderTemplate(this.template, {
      symbol: rule.symbol,
      venue: rule.venue,
      close: closed.bar.close,
      time: new Date(closed.closeTime).toISOString(),
      interval: rule.timeframe,
      value: price,
      rule: rule.id,
      "order.side": r.side,
      "order.size": String(size),
      "order.price": price,
    });
    return { rule: rule.id, time: closed.closeTime, barTime: closed.bar.time, value: price, message, key };
  }
}
