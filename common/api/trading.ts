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

/** How a paper session's orders fill: the fill model (labelled) and its costs. */
export interface PaperFillView {
  /** `book`: market orders walk the book, limits queue; `next-trade`: fills at the next trade (a backtest's next open). */
  fillModel: "book" | "next-trade";
  /** Fee rates (fractions: 0.001 = 0.1%) of maker (resting limit) and taker (market, stop) fills. */
  makerFee: number;
  takerFee: number;
  /** Market and stop fills slip against the trader by this many basis points. */
  slippageBps: number;
  /** Simulated latency: an order works this long after it is placed (venue time). */
  latencyMs: number;
}

/** The request shape of a session's fill settings (each field optional: core's defaults fill the rest). */
export const paperFillInput = z.object({
  fillModel: z.enum(["book", "next-trade"]).optional(),
  makerFee: z.number().min(0).max(0.5).optional(),
  takerFee: z.number().min(0).max(0.5).optional(),
  slippageBps: z.number().min(0).max(10_000).optional(),
  latencyMs: z.number().int().min(0).max(60_000).optional(),
});

/** A fill setting as a short label: `book · fees 0.1%/0.1% · slip 0 bps · 0 ms`. */
export function fillLabel(f: PaperFillView): string {
  const pct = (x: number) => `${Number((x * 100).toPrecision(6))}%`;
  return `${f.fillModel} · fees ${pct(f.makerFee)}/${pct(f.takerFee)} · slip ${f.slippageBps} bps · ${f.latencyMs} ms`;
}

/** A strategy session on paper. */
export interface SessionView {
  id: string;
  name: string;
  venue: string;
  symbol: string;
  timeframe: Timeframe;
  /** Its fill model and costs (maker/taker fees, slippage, latency), as stored with the session. */
  fill: PaperFillView;
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

/** What happens to a failed strategy's open orders: cancelled (default) or left working. */
export type FailedOrdersPolicy = "cancel" | "leave";

/** Requests of the order layer. */
export const tradingApi = {
  "trading.accounts": method(z.object({})).returns<AccountView[]>(),
  "trading.positions": method(z.object({})).returns<PositionView[]>(),
  "trading.orders": method(z.object({ open: z.boolean().default(false) })).returns<TradingOrder[]>(),
  /** Every fill, or only those of one instrument's orders (the chart's fill markers) when `venue` and `symbol` are given. */
  "trading.fills": method(z.object({ venue: venue.optional(), symbol: symbol.optional() })).returns<TradingFill[]>(),
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
  "trading.failedOrders": method(z.object({ policy: z.enum(["cancel", "leave"]).optional() })).returns<{ policy: FailedOrdersPolicy }>(),
  "trading.reset": method(z.object({ account: z.string().min(1).max(64), confirm: z.literal(true, { error: "resetting a paper account needs confirm: true" }) })).returns<AccountView>(),
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
      /** Fill model and costs; what is left out takes core's defaults (book, 0.1% maker and taker, no slippage or latency). */
      fill: paperFillInput.optional(),
    }),
  ).returns<SessionView>(),
  "trading.stop": method(z.object({ id: z.string().min(1).max(64) })).returns<SessionView>(),
};
