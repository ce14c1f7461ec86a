/**
 * Alerts benchmark (`npm run bench:alerts`): figures, not a test.
 *
 * 10,000 active rules over 100 symbols (100 a symbol: price crosses/above/below, channels, moves,
 * SMA/EMA/RSI against levels and each other; on 1s and 1m bars; once per bar close and once per bar
 * — the intrabar ones test the forming bar on every trade) in the real {@link AlertService}: every
 * fire is recorded in SQLite under its idempotency key and handed to a desktop listener. Trades
 * arrive paced at 10,000 a second (a batch every 10 ms) as a random walk around each symbol's price
 * for BENCH_ALERTS_SECONDS (default 10). Reported: CPU per trade (process CPU time / trades), the
 * time `onTrade` takes per trade (mean, p99), and the fire latency from a trade's scheduled arrival
 * to the notification leaving the service (p50, p99, max) against the target of 5 ms p99,
 * and the same from the moment the trade reaches the service (without the wait of a backlog when
 * the machine cannot keep up with the pace).
 */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import type { AlertTrade } from "../common/alerts/engine.ts";
import { AlertService, type AlertFeed } from "../core/alerts/service.ts";
import { openAppDb } from "../core/store/app-db.ts";

const SYMBOLS = 100;
const RULES_PER_SYMBOL = 100;
const RATE = 10_000;
const SECONDS = Number(process.env.BENCH_ALERTS_SECONDS ?? 10);
const BATCH_MS = 10;

const dir = fs.mkdtempSync(path.join(os.tmpdir(), "bench-alerts-"));
const app = openAppDb(dir);
const listeners = new Map<string, (t: AlertTrade) => void>();
const feed: AlertFeed = {
  subscribe: (_v, symbol, onTrade) => {
    listeners.set(symbol, onTrade);
    return () => listeners.delete(symbol);
  },
  venueNow: () => Date.now(),
  knownSymbol: () => true,
  venueProblem: () => null,
};
const svc = new AlertService({ db: () => app.db, feed, secret: async () => null, log: { warn: () => undefined, error: () => undefined } });

function ruleFor(symbol: string, i: number, price: number): unknown {
  const level = (price * (1 + ((i % 20) - 10) / 2000)).toFixed(2);
  const timeframe = i % 2 === 0 ? "1s" : "1m";
  const frequency = i % 3 === 0 ? "once_per_bar" : "once_per_bar_close";
  const kind = i % 10;
  const condition =
    kind < 4 ? { type: "price", op: ["crosses", "crosses_up", "above", "below"][i % 4], value: level }
    : kind < 6 ? { type: "channel", op: i % 2 ? "entering" : "exiting", low: (price * (1 - ((i % 5) + 1) / 2000)).toFixed(2), high: (price * (1 + ((i % 5) + 1) / 2000)).toFixed(2) }
    : kind < 7 ? { type: "move", op: i % 2 ? "up" : "down", by: "0.05%", bars: 3 }
    : kind < 8 ? { type: "indicator", indicator: "rsi", args: [14], op: "crosses", value: 50 }
    : kind < 9 ? { type: "indicator", indicator: "ema", args: [9], op: "crosses", than: { indicator: "ema", args: [21] } }
    : { type: "indicator", indicator: "sma", args: [20], op: "above", value: price };
  return { id: `${symbol.replace("/", "-")}-${i}`, venue: "bench", symbol, timeframe, frequency, condition, deliver: { desktop: true } };
}

function percentile(sorted: number[], p: number): number {
  return sorted.length === 0 ? Number.NaN : sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * p))]!;
}

async function main(): Promise<void> {
  await svc.start();
  const symbols = Array.from({ length: SYMBOLS }, (_, i) => `S${i}/USD`);
  const prices = symbols.map((_, i) => 100 + i * 10);
  symbols.forEach((s, si) => {
    for (let i = 0; i < RULES_PER_SYMBOL; i++) svc.add(ruleFor(s, i, prices[si]!));
  });
  let arrival = 0;
  let delivered = 0;
  const latencies: number[] = [];
  const inService: number[] = [];
  const evalTimes: number[] = [];
  svc.onFire(() => {
    const now = performance.now();
    latencies.push(now - arrival);
    inService.push(now - delivered);
  });
  const total = RATE * SECONDS;
  const perBatch = (RATE * BATCH_MS) / 1000;
  let sent = 0;
  let seed = 12345;
  const rand = (): number => ((seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648);
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  while (sent < total) {
    const due = t0 + (sent / RATE) * 1000;
    const wait = due - performance.now();
    if (wait > 0) await new Promise((r) => setTimeout(r, wait));
    for (let k = 0; k < perBatch; k++, sent++) {
      const si = sent % SYMBOLS;
      prices[si] = prices[si]! * (1 + (rand() - 0.5) / 2000);
      arrival = t0 + (sent / RATE) * 1000;
      const start = performance.now();
      delivered = start;
      listeners.get(symbols[si]!)!({ symbol: symbols[si]!, price: prices[si]!.toFixed(2), size: "0.01", ts: Date.now() });
      evalTimes.push(performance.now() - start);
    }
  }
  const wall = performance.now() - t0;
  const cpu = process.cpuUsage(cpu0);
  svc.stop();
  app.close();
  fs.rmSync(dir, { recursive: true, force: true });
  latencies.sort((a, b) => a - b);
  inService.sort((a, b) => a - b);
  evalTimes.sort((a, b) => a - b);
  const mean = evalTimes.reduce((a, b) => a + b, 0) / evalTimes.length;
  const rows: [string, string][] = [
    ["rules / symbols", `${SYMBOLS * RULES_PER_SYMBOL} / ${SYMBOLS}`],
    ["trades (achieved rate)", `${total} (${Math.round(total / (wall / 1000))}/s, target ${RATE}/s)`],
    ["CPU per trade (user+system)", `${((cpu.user + cpu.system) / total).toFixed(1)} µs`],
    ["onTrade per trade mean / p99", `${(mean * 1000).toFixed(1)} µs / ${(percentile(evalTimes, 0.99) * 1000).toFixed(1)} µs`],
    ["fires", String(latencies.length)],
    ["fire latency p50 / p99 / max", `${percentile(latencies, 0.5).toFixed(2)} / ${percentile(latencies, 0.99).toFixed(2)} / ${(latencies.at(-1) ?? Number.NaN).toFixed(2)} ms`],
    ["  from the trade reaching the service", `${percentile(inService, 0.5).toFixed(2)} / ${percentile(inService, 0.99).toFixed(2)} / ${(inService.at(-1) ?? Number.NaN).toFixed(2)} ms`],
    ["target fire latency p99", `< 5 ms (ratio ${(percentile(latencies, 0.99) / 5).toFixed(2)})`],
  ];
  const width = Math.max(...rows.map((r) => r[0].length));
  for (const [k, v] of rows) process.stdout.write(`${k.padEnd(width)}  ${v}\n`);
}

await main();
