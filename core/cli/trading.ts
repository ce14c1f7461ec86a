/**
 * The order layer from the command line, through the running core (its live market and paper
 * broker); without a core, `orders`, `positions` and `fills` read the app database and `trading`
 * sets the stored kill switch (core reads it at its next start):
 * - `workstation orders|positions|fills [--open] [--json]`
 * - `workstation order buy|sell SYMBOL SIZE --venue V [--limit P | --stop P] [--ioc] [--account paper] [--json]`
 * - `workstation trading halt|resume|reduce-only|status [--json]`
 * Each also takes `--account live:VENUE` (core/trading/live/cli-support.ts): the live account's
 * stored orders, fills and positions (through the running core when there is one: `live.account`); a live order; the live account's kill switch.
 * - `workstation trading failed-orders [cancel|leave]`, `workstation trading reset --account paper:VENUE --yes`
 */
import type { PositionView, TradingModeView } from "../../common/api/trading.ts";
import { escapeControls } from "../../common/text/escape.ts";
import type { TradingFill, TradingOrder } from "../../common/trading/orders.ts";
import { isOpenStatus } from "../../common/trading/state-machine.ts";
import { openAppDb } from "../store/app-db.ts";
import { fillsSinceReset } from "../trading/account-reset.ts";
import { isPaperAccount } from "../trading/engine.ts";
import { PaperAccount } from "../trading/ledger.ts";
import { SqliteTradingStore } from "../trading/store.ts";
import { liveMode, liveOrder, liveVenue, liveView } from "../trading/live/cli-support.ts";
import { UsageError, type CliCommand, type CliIo, type ParsedArgs } from "./command.ts";
import { failedOrdersAction, resetAction } from "./trading-admin.ts";
import { withCore } from "./core-client.ts";
import { withStoredEngine } from "./trading-core.ts";

/** What the order layer holds, read from the app database (no core running). */
function offline(dataDir: string): { orders: TradingOrder[]; fills: TradingFill[]; positions: PositionView[] } {
  const app = openAppDb(dataDir);
  try {
    const store = new SqliteTradingStore(app.db);
    const snap = store.load();
    const counts = fillsSinceReset(store);
    const accounts = new Map(snap.accounts.map((a) => [a.id, new PaperAccount(a.id, a.venue, a.starting)]));
    for (const l of snap.ledgers) accounts.get(l.account)?.ledger(l.ledger, l.symbol, l.startCash);
    // The reset marks count paper fills only, in store order (as the engine's restore does).
    const paperFills = snap.fills.filter((f) => isPaperAccount(f.account));
    for (const [i, f] of paperFills.entries()) if (counts(f.account, i)) accounts.get(f.account)?.fill(f.ledger, f.symbol, f.side, f.size, f.price, f.fee, f.venueTime);
    const positions = [...accounts.values()].flatMap((a) =>
      a.all().map((l) => ({ account: a.id, venue: a.venue, ledger: l.id, symbol: l.symbol, size: l.size, avgPrice: l.acct.avgPrice, last: null, unrealizedPnl: 0, realizedPnl: l.realized(l.acct.avgPrice), fees: l.fees })),
    );
    return { orders: snap.orders, fills: snap.fills.map(({ account: _a, ledger: _l, symbol: _s, ...f }) => f), positions };
  } finally {
    app.close();
  }
}

const n = (x: number | null) => (x === null ? "-" : String(Math.round(x * 1e8) / 1e8));

function orderLine(o: TradingOrder): string {
  const price = o.price === null ? "market" : `${o.type} ${n(o.price)}`;
  return escapeControls(`${o.id}  ${o.venue} ${o.symbol}  ${o.side} ${n(o.size)} ${price}  ${o.status}  filled ${n(o.filledSize)} @ ${n(o.avgPrice)}  [${o.ledger}]${o.reason ? `  ${o.reason}` : ""}`);
}

