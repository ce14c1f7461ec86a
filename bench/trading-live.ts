/**
 * Live trading rows of `npm run bench:trading`, against each venue's private simulator on loopback
 * (Binance, Kraken with orders over WS v2, Coinbase; figures, not a test): the order round trip (intent → the venue's acknowledgement applied by the
 * live order layer: risk gate, filters, stored, signed REST, answer parsed, fills stored) p50/p99,
 * and the time from a private-stream drop to trading resumed (stream reopened, open orders, fills and
 * balances reconciled). 90 orders: Binance allows 100 orders per 10 s, and the budget holds to it;
 * the Coinbase simulator allows 30 requests a second (`x-ratelimit-*`, two requests an order), so its
 * round trip includes waiting for the budget. Run alone with `node --no-node-snapshot bench/trading-live.ts`.
 */
import { fileURLToPath } from "node:url";
import type { OrderSpec } from "../common/trading/orders.ts";
import { LiveBroker } from "../core/trading/live/live-broker.ts";
import { REPLAY_RISK_LIMITS } from "../core/trading/risk.ts";
import { MemoryTradingStore } from "../core/trading/store.ts";
import type { ExecutionAdapter } from "../core/trading/live/adapter.ts";
import { startBinanceSim } from "../core/venues/binance/private/testing.ts";
import { startCoinbaseSim } from "../core/venues/coinbase/private/testing.ts";
import { KrakenExecutionAdapter } from "../core/venues/kraken/private/adapter.ts";
import { KrakenPrivateSim } from "../core/venues/kraken/private/simulator.ts";

type Venue = "binance" | "kraken" | "coinbase";
type BenchSim = { dropStreams(): void; close(): Promise<void> };

const SYMBOL: Record<Venue, string> = { binance: "BTC/USDT", kraken: "BTC/USD", coinbase: "BTC/USD" };
const NAME: Record<Venue, string> = { binance: "Binance", kraken: "Kraken", coinbase: "Coinbase" };

/** How much faster than real time Kraken's rate counters decay in this bench (see venueSim). */
const KRAKEN_CLOCK_SPEED = 100;

/** A venue's private simulator and an adapter on it. */
async function venueSim(venue: Venue): Promise<{ sim: BenchSim; adapter: ExecutionAdapter }> {
  if (venue === "binance") return startBinanceSim();
  if (venue === "coinbase") return startCoinbaseSim();
  const key = { apiKey: "krakenBenchKey0000000000000001", secret: Buffer.from("krakenBenchSecret-00000000001").toString("base64") };
  const sim = new KrakenPrivateSim([{ symbol: "XBTUSD", baseAsset: "XBT", quoteAsset: "USD", tickSize: "0.1", stepSize: "0.00000001", minQty: "0.0001", minNotional: "0.5", price: 50_000 }], [key], { USD: 1_000_000, XBT: 100 });
  // Kraken's rate counters run on a clock 100x faster here: at the Starter tier the ~300 paced REST
  // calls of this run would take ~15 min, and the rows measure our order path, not Kraken's pacing.
  return { sim, adapter: new KrakenExecutionAdapter(await sim.start(), key, { log: () => {}, now: () => Date.now() * KRAKEN_CLOCK_SPEED }) };
}

function percentile(xs: number[], p: number): number {
  const s = xs.slice().sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))] ?? Number.NaN;
}

async function untilReconciled(broker: LiveBroker, count: number): Promise<void> {
  while (broker.reconciliations < count) await new Promise<void>((r) => setImmediate(r));
}

/** The live rows: round trip over `orders` market orders, reconnect over `reconnects` drops. */
export async function liveRows(orders = 90, reconnects = 20): Promise<[string, string][]> {
  const rows: [string, string][] = [];
  for (const venue of ["binance", "kraken", "coinbase"] as const) rows.push(...(await venueRows(venue, orders, reconnects)));
  return rows;
}

/** One venue's rows. */
async function venueRows(venue: Venue, orders: number, reconnects: number): Promise<[string, string][]> {
  const { sim, adapter } = await venueSim(venue);
  const symbol = SYMBOL[venue];
  const broker = new LiveBroker({ store: new MemoryTradingStore(), adapter, limits: REPLAY_RISK_LIMITS, symbols: [symbol], settleMs: 0 });
  try {
    await broker.start();
    const trips: number[] = [];
    for (let i = 0; i < orders; i++) {
      const spec: OrderSpec = { venue, symbol, side: i % 2 ? "sell" : "buy", type: "market", size: 0.001, price: null, tif: "GTC" };
      const t0 = performance.now();
      await broker.place(spec);
      trips.push(performance.now() - t0);
    }
    const resumes: number[] = [];
    for (let i = 0; i < reconnects; i++) {
      const before = broker.reconciliations;
      const t0 = performance.now();
      sim.dropStreams();
      await untilReconciled(broker, before + 1);
      await broker.whenReady();
      resumes.push(performance.now() - t0);
    }
    return [
      [`live order round trip p50 (${NAME[venue]} simulator, ${orders} market orders${venue === "kraken" ? `; rate counters at ${KRAKEN_CLOCK_SPEED}x speed` : ""})`, `${percentile(trips, 50).toFixed(3)} ms`],
      [`live order round trip p99 (${NAME[venue]})`, `${percentile(trips, 99).toFixed(3)} ms`],
      [`private-stream drop → trading resumed, reconciled p50 (${NAME[venue]}, ${reconnects} drops)`, `${percentile(resumes, 50).toFixed(3)} ms`],
      [`private-stream drop → trading resumed p99 (${NAME[venue]})`, `${percentile(resumes, 99).toFixed(3)} ms`],
    ];
  } finally {
    broker.stop();
    await sim.close();
  }
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  for (const [name, v] of await liveRows()) console.log(`${name}  ${v}`);
}
