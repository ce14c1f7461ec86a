/**
 * The `--account live:VENUE` side of `orders`, `positions`, `fills`, `order` and `trading`: lists read
 * from the app database (the live account's orders and fills; positions folded from the fills), an
 * order placed through the live order layer (key from the keychain, reconciled first), and the live
 * account's kill switch (halting cancels its open orders at the venue when its key is there).
 */
import type { PositionView } from "../../../common/api/trading.ts";
import type { OrderSpec, TradingFill, TradingOrder } from "../../../common/trading/orders.ts";
import { openAppDb } from "../../store/app-db.ts";
import { PaperAccount } from "../ledger.ts";
import { DEFAULT_RISK_LIMITS, type TradingMode } from "../risk.ts";
import { SqliteTradingStore } from "../store.ts";
import { checkEnv } from "./environments.ts";
import { openLiveBroker } from "./open.ts";

/** The venue of a `live:VENUE` account, or null for another account. */
export function liveVenue(account: unknown): string | null {
  if (typeof account !== "string" || !account.startsWith("live:")) return null;
  const venue = account.slice("live:".length);
  if (!/^[a-z0-9]{1,32}$/.test(venue)) throw new RangeError(`--account: "${account}" is not live:VENUE`);
  return venue;
}

/** A live account's orders, fills and positions from the app database. */
export function liveView(dataDir: string, account: string): { orders: TradingOrder[]; fills: TradingFill[]; positions: PositionView[] } {
  const app = openAppDb(dataDir);
  try {
    const snap = new SqliteTradingStore(app.db).load();
    const acct = new PaperAccount(account, account.slice("live:".length), {});
    const fills = snap.fills.filter((f) => f.account === account);
    for (const f of fills) acct.fill(f.ledger, f.symbol, f.side, f.size, f.price, f.fee, f.venueTime);
    const positions = acct.all().map((l) => ({ account, venue: acct.venue, ledger: l.id, symbol: l.symbol, size: l.size, avgPrice: l.acct.avgPrice, last: null, unrealizedPnl: 0, realizedPnl: l.realized(l.acct.avgPrice), fees: l.fees }));
    return { orders: snap.orders.filter((o) => o.account === account), fills: fills.map(({ account: _a, ledger: _l, symbol: _s, ...f }) => f), positions };
  } finally {
    app.close();
  }
}

/** Places one live order (reconciling first); the order as it stands after the venue's answer. */
export async function liveOrder(dataDir: string, venue: string, env: string, spec: OrderSpec, processEnv: NodeJS.ProcessEnv, log: (l: string) => void): Promise<TradingOrder> {
  const app = openAppDb(dataDir);
  try {
    const broker = await openLiveBroker({ venue, env: checkEnv(venue, env), store: new SqliteTradingStore(app.db), limits: DEFAULT_RISK_LIMITS, symbols: [spec.symbol], processEnv, log });
    try {
      return await broker.place(spec);
    } finally {
      broker.stop();
    }
  } finally {
    app.close();
  }
}

/** Sets (or reads, when `mode` is undefined) a live account's kill switch; halting cancels its open orders at the venue. */
export async function liveMode(dataDir: string, venue: string, env: string, mode: TradingMode | undefined, processEnv: NodeJS.ProcessEnv, log: (l: string) => void): Promise<TradingMode> {
  const app = openAppDb(dataDir);
  try {
    const store = new SqliteTradingStore(app.db);
    const key = `live.${venue}.mode`;
    if (mode === undefined) return store.getState<TradingMode>(key) ?? "normal";
    store.setState(key, mode);
    if (mode !== "halt") return mode;
    const open = store.load().orders.some((o) => o.account === `live:${venue}` && !["filled", "canceled", "rejected", "expired"].includes(o.status));
    if (!open) return mode;
    try {
      const broker = await openLiveBroker({ venue, env: checkEnv(venue, env), store, limits: DEFAULT_RISK_LIMITS, symbols: [...new Set(store.load().orders.filter((o) => o.account === `live:${venue}`).map((o) => o.symbol))], processEnv, log });
      for (const o of broker.allOrders()) await broker.cancel(o.id);
      broker.stop();
    } catch (err) {
      log(`trading: halted, but the open orders at ${venue} could not be cancelled: ${err instanceof Error ? err.message : String(err)}`);
    }
    return mode;
  } finally {
    app.close();
  }
}
