/**
 * Paper trading from core (`trading.*`): accounts, positions with live P&L, orders, fills, running
 * strategies and the kill switch, read every second while the app is open; cancelling an order,
 * the kill switch, manual orders (the ticket), "Deploy → Paper" and resetting a paper account go
 * through core at once.
 */
import { create } from "zustand";
import type { AccountView, PaperFillView, PositionView, SessionView, TradingModeView } from "../../../common/api/trading.ts";
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

/** What the order ticket is opened with (a click on a book level); `seq` tells each opening apart. */
export interface TicketDraft {
  price: string;
  side: "buy" | "sell";
  seq: number;
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
  /** The last request to open the ticket at a price (null until one). */
  ticketDraft: TicketDraft | null;
  openTicket(draft: Omit<TicketDraft, "seq">): void;
  refresh(): Promise<void>;
  cancel(id: string): Promise<void>;
  setMode(mode: TradingModeView): Promise<void>;
  place(ticket: Ticket): Promise<void>;
  /** Starts a strategy on paper with its fill model and costs (core's defaults for what is left out). */
  deploy(source: string, filename: string, venue: string, symbol: string, timeframe: Timeframe, fill?: Partial<PaperFillView>): Promise<void>;
  stop(id: string): Promise<void>;
  /** Resets a paper account (the panel asked the trader first). */
  reset(account: string): Promise<void>;
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
    ticketDraft: null,
    openTicket: (draft) => set({ ticketDraft: { ...draft, seq: (get().ticketDraft?.seq ?? 0) + 1 } }),
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
    deploy: (source, filename, venue, symbol, timeframe, fill) => act(() => api.call("trading.start", { source, filename, venue, symbol, timeframe, ...(fill ? { fill } : {}) })),
    stop: (id) => act(() => api.call("trading.stop", { id })),
    reset: (account) => act(() => api.call("trading.reset", { account, confirm: true })),
  };
});

const timer = setInterval(() => void useTrading.getState().refresh(), 1000);
(timer as { unref?: () => void }).unref?.();
