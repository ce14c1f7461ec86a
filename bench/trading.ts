/**
 * Paper trading benchmark (`npm run bench:trading`; figures, not a test):
 * - tick-to-order latency inside core: from the arrival of the trade that closes a bar to the
 *   strategy's order leaving the risk gate (accepted by the order layer), p50/p99, with 10 running
 *   strategies (sandboxed sessions on the worker pool) fed 10k trades/s on 1s bars;
 * - replay speed: a synthetic 1-day Kraken BTC/USD recording of ~1M trades through
 *   `paper --replay` (feed handler, bar clock, sandboxed session, order layer, paper broker);
 * - live trading on the Binance private simulator (bench/trading-live.ts): order round trip and
 *   private-stream reconnect → trading resumed.
 */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { Pricing } from "../common/strategy/engine/pricing.ts";
import { silentLogger } from "../core/log.ts";
import { paperReplay } from "../core/cli/paper.ts";
import { compileStrategy } from "../core/strategy/compile.ts";
import { resolveLimits } from "../core/strategy/runner.ts";
import { TradingEngine } from "../core/trading/engine.ts";
import { REPLAY_RISK_LIMITS } from "../core/trading/risk.ts";
import { PaperRunner, type BarClockTrade } from "../core/trading/runner.ts";
import { WorkerSessionHost } from "../core/trading/session-host.ts";
import { MemoryTradingStore } from "../core/trading/store.ts";
import { liveRows } from "./trading-live.ts";
import { WORKER_EXEC_ARGV, defaultWorkerEntry } from "../core/workers/entry.ts";
import { WorkerPool } from "../core/workers/pool.ts";

const STRATEGY = `import { defineStrategy } from "workstation";
export default defineStrategy({
  params: {},
  setup: ({ ta }) => ({ fast: ta.sma(5), slow: ta.sma(20) }),
  onBar(bar, ctx, s) {
    s.fast.update(bar.close);
    s.slow.update(bar.close);
    if (ctx.barIndex % 2 === 0) ctx.buy(0.001);
    else ctx.sell(0.001);
  },
});
`;

function percentile(xs: number[], p: number): number {
  const s = xs.slice().sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))] ?? Number.NaN;
}

/** 10 strategies, 10k trades/s paced in real time, 1s bars: closing trade → order accepted. */
async function latency(seconds: number): Promise<{ samples: number[]; trades: number }> {
  const pool = new WorkerPool({ size: Math.max(1, Math.min(2, os.availableParallelism())), entry: defaultWorkerEntry(), execArgv: WORKER_EXEC_ARGV, log: silentLogger() });
  await pool.warmUp();
  const compiled = await compileStrategy(STRATEGY, "bench.ts", {});
  const engine = new TradingEngine({ store: new MemoryTradingStore(), limits: REPLAY_RISK_LIMITS, fillModel: "next-trade", pricing: new Pricing({ commission: 0.001, slippageBps: 0 }) });
  const runners: PaperRunner[] = [];
  for (let i = 0; i < 10; i++) {
    const ledger = `s${i}`;
    engine.openLedger("kraken", ledger, "BTC/USD", 1_000_000);
    const host = new WorkerSessionHost(pool, { id: ledger, strategy: compiled, symbol: "BTC/USD", cash: 1_000_000, params: {}, limits: resolveLimits() });
    const r = new PaperRunner({ ledger, venue: "kraken", symbol: "BTC/USD", tfMs: 1000, engine, host });
    await r.start();
    runners.push(r);
  }
  let arrival = 0;
  const samples: number[] = [];
  engine.subscribe((u) => {
    if (u.fill === null && u.order.status === "accepted" && u.order.parentId === null) samples.push(performance.now() - arrival);
  });
  let price = 50_000;
  let trades = 0;
  const end = Date.now() + seconds * 1000;
  while (Date.now() < end) {
    const batchStart = performance.now();
    for (let k = 0; k < 100; k++) {
      price += (Math.random() - 0.5) * 5;
      const ts = Date.now();
      const t: BarClockTrade = { ts, price, size: 0.01, receiveTime: ts, priceText: price.toFixed(1), sizeText: "0.01" };
      arrival = performance.now();
      await Promise.all(runners.map((r) => r.barOn(t)));
      engine.onTrade("kraken", "BTC/USD", t);
      trades++;
    }
    const left = 10 - (performance.now() - batchStart);
    if (left > 0) await new Promise((r) => setTimeout(r, left));
  }
  for (const r of runners) await r.stop();
  await pool.shutdown();
  return { samples, trades };
}

