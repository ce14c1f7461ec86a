/**
 * The trader's setting for a strategy that stops with an error: its open orders cancelled (the
 * default) or left working. Kept in the trading state of the app database, beside the kill switch.
 */
import type { FailedOrdersPolicy } from "../../common/api/trading.ts";
import type { TradingStore } from "./store.ts";

const POLICY_KEY = "trading.failedOrders";

/** Reads the setting, first storing `set` when given. */
export function failedOrdersPolicy(store: Pick<TradingStore, "getState" | "setState">, set?: FailedOrdersPolicy): FailedOrdersPolicy {
  if (set !== undefined) store.setState(POLICY_KEY, set);
  return store.getState<FailedOrdersPolicy>(POLICY_KEY) === "leave" ? "leave" : "cancel";
}
