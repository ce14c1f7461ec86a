/**
 * `npm run bench:parse`: CPU cost of turning venue frames into normalized events with each venue's
 * handler (exact JSON, fixed-point decimals, book rules, Kraken CRC32 on every book message), next to
 * ccxt's own handling of the same frames (see parse-ccxt.ts). Figures are CPU time (user + system)
 * per frame over BENCH_N frames after a warm-up on a separate instance; every trade frame holds one
 * trade, so ns/frame is ns/trade. A second table compares ways of reading JSON with exact numbers.
 */
import type { VenueId } from "../common/market/events.ts";
import { OrderBook } from "../core/venues/book.ts";
import { createHandler } from "../core/venues/index.ts";
import { parseJsonExact } from "../core/venues/json.ts";
import { krakenChecksum } from "../core/venues/kraken/handler.ts";
import { checksumDigits } from "../core/venues/kraken/parse.ts";
import type { VenueSink } from "../core/venues/types.ts";
import { makePeer } from "./parse-ccxt.ts";

const N = Number(process.env.BENCH_N ?? 100_000);
const WARM = Math.min(N, 20_000);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);
const ISO = "2023-10-04T07:48:26.708706Z";
const CB_ISO = "2023-02-09T20:32:51.300000123Z";

let sunk = 0;
const sink: VenueSink = { event: () => void sunk++, request: () => void sunk++, quote: () => void sunk++, notice: () => void sunk++ };

/** CPU ns per frame: warm up one instance, then time fresh ones over all frames; best of ROUNDS. */
function measure(texts: string[], make: () => (text: string) => void): number {
  const warm = make();
  for (let i = 0; i < WARM; i++) warm(texts[i]!);
  let best = Infinity;
  for (let r = 0; r < ROUNDS; r++) {
    const run = make();
    const start = process.cpuUsage();
    for (let i = 0; i < texts.length; i++) run(texts[i]!);
    const used = process.cpuUsage(start);
    best = Math.min(best, ((used.user + used.system) * 1000) / texts.length);
  }
  return best;
}

function ours(venue: VenueId, prime: (h: ReturnType<typeof createHandler>) => void = () => {}): () => (text: string) => void {
  return () => {
    const h = createHandler(venue);
    prime(h);
    return (text) => h.onFrame(text, 0, sink);
  };
}

function peer(venue: "kraken" | "binance" | "coinbase", primeFrames: string[] = []): () => (text: string) => void {
  return () => {
    const handle = makePeer(venue);
    for (const f of primeFrames) handle(f);
    return handle;
  };
}

const gen = (f: (i: number) => string) => Array.from({ length: N }, (_, i) => f(i));
const px = (i: number) => String(10 + (i % 80));

const krakenTrades = gen((i) => `{"channel":"trade","type":"update","data":[{"symbol":"BTC/USD","side":"buy","price":45285.2,"qty":0.00100000,"ord_type":"market","trade_id":${71224511 + i},"timestamp":"${ISO}"}]}`);
const coinbaseTrades = gen((i) => `{"channel":"market_trades","client_id":"","timestamp":"${CB_ISO}","sequence_num":${i + 1},"events":[{"type":"update","trades":[{"trade_id":"${480195315 + i}","product_id":"BTC-USD","price":"21921.80","size":"0.25000000","side":"BUY","time":"${CB_ISO}"}]}]}`);
const binanceTrades = gen((i) => `{"stream":"btcusdt@trade","data":{"e":"trade","E":1672515782136,"s":"BTCUSDT","t":${2419876000 + i},"p":"16850.01000000","q":"0.00100000","T":1672515782136,"m":true,"M":true}}`);
const coinbaseSnapshot = `{"channel":"l2_data","client_id":"","timestamp":"${CB_ISO}","sequence_num":0,"events":[{"type":"snapshot","product_id":"BTC-USD","updates":[{"side":"bid","event_time":"${CB_ISO}","price_level":"21921.00","new_quantity":"1.5"},{"side":"offer","event_time":"${CB_ISO}","price_level":"21932.00","new_quantity":"2"}]}]}`;
const coinbaseBook = gen((i) => `{"channel":"l2_data","client_id":"","timestamp":"${CB_ISO}","sequence_num":${i + 1},"events":[{"type":"update","product_id":"BTC-USD","updates":[{"side":"bid","event_time":"${CB_ISO}","price_level":"21920.${px(i)}","new_quantity":"${i % 3 === 0 ? "0" : "0.50000000"}"},{"side":"offer","event_time":"${CB_ISO}","price_level":"21931.${px(i)}","new_quantity":"0.25000000"}]}]}`);
const binanceBook = gen((i) => `{"stream":"btcusdt@depth@100ms","data":{"e":"depthUpdate","E":1672515782136,"s":"BTCUSDT","U":${1001 + 2 * i},"u":${1002 + 2 * i},"b":[["16850.${px(i)}000000","${i % 3 === 0 ? "0.00000000" : "0.50000000"}"]],"a":[["16860.${px(i)}000000","0.25000000"]]}}`);

