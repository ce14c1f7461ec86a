/**
 * The `live.*` part of the API map: strategies on live venue accounts (`live:VENUE`) behind the
 * approval gate — a preview returns what a person must approve (venue, environment, account,
 * symbol, risk limits, the diff against the last approved version and the version hash), and a
 * deployment is taken only with that confirmed version hash — plus the live accounts with their
 * kill switches, their orders, and stopping a live session.
 */
import { z } from "zod";
import { TIMEFRAMES, type Timeframe } from "../market/bars.ts";
import type { TradingFill, TradingOrder } from "../trading/orders.ts";
import { method } from "./define.ts";
import type { PositionView, SessionView, TradingModeView } from "./trading.ts";

const timeframe = z.enum(Object.keys(TIMEFRAMES) as [Timeframe, ...Timeframe[]]);
const symbol = z.string().regex(/^[A-Z0-9]{1,20}\/[A-Z0-9]{1,20}$/, "a symbol is BASE/QUOTE");
const account = z.string().regex(/^live:[a-z0-9]{1,32}$/, "a live account is live:VENUE");

/** What is deployed live (the approval covers all of it). */
const deployment = z.object({
  source: z.string().max(1_000_000),
  filename: z.string().min(1).max(200).default("strategy.ts"),
  venue: z.string().min(1).max(32),
  env: z.enum(["live", "testnet", "demo", "validate"]).default("testnet"),
  symbol,
  timeframe: timeframe.default("1m"),
  params: z.record(z.string(), z.union([z.number(), z.boolean(), z.string().max(1000)])).optional(),
});

/** The approval summary of a live deployment. */
export interface LiveApprovalView {
  strategy: string;
  /** The version hash to confirm (source and params). */
  version: string;
  venue: string;
  env: string;
  account: string;
  symbol: string;
  timeframe: Timeframe;
  /** Risk limits by name; null: no limit. */
  limits: Record<string, number | null>;
  /** True when exactly this was approved before (deploying needs no new confirmation, but the hash still). */
  approved: boolean;
  lastApproved: { version: string; env: string; symbol: string; timeframe: string; approvedAt: number } | null;
  /** Changed lines against the last approved version (`- old`, `+ new`); empty without a change or an earlier approval. */
  diff: string[];
  /** The summary as the CLI prints it. */
  summary: string[];
}

/** A strategy session on a live account. */
export interface LiveSessionView extends Omit<SessionView, "fill"> {
  live: true;
  account: string;
  env: string;
  version: string;
  orders: number;
  position: number;
}

/** A live account as core has it open. */
export interface LiveAccountView {
  id: string;
  venue: string;
  env: string;
  mode: TradingModeView;
  balances: Record<string, { free: number; locked: number }>;
  /** Open venue orders the workstation did not place (shown, never touched). */
  external: number;
  reconciliations: number;
}

/** Requests of live trading. */
export const liveApi = {
  "live.preview": method(deployment).returns<LiveApprovalView>(),
  "live.deploy": method(deployment.extend({ version: z.string().regex(/^[0-9a-f]{12}$/, "version is the 12-hex hash the preview returned") })).returns<LiveSessionView>(),
  "live.stop": method(z.object({ id: z.string().min(1).max(64), onStop: z.enum(["cancel", "leave"]).default("cancel") })).returns<LiveSessionView>(),
  "live.sessions": method(z.object({})).returns<LiveSessionView[]>(),
  "live.accounts": method(z.object({})).returns<LiveAccountView[]>(),
  "live.orders": method(z.object({ open: z.boolean().default(false) })).returns<TradingOrder[]>(),
  /** One live account's stored orders, fills and positions (marked at the last price when core has it open): `orders|positions|fills --account live:VENUE`. */
  "live.account": method(z.object({ account })).returns<{ orders: TradingOrder[]; fills: TradingFill[]; positions: PositionView[] }>(),
  /** A manual order on a live account core has open (the ticket); the order as it stands after the venue's answer. */
  "live.order": method(
    z.object({
      account,
      symbol,
      side: z.enum(["buy", "sell"]),
      size: z.number().positive().max(1e12),
      type: z.enum(["market", "limit"]).default("market"),
      price: z.number().positive().max(1e15).optional(),
    }),
  ).returns<TradingOrder>(),
  /** Reads or sets a live account's kill switch; `halt` cancels the account's open orders at the venue. */
  "live.mode": method(z.object({ account, mode: z.enum(["normal", "halt", "reduce-only"]).optional() })).returns<{ mode: TradingModeView }>(),
};