/** Writes a 1-day Kraken recording of `n` trades (10 per frame), times spread over 24 h. */
function writeRecording(file: string, n: number): void {
  const out = fs.openSync(file, "w");
  const start = Date.UTC(2024, 0, 1);
  const step = 86_400_000 / n;
  let price = 42_000;
  let id = 1;
  const lines: string[] = [];
  const flush = () => {
    fs.writeSync(out, lines.join(""));
    lines.length = 0;
  };
  for (let i = 0; i < n; i += 10) {
    const data: string[] = [];
    for (let k = 0; k < 10 && i + k < n; k++) {
      price = Math.max(1000, price + Math.round((Math.random() - 0.5) * 20) / 10);
      const ts = new Date(start + Math.floor((i + k) * step)).toISOString().replace("Z", "000Z");
      data.push(`{"symbol":"BTC/USD","side":"${k % 2 ? "buy" : "sell"}","price":${price.toFixed(1)},"qty":0.0015,"ord_type":"market","trade_id":${id++},"timestamp":"${ts}"}`);
    }
    const frame = `{"channel":"trade","type":"update","data":[${data.join(",")}]}`;
    lines.push(`${JSON.stringify({ t: start + Math.floor(i * step) + 5, frame })}\n`);
    if (lines.length >= 5000) flush();
  }
  flush();
  fs.closeSync(out);
}

async function replaySpeed(n: number): Promise<{ ms: number; trades: number; bars: number; orders: number; mb: number }> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "bench-trading-"));
  try {
    const file = path.join(dir, "day.jsonl");
    writeRecording(file, n);
    const strategyFile = path.join(dir, "bench.ts");
    fs.writeFileSync(strategyFile, STRATEGY);
    const t0 = performance.now();
    const { json, trades } = await paperReplay(
      { file: strategyFile, source: STRATEGY, venue: "kraken", symbol: "BTC/USD", tfMs: 60_000, fillModel: "next-trade", cash: 1_000_000, commission: 0.001, slippageBps: 0, latencyMs: 0, params: undefined, replay: file },
      () => undefined,
      false,
    );
    return { ms: performance.now() - t0, trades, bars: json.bars, orders: json.orders.length, mb: fs.statSync(file).size / 1e6 };
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

async function main(): Promise<void> {
  const lat = await latency(8);
  const replay = await replaySpeed(1_000_000);
  const rows: [string, string][] = [
    [`tick-to-order p50 (10 strategies, ${Math.round(lat.trades / 8)} trades/s, 1s bars, ${lat.samples.length} orders)`, `${percentile(lat.samples, 50).toFixed(3)} ms`],
    ["tick-to-order p99", `${percentile(lat.samples, 99).toFixed(3)} ms`],
    ["tick-to-order max", `${Math.max(...lat.samples).toFixed(3)} ms`],
    [`replay: ${replay.trades} trades (${replay.mb.toFixed(0)} MB), ${replay.bars} 1m bars, ${replay.orders} orders`, `${replay.ms.toFixed(0)} ms`],
    ["replay rate", `${Math.round(replay.trades / (replay.ms / 1000)).toLocaleString("en-US")} trades/s`],
    ...(await liveRows()),
  ];
  const w = Math.max(...rows.map((r) => r[0].length));
  console.log(`${"case".padEnd(w)}  result`);
  for (const [name, v] of rows) console.log(`${name.padEnd(w)}  ${v}`);
}

await main();
