/**
 * Handlers of the `alerts.*` API and the pieces that bind the alert service to core: the live feed
 * (bus subscriptions held through the feed manager, venue clocks with their measured offsets,
 * cached instrument lists for symbol checks) and the market store's recorded trades for catch-up.
 */
import type { AlertTrade } from "../../common/alerts/engine.ts";
import type { PartialHandlers } from "../api/handlers.ts";
import type { AlertFeed, AlertService, TradeHistory } from "../alerts/service.ts";
import type { FeedManager } from "../feeds/manager.ts";
import type { Store } from "../store/index.ts";
import { sqlString } from "../datafiles/duck.ts";

type AlertNames = "alerts.add" | "alerts.list" | "alerts.remove" | "alerts.pause" | "alerts.log" | "alerts.fires";

/** The alerts API over a running service. */
export function alertsHandlers(service: AlertService): PartialHandlers<AlertNames> {
  return {
    "alerts.add": (p) => service.add(p.rule),
    "alerts.list": () => service.list(),
    "alerts.remove": (p) => ({ removed: service.remove(p.id) }),
    "alerts.pause": (p) => service.pause(p.id, p.paused),
    "alerts.log": (p) => service.log(p),
    "alerts.fires": (_p, sink) => service.onFire((entry) => sink.emit(entry)),
  };
}

/** The feed manager as the alert service's live market. */
export function managerAlertFeed(feeds: FeedManager): AlertFeed {
  return {
    subscribe: (venue, symbol, onTrade) => {
      const release = feeds.acquire(venue, symbol);
      const off = feeds.bus.onEvent(venue, symbol, (e) => {
        if (e.type === "trade") onTrade(e);
      });
      return () => {
        off();
        release();
      };
    },
    venueNow: (venue) => Date.now() + (feeds.venues().find((v) => v.feed === venue)?.clockOffsetMs ?? 0),
    knownSymbol: (venue, symbol) => {
      const list = feeds.cachedInstruments(venue);
      return list ? list.some((i) => i.symbol === symbol) : undefined;
    },
    venueProblem: (venue) => {
      const known = feeds.venues().map((v) => v.feed);
      return known.includes(venue) ? null : `unknown venue ${venue} (known: ${known.join(", ")})`;
    },
  };
}

/** Recorded trades of a symbol from the market store, in venue-time order. */
export function storeTradeHistory(store: Store): TradeHistory {
  return (venue, symbol, from) =>
    store.withMarket(async (db) => {
      const reader = await db.conn.runAndReadAll(
        `SELECT ts::DOUBLE AS ts, price::VARCHAR AS price, size::VARCHAR AS size, trade_id FROM trades WHERE venue = ${sqlString(venue)} AND symbol = ${sqlString(symbol)} AND ts >= ${Math.floor(from)} ORDER BY ts, rowid`,
      );
      return reader.getRows().map((r): AlertTrade => ({ symbol, ts: Number(r[0]), price: String(r[1]), size: String(r[2]), ...(r[3] === null ? {} : { tradeId: String(r[3]) }) }));
    });
}
