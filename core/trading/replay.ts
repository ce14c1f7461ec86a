/**
 * `paper --replay`: a recorded session through the live path — the venue's feed handler, the bar
 * clock, the strategy session in a sandboxed worker, the order layer and the paper broker — as fast
 * as it goes and deterministically: no warm-up from the store (the strategy warms on the replayed
 * bars, as a backtest does), an order layer in memory, slippage and latency 0 unless given, the risk
 * gate's generous replay defaults. At the end the forming bar closes; orders still open stay open.
 * A malformed or truncated line stops the replay with an error naming the line.
 */
import { createReadStream } from "node:fs";
import { createInterface } from "node:readline";
import type { MarketEvent, VenueId } from "../../common/market/events.ts";
import { computeMetrics } from "../../common/strategy/metrics.ts";
import type { Metrics, TradeRecord } from "../../common/strategy/results.ts";
import type { TradingFill, TradingOrder } from "../../common/trading/orders.ts";
import type { InstrumentSpec } from "../../common/strategy/results.ts";
import { createHandler } from "../venues/index.ts";
import { VENUE_MODULES } from "../venues/modules.ts";
import { parseRecordingLine, ReplaySession } from "../venues/replay.ts";
import type { TradingEngine } from "./engine.ts";
import { LocalBook } from "./local-book.ts";
import { PaperRunner } from "./runner.ts";
import type { SessionHost } from "./session-host.ts";

/** The `--json` order shape. */
export interface PaperOrderJson {
  id: string;
  side: "buy" | "sell";
  type: string;
  size: number;
  price: number | null;
  status: string;
  createdTime: number;
  filledSize: number;
  avgPrice: number | null;
}

/** The `--json` fill shape. */
export interface PaperFillJson {
  orderId: string;
  time: number;
  price: number;
  size: number;
  fee: number;
  liquidity: "maker" | "taker";
}

/** The `--json` output: the backtest's shape plus orders and fills. */
export interface PaperJson {
  bars: number;
  trades: TradeRecord[];
  finalEquity: number;
  cash: number;
  metrics: Metrics;
  orders: PaperOrderJson[];
  fills: PaperFillJson[];
}

/** What a replay needs. */
export interface PaperReplayOptions {
  file: string;
  venue: VenueId;
  symbol: string;
  tfMs: number;
  cash: number;
  engine: TradingEngine;
  host: SessionHost;
  ledger: string;
  log?(line: string): void;
}

/** A replay's outcome. */
export interface PaperReplayResult {
  json: PaperJson;
  runner: PaperRunner;
  trades: number;
}

/** Streams a recording's non-blank lines with their numbers. */
async function* numberedLines(path: string): AsyncGenerator<[number, string]> {
  const rl = createInterface({ input: createReadStream(path, { encoding: "utf8" }), crlfDelay: Infinity });
  let n = 0;
  for await (const line of rl) {
    n++;
    if (line.trim() !== "") yield [n, line];
  }
}

/**
 * The instrument's tick and lot when the recording holds the venue's instrument answer (a `rest`
 * line for its instruments path); undefined otherwise (then nothing is rounded or filtered).
 */
export async function instrumentFromRecording(file: string, venue: VenueId, symbol: string): Promise<InstrumentSpec | undefined> {
  const rest = VENUE_MODULES[venue].rest;
  const endpoint = rest.instrumentsPath.split("?")[0]!;
  for await (const [, line] of numberedLines(file)) {
    const parsed = parseRecordingLine(line);
    if (!("rest" in parsed) || parsed.rest.path.split("?")[0] !== endpoint) continue;
    try {
      const found = rest.parseInstruments(parsed.rest.body).find((i) => i.symbol === symbol);
      if (found) return { tickSize: Number(found.tickSize), lotSize: Number(found.lotSize) };
    } catch {
      // an unreadable answer: the replay runs unfiltered
    }
  }
  return undefined;
}

