/**
 * The risk gate in front of every order, paper included: max order notional, max position per
 * symbol (per sub-ledger), max open orders, daily loss limits per sub-ledger and per account, a
 * price band against the last trade (fat-finger), and the kill switch (`halt`: cancel all, refuse
 * every new order; `reduce-only`: only orders that shrink a position). A refusal names its rule.
 */
import type { OrderSpec } from "../../common/trading/orders.ts";

/** The gate's limits; Infinity switches a rule off. */
export interface RiskLimits {
  /** Largest size × price of one order, in the quote asset. */
  maxOrderNotional: number;
  /** Largest absolute position per symbol in a sub-ledger, in the base asset. */
  maxPosition: number;
  maxOpenOrders: number;
  /** Largest loss in one UTC day of a sub-ledger (a positive amount of the quote asset). */
  maxDailyLossLedger: number;
  /** The same for the whole account. */
  maxDailyLossAccount: number;
  /** Limit/stop prices further than this fraction from the last trade are refused (0.1 = 10 %). */
  priceBand: number;
}

/** Defaults for paper trading on the live market. */
export const DEFAULT_RISK_LIMITS: RiskLimits = {
  maxOrderNotional: 1_000_000,
  maxPosition: Number.POSITIVE_INFINITY,
  maxOpenOrders: 200,
  maxDailyLossLedger: Number.POSITIVE_INFINITY,
  maxDailyLossAccount: Number.POSITIVE_INFINITY,
  priceBand: 0.2,
};

/** Replay defaults: generous enough never to refuse an order a backtest would take. */
export const REPLAY_RISK_LIMITS: RiskLimits = {
  maxOrderNotional: Number.POSITIVE_INFINITY,
  maxPosition: Number.POSITIVE_INFINITY,
  maxOpenOrders: 10_000,
  maxDailyLossLedger: Number.POSITIVE_INFINITY,
  maxDailyLossAccount: Number.POSITIVE_INFINITY,
  priceBand: Number.POSITIVE_INFINITY,
};

/** The kill switch. */
export type TradingMode = "normal" | "halt" | "reduce-only";

/** What the gate looks at for one order. */
export interface RiskInput {
  spec: OrderSpec;
  /** The sub-ledger's signed position in the symbol. */
  position: number;
  lastPrice: number | null;
  openOrders: number;
  ledgerDailyPnl: number;
  accountDailyPnl: number;
  mode: TradingMode;
}

/** A refused order: the rule and why. */
export interface Refusal {
  rule: "lot-size" | "kill-switch" | "reduce-only" | "max-order-notional" | "max-position" | "max-open-orders" | "daily-loss" | "price-band";
  reason: string;
}

/** Whether the order only shrinks the position. */
function reduces(spec: OrderSpec, position: number): boolean {
  if (spec.closeAll) return position !== 0;
  if (position === 0) return false;
  return (spec.side === "sell") === position > 0 && spec.size <= Math.abs(position) * (1 + 1e-9);
}

function fmt(x: number): string {
  return Number.isFinite(x) ? String(Math.round(x * 1e8) / 1e8) : String(x);
}

/** The first rule the order breaks, or null. */
export function checkRisk(limits: RiskLimits, input: RiskInput): Refusal | null {
  const { spec, position, lastPrice, mode } = input;
  const shrinks = reduces(spec, position) || spec.reduceOnly === true;
  if (mode === "halt") return { rule: "kill-switch", reason: "trading is halted (kill switch): no new orders until `workstation trading resume`" };
  if (mode === "reduce-only" && !shrinks) return { rule: "reduce-only", reason: "the kill switch is in reduce-only mode: only orders that shrink a position are taken" };
  if (spec.price !== null && lastPrice !== null && Math.abs(spec.price / lastPrice - 1) > limits.priceBand) {
    return { rule: "price-band", reason: `price ${fmt(spec.price)} is more than ${fmt(limits.priceBand * 100)} % from the last trade ${fmt(lastPrice)}` };
  }
  // An order that only shrinks a position is never held back by size, count or loss limits.
  if (shrinks) return null;
  if (input.openOrders >= limits.maxOpenOrders) return { rule: "max-open-orders", reason: `${input.openOrders} orders are open; at most ${limits.maxOpenOrders}` };
  const ref = spec.price ?? lastPrice;
  if (ref !== null && spec.size * ref > limits.maxOrderNotional) {
    return { rule: "max-order-notional", reason: `the order is worth ${fmt(spec.size * ref)}; at most ${fmt(limits.maxOrderNotional)} per order` };
  }
  const after = Math.abs(position + (spec.side === "buy" ? spec.size : -spec.size));
  if (after > limits.maxPosition) return { rule: "max-position", reason: `the position would be ${fmt(after)}; at most ${fmt(limits.maxPosition)} per symbol` };
  if (-input.ledgerDailyPnl >= limits.maxDailyLossLedger) return { rule: "daily-loss", reason: `the strategy lost ${fmt(-input.ledgerDailyPnl)} today; its limit is ${fmt(limits.maxDailyLossLedger)}` };
  if (-input.accountDailyPnl >= limits.maxDailyLossAccount) return { rule: "daily-loss", reason: `the account lost ${fmt(-input.accountDailyPnl)} today; its limit is ${fmt(limits.maxDailyLossAccount)}` };
  return null;
}
