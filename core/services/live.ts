/** Handlers of the `live.*` API entries (core/trading/live/live-service.ts does the work). */
import type { PartialHandlers } from "../api/handlers.ts";
import type { LiveSpec, LiveTradingService } from "../trading/live/live-service.ts";

type LiveMethod = "live.preview" | "live.deploy" | "live.stop" | "live.sessions" | "live.accounts" | "live.orders" | "live.account" | "live.order" | "live.mode";

const specOf = (p: LiveSpec): LiveSpec => ({ source: p.source, filename: p.filename, venue: p.venue, env: p.env, symbol: p.symbol, timeframe: p.timeframe, ...(p.params ? { params: p.params } : {}) });

/** Builds the live part of the handler map. */
export function liveHandlers(service: LiveTradingService): PartialHandlers<LiveMethod> {
  return {
    "live.preview": (p) => service.preview(specOf(p)),
    "live.deploy": (p) => service.deploy(specOf(p), p.version),
    "live.stop": (p) => service.stop(p.id, p.onStop),
    "live.sessions": () => service.sessionViews(),
    "live.accounts": () => service.accounts(),
    "live.orders": (p) => service.orders(p.open),
    "live.account": (p) => service.accountData(p.account),
    "live.order": (p) => service.order(p.account, { symbol: p.symbol, side: p.side, size: p.size, type: p.type, price: p.price ?? null }),
    "live.mode": async (p) => ({ mode: await service.mode(p.account, p.mode) }),
  };
}
