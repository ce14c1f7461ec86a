/** Whether anything trades, the rule for showing the kill switch in the top bar (issue #21). */
import type { SessionView, TradingModeView } from "../../../common/api/trading.ts";
import type { TradingOrder } from "../../../common/trading/orders.ts";

/** The part of the trading store the rule reads. */
export interface TradingActivity {
  mode: TradingModeView;
  /** Open orders. */
  orders: readonly TradingOrder[];
  sessions: readonly Pick<SessionView, "status">[];
}

/** True while a paper session starts or runs, an order is open, or trading is halted / reduce-only. */
export function isTrading(s: TradingActivity): boolean {
  return s.mode !== "normal" || s.orders.length > 0 || s.sessions.some((x) => x.status === "running" || x.status === "starting");
}
