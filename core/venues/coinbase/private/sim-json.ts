/**
 * The Coinbase private simulator's JSON for a simulated order: its UUID-shaped `order_id`, the REST
 * order (`/orders/historical/*`: `order_configuration`, `filled_size`, `average_filled_price`,
 * `total_fees` in the quote currency…) and the user channel's order (`cumulative_quantity`,
 * `leaves_quantity`, `avg_price`, `total_fees`…), in Coinbase's field names.
 */
import type { SimAccount, SimOrder } from "../../binance/private/sim-book.ts";

const STATUS: Record<SimOrder["status"], string> = { NEW: "OPEN", PARTIALLY_FILLED: "OPEN", FILLED: "FILLED", CANCELED: "CANCELLED", EXPIRED: "EXPIRED" };

/** The `order_id` of a simulated order. */
export function simOrderId(o: SimOrder): string {
  return `00000000-0000-4000-8000-${String(o.orderId).padStart(12, "0")}`;
}

/** Filled size, average price and fees (in the quote currency) of an order. */
function totals(o: SimOrder, account: SimAccount): { avg: string; fees: string } {
  const quote = account.symbols.get(o.symbol)?.quoteAsset ?? "";
  const fees = account.trades.filter((t) => t.orderId === o.orderId).reduce((s, t) => s + (t.commissionAsset === quote ? t.commission : t.commission * t.price), 0);
  return { avg: o.executedQty > 0 ? (o.cumQuote / o.executedQty).toFixed(8) : "0", fees: fees.toFixed(8) };
}

/** A REST order. */
export function simOrderJson(o: SimOrder, account: SimAccount): Record<string, unknown> {
  const { avg, fees } = totals(o, account);
  const configuration = o.type === "MARKET" ? { market_market_ioc: { base_size: o.origQty.toFixed(8) } } : { limit_limit_gtc: { base_size: o.origQty.toFixed(8), limit_price: o.price.toFixed(2), post_only: false } };
  const number = account.trades.filter((t) => t.orderId === o.orderId).length;
  return { order_id: simOrderId(o), product_id: o.symbol, user_id: "sim-user", order_configuration: configuration, side: o.side, client_order_id: o.clientOrderId, status: STATUS[o.status], time_in_force: o.type === "MARKET" ? "IMMEDIATE_OR_CANCEL" : "GOOD_UNTIL_CANCELLED", created_time: new Date(o.time).toISOString(), completion_percentage: ((o.executedQty / o.origQty) * 100).toFixed(2), filled_size: o.executedQty.toFixed(8), average_filled_price: avg, number_of_fills: String(number), filled_value: o.cumQuote.toFixed(8), pending_cancel: false, size_in_quote: false, total_fees: fees, size_inclusive_of_fees: false, total_value_after_fees: o.cumQuote.toFixed(8), trigger_status: "INVALID_ORDER_TYPE", order_type: o.type === "MARKET" ? "MARKET" : "LIMIT", reject_reason: "", settled: o.status === "FILLED", product_type: "SPOT", reject_message: "", cancel_message: "", order_placement_source: "RETAIL_ADVANCED" };
}

/** A user-channel order. */
export function simUserOrder(o: SimOrder, account: SimAccount): Record<string, unknown> {
  const { avg, fees } = totals(o, account);
  const leaves = o.status === "NEW" || o.status === "PARTIALLY_FILLED" ? o.origQty - o.executedQty : 0;
  return { order_id: simOrderId(o), client_order_id: o.clientOrderId, cumulative_quantity: o.executedQty.toFixed(8), leaves_quantity: leaves.toFixed(8), avg_price: avg, total_fees: fees, status: STATUS[o.status], product_id: o.symbol, creation_time: new Date(o.time).toISOString(), order_side: o.side, order_type: o.type === "MARKET" ? "Market" : "Limit", limit_price: o.type === "MARKET" ? "" : o.price.toFixed(2), cancel_reason: "", reject_reason: "", total_value_after_fees: o.cumQuote.toFixed(8), product_type: "SPOT", time_in_force: o.type === "MARKET" ? "IMMEDIATE_OR_CANCEL" : "GOOD_UNTIL_CANCELLED", trigger_status: "INVALID_ORDER_TYPE" };
}
