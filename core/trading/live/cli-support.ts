/**
 * The `--account live:VENUE` side of `orders`, `positions`, `fills`, `order` and `trading`: lists read
 * from a trading store (the live account's orders and fills; positions folded from the fills, marked
 * at the last price when core has the account open), an
 * order placed through the live order layer (key from the keychain, reconciled first), and the live
 * account's kill switch (halting cancels its open orders at the venue when its key is there).
 */
import type { PositionView } from "../../../common/api/trading.ts";
import type { OrderSpec, TradingFill, TradingOrder } from "../../../common/trading/orders.ts";
import { openAppDb } from "../../store/app-db.ts";
import { PaperAccount } from "../ledger.ts";
import { DEFAULT_RISK_LIMITS, type TradingMode } from "../risk.ts";
import { SqliteTradingStore, type TradingStore } from "../store.ts";
import { checkEnv } from "./environments.ts";
import { openLiveBroker } from "./open.ts";

/** The venue of a `live:VENUE` account, or null for another account. */
export function liveVenue(account: unknown): string | null {
  if (typeof account !== "string" || !account.startsWith("live:")) return null;
  const venue = account.slice("live:".length);
  if (!/^[a-z0-9]{1,32}$/.test(venue)) throw new RangeError(`--account: "${account}" is not live:VENUE`);
  return venue;
}

/** A live account's orders, fills and positions: what `orders|positions|fills --account live:VENUE` list. */
export interface LiveAccountData {
  orders: TradingOrder[];
  fills: TradingFill[];
  positions: PositionView[];
}

/** The position rows of a live account's ledgers, marked at `last` (the avg price when there is none: unrealized 0). */
export function livePositions(acct: PaperAccount, last: (symbol: string) => number | null): PositionView[] {
  return acct.all().map((l) => {
    const price = last(l.symbol);
    const mark = price ?? l.acct.avgPrice;
    return { account: acct.id, venue: acct.venue, ledger: l.id, symbol: l.symbol, size: l.size, avgPrice: l.acct.avgPrice, last: price, unrealizedPnl: l.unrealized(mark), realizedPnl: l.realized(mark), fees: l.fees };
  });
}

/** A live account's orders, fills and positions from a trading store (positions folded from the fills). */
export function liveAccountData(store: TradingStore, account: string, last: (symbol: string) => number | null = () => null): LiveAccountData {
  const snap = store.load();
  const acct = new PaperAccount(account, account.slice("live:".length), {});
  const fills = snap.fills.filter((f) => f.account === account);
  for (const f of fills) acct.fill(f.ledger, f.symbol, f.side, f.size, f.price, f.fee, f.venueTime);
  return { orders: snap.orders.filter((o) => o.account === account), fills: fills.map(({ account: _a, ledger: _l, symbol: _s, ...f }) => f), positions: livePositions(acct, last) };
}

/** A live account's orders, fills and positions from the app database (no core running). */
export function liveView(dataDir: string, account: string): LiveAccountData {
  const app = openAppDb(dataDir);
  try {
    return liveAccountData(new SqliteTradingStore(app.db), account);
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