function listCommand(name: "orders" | "positions" | "fills", usage: string): CliCommand {
  return {
    name,
    usage,
    help: ["--open             orders: only open ones", "--account live:VENUE  a live account (through the running core, else read from the app database)", "--json             a JSON array on stdout"],
    options: { json: { type: "boolean" }, open: { type: "boolean" }, account: { type: "string" } },
    async run(args, io) {
      const open = args.values.open === true;
      const liveAccount = liveVenue(args.values.account) === null ? null : String(args.values.account);
      const live = liveAccount ? ((await withCore(args.dataDir, (c) => c.call("live.account", { account: liveAccount }))) ?? { value: liveView(args.dataDir, liveAccount) }) : await withCore(args.dataDir, async (c) => ({
        orders: name === "orders" ? await c.call("trading.orders", { open }) : [],
        fills: name === "fills" ? await c.call("trading.fills", {}) : [],
        positions: name === "positions" ? await c.call("trading.positions", {}) : [],
      }));
      const data = live?.value ?? offline(args.dataDir);
      const orders = data.orders.filter((o) => !open || isOpenStatus(o.status));
      const rows: unknown[] = name === "orders" ? orders : name === "fills" ? data.fills : data.positions;
      if (args.values.json === true) {
        io.out(JSON.stringify(rows));
        return 0;
      }
      if (name === "orders") for (const o of orders) io.out(orderLine(o));
      if (name === "fills") for (const f of data.fills) io.out(escapeControls(`${f.id}  ${f.side} ${n(f.size)} @ ${n(f.price)}  fee ${n(f.fee)}  ${f.liquidity}  venue ${new Date(f.venueTime).toISOString()}`));
      if (name === "positions") for (const p of data.positions) io.out(escapeControls(`${p.venue} ${p.symbol} [${p.ledger}]  ${n(p.size)} @ ${n(p.avgPrice)}  last ${n(p.last)}  unrealized ${n(p.unrealizedPnl)}  realized ${n(p.realizedPnl)}  fees ${n(p.fees)}`));
      if (rows.length === 0) io.err(`no ${name}`);
      return 0;
    },
  };
}

/** `workstation orders`. */
export const ordersCommand = listCommand("orders", "[--open] [--account live:VENUE] [--json]");
/** `workstation positions`. */
export const positionsCommand = listCommand("positions", "[--account live:VENUE] [--json]");
/** `workstation fills`. */
export const fillsCommand = listCommand("fills", "[--account live:VENUE] [--json]");

function priceOf(args: ParsedArgs): { type: "market" | "limit" | "stop"; price?: number } {
  const limit = args.values.limit;
  const stop = args.values.stop;
  if (limit !== undefined && stop !== undefined) throw new UsageError("give --limit or --stop, not both");
  const raw = limit ?? stop;
  if (raw === undefined) return { type: "market" };
  const price = Number(raw);
  if (typeof raw !== "string" || !Number.isFinite(price) || price <= 0) throw new UsageError(`--${limit !== undefined ? "limit" : "stop"} must be a price above 0`);
  return { type: limit !== undefined ? "limit" : "stop", price };
}

