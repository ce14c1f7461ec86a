/**
 * Paper trading from core (`trading.*`): accounts, positions with live P&L, orders, fills, running
 * strategies and the kill switch, read every second while the app is open; cancelling an order,
 * the kill switch, manual orders (the ticket) and "Deploy → Paper" go through core at once.
 */
import { create } from "zustand";
import type { AccountView, PositionView, SessionView, TradingModeView } from "../../../common/api/trading.ts";
import type { Timeframe } from "../../../common/market/bars.ts";
import type { TradingFill, TradingOrder } from "../../../common/trading/orders.ts";
import { api } from "./connection.ts";

/** What the order ticket sends. */
export interface Ticket {
  venue: string;
  symbol: string;
  side: "buy" | "sell";
  type: "market" | "limit" | "stop";
  size: number;
  price?: number;
}

interface TradingStore {
  accounts: AccountView[];
  positions: PositionView[];
  orders: TradingOrder[];
  fills: TradingFill[];
  sessions: SessionView[];
  mode: TradingModeView;
  error: string | null;
  /** The last order the ticket placed (its status says whether the risk gate took it). */
  placed: TradingOrder | null;
  refresh(): Promise<void>;
  cancel(id: string): Promise<void>;
  setMode(mode: TradingModeView): Promise<void>;
  place(ticket: Ticket): Promise<void>;
  deploy(source: string, filename: string, venue: string, symbol: string, timeframe: Timeframe): Promise<void>;
  stop(id: string): Promise<void>;
}

const message = (err: unknown) => (err instanceof Error ? err.message : String(err));

/** The trading store. */
export const useTrading = create<TradingStore>((set, get) => {
  const act = async (work: () => Promise<unknown>): Promise<void> => {
    try {
      await work();
      set({ error: null });
      await get().refresh();
    } catch (err) {
      set({ error: message(err) });
    }
  };
  return {
    accounts: [],
    positions: [],
    orders: [],
    fills: [],
    sessions: [],
    mode: "normal",
    error: null,
    placed: null,
    refresh: async () => {
      try {
        const [accounts, positions, orders, fills, sessions, mode] = await Promise.all([
          api.call("trading.accounts", {}),
          api.call("trading.positions", {}),
          api.call("trading.orders", { open: true }),
          api.call("trading.fills", {}),
          api.call("trading.sessions", {}),
          api.call("trading.mode", {}),
        ]);
        set({ accounts, positions, orders, fills: fills.slice(-200).reverse(), sessions, mode: mode.mode });
      } catch {
        // core away: the reconnect banner says so; the last figures stay
      }
    },
    cancel: (id) => act(() => api.call("trading.cancel", { id })),
    setMode: (mode) => act(() => api.call("trading.mode", { mode })),
    place: (t) => act(async () => set({ placed: await api.call("trading.order", { ...t, tif: "GTC" }) })),
    deploy: (source, filename, venue, symbol, timeframe) => act(() => api.call("trading.start", { source, filename, venue, symbol, timeframe })),
    stop: (id) => act(() => api.call("trading.stop", { id })),
  };
});

const timer = setInterval(() => void useTrading.getState().refresh(), 1000);
(timer as { unref?: () => void }).unref?.();