/** Runs the replay; throws on a malformed line (with its number) and on a strategy error. */
export async function runPaperReplay(opts: PaperReplayOptions): Promise<PaperReplayResult> {
  const { engine, venue, symbol } = opts;
  const book = new LocalBook();
  const runner = new PaperRunner({
    ledger: opts.ledger,
    venue,
    symbol,
    tfMs: opts.tfMs,
    engine,
    host: opts.host,
    ...(opts.log ? { log: opts.log } : {}),
    beforeBar: () => {
      if (engine.broker(venue, symbol).fillModel !== "book") return;
      const { bids, asks } = book.levels();
      engine.onBook(venue, symbol, bids, asks, book.ts);
    },
  });
  engine.openLedger(venue, opts.ledger, symbol, opts.cash);
  const pending: { e: MarketEvent; t: number }[] = [];
  let t = 0;
  const session = new ReplaySession(createHandler(venue), { event: (e) => pending.push({ e, t }), remark: (text) => opts.log?.(`replay: ${text}`) });
  for await (const [n, line] of numberedLines(opts.file)) {
    const parsed = parseRecordingLine(line);
    if ("error" in parsed) throw new Error(`${opts.file}:${n}: malformed recording line (${parsed.error})`);
    if ("rest" in parsed) session.addResponse(parsed.t, parsed.rest.path, parsed.rest.body);
  }
  await runner.start();
  let trades = 0;
  for await (const [, line] of numberedLines(opts.file)) {
    const parsed = parseRecordingLine(line);
    if (!("frame" in parsed)) continue;
    t = parsed.t;
    session.frame(parsed.t, parsed.frame);
    for (const { e, t: receiveTime } of pending.splice(0)) {
      if (!("symbol" in e) || e.symbol !== symbol) continue;
      if (e.type === "book_snapshot" || e.type === "book_update") book.apply(e);
      else if (e.type === "trade") {
        trades++;
        await runner.onTrade({ ts: e.ts, price: Number(e.price), size: Number(e.size), receiveTime, priceText: e.price, sizeText: e.size });
      }
    }
    if (runner.status === "failed") break;
  }
  session.finish();
  await runner.finish();
  if (runner.error) throw runner.error;
  return { json: paperJson(runner, engine, opts), runner, trades };
}

/** The `--json` shape of a finished run. */
export function paperJson(runner: PaperRunner, engine: TradingEngine, opts: Pick<PaperReplayOptions, "venue" | "symbol" | "ledger" | "cash">): PaperJson {
  const sub = engine.account(opts.venue).ledger(opts.ledger, opts.symbol);
  const bars = runner.bars;
  const n = bars.length;
  const lastClose = n > 0 ? bars[n - 1]!.close : 0;
  const trades = sub.trades(lastClose);
  const metrics = computeMetrics({
    startCash: opts.cash,
    time: Float64Array.from(bars, (b) => b.time),
    close: Float64Array.from(bars, (b) => b.close),
    equity: Float64Array.from(bars, (b) => b.equity),
    exposure: Uint8Array.from(bars, (b) => (b.exposed ? 1 : 0)),
    trades,
  });
  const orders = engine.allOrders().filter((o) => o.ledger === opts.ledger);
  const fills = engine.fillsOf(orders.map((o) => o.id));
  return { bars: n, trades, finalEquity: sub.acct.equityAt(lastClose), cash: sub.acct.cash, metrics, orders: orders.map(orderJson), fills: fills.map(fillJson) };
}

function orderJson(o: TradingOrder): PaperOrderJson {
  return { id: o.id, side: o.side, type: o.type, size: o.size, price: o.price, status: o.status, createdTime: o.createdTime, filledSize: o.filledSize, avgPrice: o.avgPrice };
}

function fillJson(f: TradingFill): PaperFillJson {
  return { orderId: f.orderId, time: f.venueTime, price: f.price, size: f.size, fee: f.fee, liquidity: f.liquidity };
}
