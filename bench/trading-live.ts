/**
 * Live trading rows of `npm run bench:trading`, against the Binance private simulator on loopback
 * (figures, not a test): the order round trip (intent → the venue's acknowledgement applied by the
 * live order layer: risk gate, filters, stored, signed REST, answer parsed, fills stored) p50/p99,
 * and the time from a private-stream drop to trading resumed (stream reopened, open orders, fills and
 * balances reconciled). 90 orders: Binance allows 100 orders per 10 s, and the budget holds to it. Run alone with `node --no-node-snapshot bench/trading-live.ts`.
 */
import { fileURLToPath } from "node:url";
import type { OrderSpec } from "../common/trading/orders.ts";
import { LiveBroker } from "../core/trading/live/live-broker.ts";
import { REPLAY_RISK_LIMITS } from "../core/trading/risk.ts";
import { MemoryTradingStore } from "../core/trading/store.ts";
import { startBinanceSim } from "../core/venues/binance/private/testing.ts";

function percentile(xs: number[], p: number): number {
  const s = xs.slice().sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))] ?? Number.NaN;
}

async function untilReconciled(broker: LiveBroker, count: number): Promise<void> {
  while (broker.reconciliations < count) await new Promise<void>((r) => setImmediate(r));
}

/** The live rows: round trip over `orders` market orders, reconnect over `reconnects` drops. */
export async function liveRows(orders = 90, reconnects = 20): Promise<[string, string][]> {
  const { sim, adapter } = await startBinanceSim();
  const broker = new LiveBroker({ store: new MemoryTradingStore(), adapter, limits: REPLAY_RISK_LIMITS, symbols: ["BTC/USDT"], settleMs: 0 });
  try {
    await broker.start();
    const trips: number[] = [];
    for (let i = 0; i < orders; i++) {
      const spec: OrderSpec = { venue: "binance", symbol: "BTC/USDT", side: i % 2 ? "sell" : "buy", type: "market", size: 0.001, price: null, tif: "GTC" };
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
      [`live order round trip p50 (Binance simulator, ${orders} market orders)`, `${percentile(trips, 50).toFixed(3)} ms`],
      ["live order round trip p99", `${percentile(trips, 99).toFixed(3)} ms`],
      [`private-stream drop → trading resumed, reconciled p50 (${reconnects} drops)`, `${percentile(resumes, 50).toFixed(3)} ms`],
      ["private-stream drop → trading resumed p99", `${percentile(resumes, 99).toFixed(3)} ms`],
    ];
  } finally {
    broker.stop();
    await sim.close();
  }
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  for (const [name, v] of await liveRows()) console.log(`${name}  ${v}`);
}
