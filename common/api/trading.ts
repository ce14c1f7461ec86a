/**
 * The `trading.*` part of the API map: paper accounts, positions, orders and fills of the order
 * layer, manual orders, the kill switch, and strategy sessions on the live market.
 */
import { z } from "zod";
import { TIMEFRAMES, type Timeframe } from "../market/bars.ts";
import type { TradingFill, TradingOrder } from "../trading/orders.ts";
import { method } from "./define.ts";

const timeframe = z.enum(Object.keys(TIMEFRAMES) as [Timeframe, ...Timeframe[]]);
const symbol = z.string().regex(/^[A-Z0-9]{1,20}\/[A-Z0-9]{1,20}$/, "a symbol is BASE/QUOTE");
const venue = z.string().min(1).max(32);

/** A position of a sub-ledger, marked at the last trade. */
export interface PositionView {
  account: string;
  venue: string;
  ledger: string;
  symbol: string;
  size: number;
  avgPrice: number;
  last: number | null;
  unrealizedPnl: number;
  realizedPnl: number;
  fees: number;
}

/** A paper account's balances. */
export interface AccountView {
  id: string;
  venue: string;
  balances: Record<string, number>;
}

/** A strategy session on paper. */
export interface SessionView {
  id: string;
  name: string;
  venue: string;
  symbol: string;
  timeframe: Timeframe;
  status: "starting" | "running" | "stopped" | "failed";
  error: string | null;
  bars: number;
  equity: number | null;
  /** Feed gaps seen while it ran. */
  gaps: number;
  /** Equity at each of the last bars' close (at most 500), oldest first: the P&L curve. */
  equityCurve: number[];
  /** The last lines the strategy logged (at most 200). */
  log: string[];
}

/** The kill switch. */
export type TradingModeView = "normal" | "halt" | "reduce-only";

/** Requests of the order layer. */
export const tradingApi = {
  "trading.accounts": method(z.object({})).returns<AccountView[]>(),
  "trading.positions": method(z.object({})).returns<PositionView[]>(),
  "trading.orders": method(z.object({ open: z.boolean().default(false) })).returns<TradingOrder[]>(),
  "trading.fills": method(z.object({})).returns<TradingFill[]>(),
  "trading.order": method(
    z.object({
      venue,
      symbol,
      side: z.enum(["buy", "sell"]),
      size: z.number().positive().max(1e12),
      type: z.enum(["market", "limit", "stop"]).default("market"),
      price: z.number().positive().max(1e15).optional(),
      tif: z.enum(["GTC", "IOC"]).default("GTC"),
    }),
  ).returns<TradingOrder>(),
  "trading.cancel": method(z.object({ id: z.string().min(1).max(64) })).returns<{ canceled: boolean }>(),
  "trading.mode": method(z.object({ mode: z.enum(["normal", "halt", "reduce-only"]).optional() })).returns<{ mode: TradingModeView }>(),
  "trading.sessions": method(z.object({})).returns<SessionView[]>(),
  "trading.start": method(
    z.object({
      source: z.string().max(1_000_000),
      filename: z.string().min(1).max(200).default("strategy.ts"),
      venue,
      symbol,
      timeframe: timeframe.default("1m"),
      cash: z.number().positive().max(1e15).default(100_000),
      params: z.record(z.string(), z.union([z.number(), z.boolean(), z.string().max(1000)])).optional(),
    }),
  ).returns<SessionView>(),
  "trading.stop": method(z.object({ id: z.string().min(1).max(64) })).returns<SessionView>(),
};
