/**
 * Live trading from core (`live.*`): the live accounts (with their kill switches), live strategy
 * sessions and live orders, read every second while the app is open; "Deploy → Live" asks core for
 * the approval summary first and deploys only with the version hash the trader confirmed.
 */
import { create } from "zustand";
import type { LiveAccountView, LiveApprovalView, LiveSessionView } from "../../../common/api/live.ts";
import type { TradingModeView } from "../../../common/api/trading.ts";
import type { Timeframe } from "../../../common/market/bars.ts";
import type { TradingOrder } from "../../../common/trading/orders.ts";
import { api } from "./connection.ts";

/** What a live deployment covers. */
export interface LiveDeployment {
  source: string;
  filename: string;
  venue: string;
  env: "live" | "testnet" | "demo" | "validate";
  symbol: string;
  timeframe: Timeframe;
}

/** A manual live order (the ticket on a live account). */
export interface LiveTicket {
  account: string;
  symbol: string;
  side: "buy" | "sell";
  type: "market" | "limit";
  size: number;
  price?: number;
}

interface LiveStore {
  accounts: LiveAccountView[];
  sessions: LiveSessionView[];
  orders: TradingOrder[];
  error: string | null;
  /** The deployment awaiting approval and its summary (the dialog is open while set). */
  pending: { deployment: LiveDeployment; approval: LiveApprovalView } | null;
  placed: TradingOrder | null;
  refresh(): Promise<void>;
  preview(d: LiveDeployment): Promise<void>;
  /** Deploys the pending deployment with the version the trader confirmed. */
  confirm(version: string): Promise<void>;
  dismiss(): void;
  stop(id: string): Promise<void>;
  setMode(account: string, mode: TradingModeView): Promise<void>;
  place(t: LiveTicket): Promise<void>;
}

const message = (err: unknown) => (err instanceof Error ? err.message : String(err));

/** The live trading store. */
export const useLive = create<LiveStore>((set, get) => {
  const act = async (work: () => Promise<unknown>): Promise<boolean> => {
    try {
      await work();
      set({ error: null });
      await get().refresh();
      return true;
    } catch (err) {
      set({ error: message(err) });
      return false;
    }
  };
  return {
    accounts: [],
    sessions: [],
    orders: [],
    error: null,
    pending: null,
    placed: null,
    refresh: async () => {
      try {
        const [accounts, sessions, orders] = await Promise.all([api.call("live.accounts", {}), api.call("live.sessions", {}), api.call("live.orders", { open: false })]);
        set({ accounts, sessions, orders: orders.slice(-200).reverse() });
      } catch {
        // core away: the reconnect banner says so; the last figures stay
      }
    },
    preview: async (deployment) => {
      await act(async () => set({ pending: { deployment, approval: await api.call("live.preview", deployment) } }));
    },
    confirm: async (version) => {
      const p = get().pending;
      if (!p) return;
      if (await act(() => api.call("live.deploy", { ...p.deployment, version }))) set({ pending: null });
    },
    dismiss: () => set({ pending: null, error: null }),
    stop: async (id) => void (await act(() => api.call("live.stop", { id, onStop: "cancel" }))),
    setMode: async (account, mode) => void (await act(() => api.call("live.mode", { account, mode }))),
    place: async (t) => void (await act(async () => set({ placed: await api.call("live.order", t) }))),
  };
});

const timer = setInterval(() => void useLive.getState().refresh(), 1000);
(timer as { unref?: () => void }).unref?.();