/** `workstation order buy|sell SYMBOL SIZE --venue V`. */
export const orderCommand: CliCommand = {
  name: "order",
  usage: "buy|sell SYMBOL SIZE --venue V [--limit P | --stop P] [--ioc] [--account paper|live:VENUE [--env ENV]] [--json]",
  help: ["--venue V          the venue (feed) to trade on", "--limit P, --stop P  a limit or stop order (default market)", "--ioc              immediate or cancel (default good till cancelled)", "--account A        paper (default) or live:VENUE (a real order; --env live|testnet|demo, default live)", "--json             the order as JSON"],
  options: { venue: { type: "string" }, limit: { type: "string" }, stop: { type: "string" }, ioc: { type: "boolean" }, account: { type: "string" }, env: { type: "string" }, json: { type: "boolean" } },
  allowPositionals: true,
  async run(args, io) {
    const [side, rawSymbol, rawSize, ...extra] = args.positionals;
    if ((side !== "buy" && side !== "sell") || !rawSymbol || !rawSize || extra.length > 0) throw new UsageError("usage: workstation order buy|sell SYMBOL SIZE --venue V");
    const size = Number(rawSize);
    if (!Number.isFinite(size) || size <= 0) throw new UsageError(`SIZE must be a number above 0 (got "${rawSize}")`);
    const liveAt = liveVenue(args.values.account);
    if (liveAt === null && (args.values.account ?? "paper") !== "paper") throw new UsageError("--account must be paper or live:VENUE");
    const venue = args.values.venue ?? liveAt;
    if (typeof venue !== "string" || venue === "") throw new UsageError("--venue is required");
    if (liveAt !== null && venue !== liveAt) throw new UsageError(`--venue ${venue} is not the account's venue ${liveAt}`);
    const params = { venue, symbol: rawSymbol.toUpperCase(), side: side as "buy" | "sell", size, ...priceOf(args), tif: args.values.ioc === true ? ("IOC" as const) : ("GTC" as const) };
    const env = typeof args.values.env === "string" ? args.values.env : "live";
    const placed = liveAt !== null ? { value: await liveOrder(args.dataDir, liveAt, env, { ...params, price: params.price ?? null }, io.env, (l) => io.err(l)) } : await withCore(args.dataDir, (c) => c.call("trading.order", params));
    if (!placed) throw new Error("no core is running: paper orders fill against the live market in core (start it with `workstation serve`)");
    io.out(args.values.json === true ? JSON.stringify(placed.value) : orderLine(placed.value));
    return placed.value.status === "rejected" ? 1 : 0;
  },
};

/** Sets the kill switch without a core: stored, open orders cancelled when halting. */
function offlineMode(dataDir: string, mode: TradingModeView | undefined): TradingModeView {
  return withStoredEngine(dataDir, (engine) => {
    if (mode !== undefined) engine.setMode(mode, Date.now());
    return engine.mode;
  });
}

const MODES: Record<string, TradingModeView | undefined> = { halt: "halt", resume: "normal", "reduce-only": "reduce-only", status: undefined };

const TRADING_USAGE = "usage: workstation trading halt|resume|reduce-only|status | failed-orders [cancel|leave] | reset --account paper:VENUE --yes";

/** `workstation trading halt|resume|reduce-only|status | failed-orders [cancel|leave] | reset --account A --yes`. */
export const tradingCommand: CliCommand = {
  name: "trading",
  usage: "halt|resume|reduce-only|status [--account live:VENUE [--env ENV]] | failed-orders [cancel|leave] | reset --account paper:VENUE --yes [--json]",
  help: [
    "halt               kill switch: cancel every open order and refuse new ones (survives restart)",
    "reduce-only        only orders that shrink a position",
    "resume             back to normal",
    "failed-orders P    a failed strategy's open orders: cancel (default) or leave them working",
    "reset --account A --yes   paper account A (paper:VENUE) back to its starting balances, orders cancelled",
    "--json             {\"mode\"} ({\"policy\"}, the account) on stdout",
  ],
  options: { json: { type: "boolean" }, account: { type: "string" }, env: { type: "string" }, yes: { type: "boolean" } },
  allowPositionals: true,
  async run(args, io: CliIo) {
    const action = args.positionals[0] ?? "status";
    if (action === "failed-orders") return failedOrdersAction(args, io);
    if (action === "reset") return resetAction(args, io);
    if (args.positionals.length > 1 || !Object.hasOwn(MODES, action)) throw new UsageError(TRADING_USAGE);
    const mode = MODES[action];
    const liveAt = liveVenue(args.values.account);
    const env = typeof args.values.env === "string" ? args.values.env : "live";
    // A live account goes through the running core when there is one (its broker holds the switch and cancels at once).
    const viaCore = liveAt !== null ? await withCore(args.dataDir, (c) => c.call("live.mode", { account: `live:${liveAt}`, ...(mode === undefined ? {} : { mode }) })) : null;
    const live = liveAt !== null ? (viaCore ?? { value: { mode: await liveMode(args.dataDir, liveAt, env, mode, io.env, (l) => io.err(l)) } }) : await withCore(args.dataDir, (c) => c.call("trading.mode", mode === undefined ? {} : { mode }));
    const now = live ? live.value.mode : offlineMode(args.dataDir, mode);
    io.out(args.values.json === true ? JSON.stringify({ mode: now }) : `trading: ${now}`);
    return 0;
  },
};
