/** Handlers of the `trading.*` API entries (core/trading/service.ts does the work). */
import type { PartialHandlers } from "../api/handlers.ts";
import type { PositionView } from "../../common/api/trading.ts";
import type { TradingService } from "../trading/service.ts";

type TradingMethod = "trading.accounts" | "trading.positions" | "trading.orders" | "trading.fills" | "trading.order" | "trading.cancel" | "trading.mode" | "trading.failedOrders" | "trading.reset" | "trading.sessions" | "trading.start" | "trading.stop";

/** Builds the trading part of the handler map; `live` adds the live accounts' position rows to `trading.positions`. */
export function tradingHandlers(service: TradingService, live?: { positions(): Promise<PositionView[]> }): PartialHandlers<TradingMethod> {
  return {
    "trading.accounts": () => service.accounts(),
    "trading.positions": async () => [...service.positions(), ...((await live?.positions()) ?? [])],
    "trading.orders": (p) => service.orders(p.open),
    "trading.fills": (p) => service.fills(p.venue !== undefined && p.symbol !== undefined ? { venue: p.venue, symbol: p.symbol } : undefined),
    "trading.order": (p) => service.order({ venue: p.venue, symbol: p.symbol, side: p.side, size: p.size, type: p.type, price: p.price, tif: p.tif }),
    "trading.cancel": (p) => ({ canceled: service.cancel(p.id) }),
    "trading.mode": (p) => ({ mode: service.mode(p.mode) }),
    "trading.failedOrders": (p) => ({ policy: service.failedOrders(p.policy) }),
    "trading.reset": (p) => service.reset(p.account),
    "trading.sessions": () => service.sessionViews(),
    "trading.start": (p) => service.start({ source: p.source, filename: p.filename, venue: p.venue, symbol: p.symbol, timeframe: p.timeframe, cash: p.cash, ...(p.params ? { params: p.params } : {}), ...(p.fill ? { fill: p.fill } : {}) }),
    "trading.stop": (p) => service.stop(p.id),
  };
}
