/**
 * The translation between a strategy session and an order layer, shared by the paper runner and the
 * live runner: a session's order intent becomes an {@link OrderSpec}, and an order layer's update of
 * one of the strategy's orders (a status move, a fill) becomes the session's order events.
 */
import type { OrderRequest } from "../../common/strategy/engine/ports.ts";
import type { SessionOrderEvent } from "../../common/strategy/engine/session-broker.ts";
import type { OrderSpec, TradingFill, TradingOrder } from "../../common/trading/orders.ts";

/** The order spec of a strategy's order request on `venue`/`symbol` (good till cancelled). */
export function intentSpec(r: OrderRequest, venue: string, symbol: string): OrderSpec {
  const type = r.type ?? "market";
  return {
    venue,
    symbol,
    side: r.side,
    type,
    size: r.size,
    price: type === "market" ? null : (r.price ?? null),
    tif: "GTC",
    ...(r.stopLoss !== undefined ? { stopLoss: r.stopLoss } : {}),
    ...(r.takeProfit !== undefined ? { takeProfit: r.takeProfit } : {}),
    ...(r.closeAll ? { closeAll: true } : {}),
    tag: r.tag ?? null,
  };
}

/** The session events of one update of a strategy's order (`o.strategyOrderId` set). */
export function orderEvents(o: Readonly<TradingOrder>, fill: TradingFill | null): SessionOrderEvent[] {
  const id = o.strategyOrderId;
  if (id === null) return [];
  const out: SessionOrderEvent[] = [];
  if (fill) out.push({ kind: "fill", orderId: id, side: fill.side, size: fill.size, price: fill.price, fee: fill.fee, time: fill.venueTime });
  const done = doneStatus(o);
  if (done && (fill || o.status !== "filled")) out.push({ kind: "done", orderId: id, status: done, reason: o.reason });
  else if (o.status === "accepted" && o.parentId !== null) {
    out.push({ kind: "opened", orderId: id, side: o.side, type: o.type, size: o.size, price: o.price, tag: o.tag ?? null });
  }
  return out;
}

function doneStatus(o: Readonly<TradingOrder>): "filled" | "cancelled" | "rejected" | null {
  if (o.status === "filled") return "filled";
  if (o.status === "canceled" || o.status === "expired") return "cancelled";
  if (o.status === "rejected") return "rejected";
  return null;
}