/** Kraken book frames: a 10-level snapshot and an update (re-applying it leaves the book unchanged, so one text repeats). */
function krakenBookFrames(): { snapshot: string; updates: string[] } {
  const side = (start: number, step: number) => Array.from({ length: 10 }, (_, k) => [(start + k * step).toFixed(1), `1.${String(k).padStart(8, "0")}`] as const);
  const bids = side(45000, -0.5);
  const asks = side(45001, 0.5);
  const updBid = ["44999.7", "0.50000000"] as const;
  const updAsk = ["45001.0", "0.75000000"] as const;
  const book = new OrderBook();
  const put = (s: "bids" | "asks", [p, q]: readonly [string, string]) => (s === "bids" ? book.bids : book.asks).set(p.replace(/\.?0+$/, "") || "0", q, checksumDigits(p) + checksumDigits(q));
  bids.forEach((l) => put("bids", l));
  asks.forEach((l) => put("asks", l));
  const snapCs = krakenChecksum(book);
  put("bids", updBid);
  put("asks", updAsk);
  book.bids.truncate(10);
  const updCs = krakenChecksum(book);
  const lv = (ls: readonly (readonly [string, string])[]) => `[${ls.map(([p, q]) => `{"price":${p},"qty":${q}}`).join(",")}]`;
  const snapshot = `{"channel":"book","type":"snapshot","data":[{"symbol":"BTC/USD","bids":${lv(bids)},"asks":${lv(asks)},"checksum":${snapCs},"timestamp":"${ISO}"}]}`;
  const update = `{"channel":"book","type":"update","data":[{"symbol":"BTC/USD","bids":${lv([updBid])},"asks":${lv([updAsk])},"checksum":${updCs},"timestamp":"${ISO}"}]}`;
  return { snapshot, updates: gen(() => update) };
}

const kb = krakenBookFrames();
const primeBinance = (h: ReturnType<typeof createHandler>) => {
  h.onFrame('{"e":"depthUpdate","E":1,"s":"BTCUSDT","U":1000,"u":1000,"b":[],"a":[]}', 0, sink);
  h.onRest({ kind: "rest", venue: "binance", symbol: "BTC/USDT", path: "/api/v3/depth?symbol=BTCUSDT" }, '{"lastUpdateId":1000,"bids":[["16840.00000000","1.00000000"]],"asks":[["16870.00000000","1.00000000"]]}', 0, sink);
};

// Sanity: every timed book frame must be published as a valid event, not dropped or flagged.
function check(venue: VenueId, texts: string[], prime: (h: ReturnType<typeof createHandler>) => void, type: string): void {
  const h = createHandler(venue);
  prime(h);
  let good = 0;
  const probe: VenueSink = { ...sink, event: (e) => void (e.type === type && good++) };
  for (const t of texts.slice(0, 1000)) h.onFrame(t, 0, probe);
  if (good !== Math.min(1000, texts.length)) throw new Error(`bench setup: ${venue} published ${good} ${type} of 1000`);
}
check("kraken", kb.updates, (h) => h.onFrame(kb.snapshot, 0, sink), "book_update");
check("coinbase", coinbaseBook, (h) => h.onFrame(coinbaseSnapshot, 0, sink), "book_update");
check("binance", binanceBook, primeBinance, "book_update");
check("kraken", krakenTrades, () => {}, "trade");

const cases: { name: string; texts: string[]; ours: () => (t: string) => void; ccxt: () => (t: string) => void }[] = [
  { name: "kraken trade", texts: krakenTrades, ours: ours("kraken"), ccxt: peer("kraken") },
  { name: "kraken book update (CRC32)", texts: kb.updates, ours: ours("kraken", (h) => h.onFrame(kb.snapshot, 0, sink)), ccxt: peer("kraken", [kb.snapshot]) },
  { name: "coinbase trade", texts: coinbaseTrades, ours: ours("coinbase"), ccxt: peer("coinbase") },
  { name: "coinbase book update", texts: coinbaseBook, ours: ours("coinbase", (h) => h.onFrame(coinbaseSnapshot, 0, sink)), ccxt: peer("coinbase", [coinbaseSnapshot]) },
  { name: "binance trade", texts: binanceTrades, ours: ours("binance"), ccxt: peer("binance") },
  { name: "binance book update", texts: binanceBook, ours: ours("binance", primeBinance), ccxt: peer("binance") },
];

const table = cases.map((c) => {
  const o = measure(c.texts, c.ours);
  const p = measure(c.texts, c.ccxt);
  return { case: c.name, "ours ns/frame": Math.round(o), "ours frames/s": Math.round(1e9 / o), "ccxt ns/frame": Math.round(p), "ours/ccxt": Number((o / p).toFixed(2)) };
});
console.log(`bench:parse — ${N} frames per case, best of ${ROUNDS} rounds, CPU time (user+system) per frame, Node ${process.version}`);
console.table(table);

type Reviver = (this: unknown, key: string, value: unknown, context: { source?: string }) => unknown;
const reviver: Reviver = (_k, v, ctx) => (typeof v === "number" && ctx.source !== undefined ? ctx.source : v);
const jsonCases: [string, (t: string) => unknown][] = [
  ["exact reader (ours, numbers as text)", parseJsonExact],
  ["JSON.parse + reviver context.source", (t) => JSON.parse(t, reviver as Parameters<typeof JSON.parse>[1])],
  ["JSON.parse (numbers become floats)", (t) => JSON.parse(t)],
];
const jsonTable = jsonCases.map(([name, fn]) => ({
  reader: name,
  "kraken trade ns": Math.round(measure(krakenTrades, () => (t) => void fn(t))),
  "kraken book update ns": Math.round(measure(kb.updates, () => (t) => void fn(t))),
  "binance depth ns": Math.round(measure(binanceBook, () => (t) => void fn(t))),
}));
console.table(jsonTable);
if (sunk < 0) console.log(sunk);
