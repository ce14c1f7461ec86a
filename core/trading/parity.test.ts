/**
 * Parity, stated and tested (issue #21, item 8): a session the simulator records, replayed through
 * `paper --fill-model next-trade`, gives the same trades as `backtest` on the 1m candles built from
 * that session's trades (same order, sides, sizes and prices; a paper trade's times are the venue
 * times of the trades that filled it, a backtest's the bar's open time); and the live path (the
 * simulator's feed on the market bus) gives exactly what the replay of its recording gives.
 * The simulator stamps trades with `Date.now()`, so the test moves that clock 6 s per market step
 * (only while stepping) to cover an hour of 1m bars in a moment.
 */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { TradeBarClock, type TradeBar } from "../../common/market/trade-bars.ts";
import type { TradeEvent } from "../../common/market/events.ts";
import type { BacktestJson } from "../../common/strategy/results.ts";
import { Pricing } from "../../common/strategy/engine/pricing.ts";
import { runCli } from "../cli/main.ts";
import type { CliIo } from "../cli/command.ts";
import { MarketBus } from "../feeds/bus.ts";
import { VenueFeed } from "../feeds/feed.ts";
import { PROTOCOLS } from "../feeds/protocols.ts";
import { FileRecorder } from "../feeds/recorder.ts";
import { Simulator } from "../simulator/server.ts";
import { compileStrategy } from "../strategy/compile.ts";
import { resolveLimits } from "../strategy/runner.ts";
import { WORKER_EXEC_ARGV, defaultWorkerEntry } from "../workers/entry.ts";
import { WorkerPool } from "../workers/pool.ts";
import { silentLogger } from "../log.ts";
import { TradingEngine } from "./engine.ts";
import { attachLiveFeed } from "./live-feed.ts";
import { paperJson, type PaperJson } from "./replay.ts";
import { REPLAY_RISK_LIMITS } from "./risk.ts";
import { PaperRunner } from "./runner.ts";
import { WorkerSessionHost } from "./session-host.ts";
import { MemoryTradingStore } from "./store.ts";

const STRATEGY = `import { defineStrategy } from "workstation";
export default defineStrategy({
  params: { size: 0.5 },
  onBar(bar, ctx) {
    if (ctx.barIndex % 5 === 1) ctx.buy(ctx.params.size);
    if (ctx.barIndex % 5 === 3) ctx.sell(ctx.params.size * 2);
    if (ctx.barIndex % 5 === 4) ctx.close();
  },
});
`;

let dir: string;
let sim: Simulator;
let strategyFile: string;
let recording: string;
let live: PaperJson;

function capture(): CliIo & { stdout: string[]; stderr: string[] } {
  const stdout: string[] = [];
  const stderr: string[] = [];
  return { stdout, stderr, out: (l) => stdout.push(l), err: (l) => stderr.push(l), env: {} };
}

/** Steps the simulator with its clock moved 6 s per step, until `done` resolves. */
async function stepWithFakeClock(done: Promise<unknown>): Promise<void> {
  let fake = Math.ceil(Date.now() / 60_000) * 60_000 + 60_000;
  const real = Date.now;
  let finished = false;
  void done.finally(() => (finished = true));
  while (!finished) {
    Date.now = () => fake;
    try {
      sim.step(1, "kraken");
    } finally {
      Date.now = real;
    }
    fake += 6_000;
    await new Promise((r) => setTimeout(r, 3));
  }
}

/** Runs the strategy live on the simulator's feed while recording it. */
async function runLiveAndRecord(): Promise<PaperJson> {
  const pool = new WorkerPool({ size: 1, entry: defaultWorkerEntry(), execArgv: WORKER_EXEC_ARGV, log: silentLogger() });
  const bus = new MarketBus();
  const recorder = new FileRecorder(recording);
  bus.onRaw("kraken", (item) => recorder.write(item));
  const compiled = await compileStrategy(STRATEGY, "parity.ts", {});
  const engine = new TradingEngine({ store: new MemoryTradingStore(), limits: REPLAY_RISK_LIMITS, fillModel: "next-trade", pricing: new Pricing({ commission: 0.001, slippageBps: 0 }), idPrefix: "paper" });
  const host = new WorkerSessionHost(pool, { id: "live", strategy: compiled, symbol: "BTC/USD", cash: 100_000, params: {}, limits: resolveLimits() });
  engine.openLedger("kraken", "strategy", "BTC/USD", 100_000);
  const runner = new PaperRunner({ ledger: "strategy", venue: "kraken", symbol: "BTC/USD", tfMs: 60_000, engine, host });
  await runner.start();
  const feed = attachLiveFeed({ bus, venue: "kraken", symbol: "BTC/USD", runners: () => [runner], engine, venueNow: null });
  const venueFeed = new VenueFeed({ id: "kraken", protocol: PROTOCOLS.kraken, endpoints: sim.urls("kraken"), bus });
  venueFeed.add("BTC/USD");
  const enough = new Promise<void>((resolve) => {
    const poll = setInterval(() => {
      if (venueFeed.status().trades >= 700) {
        clearInterval(poll);
        resolve();
      }
    }, 10);
  });
  await stepWithFakeClock(enough);
  venueFeed.stop();
  await recorder.close();
  await feed.drained();
  feed.detach();
  await runner.finish();
  await pool.shutdown();
  expect(runner.error).toBeNull();
  return paperJson(runner, engine, { venue: "kraken", symbol: "BTC/USD", ledger: "strategy", cash: 100_000 });
}

beforeAll(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), "paper-parity-"));
  sim = await Simulator.start({ venues: ["kraken"], rate: 0, tradeShare: 0.7, seed: 21 });
  strategyFile = path.join(dir, "parity.ts");
  fs.writeFileSync(strategyFile, STRATEGY);
  recording = path.join(dir, "session.jsonl");
  live = await runLiveAndRecord();
}, 120_000);

afterAll(async () => {
  await sim.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

async function paperReplayJson(): Promise<PaperJson> {
  const io = capture();
  const code = await runCli(["paper", strategyFile, "--venue", "kraken", "--symbol", "BTC/USD", "--timeframe", "1m", "--fill-model", "next-trade", "--commission", "0.001", "--replay", recording, "--json", "--skip-typecheck"], io);
  expect(io.stderr.filter((l) => !l.startsWith("log:"))).toEqual([]);
  expect(code).toBe(0);
  return JSON.parse(io.stdout[0]!) as PaperJson;
}

/** The 1m candles of the session's trades (the shared bar rule), as an epoch-seconds OHLCV CSV. */
async function candlesCsv(): Promise<string> {
  const io = capture();
  expect(await runCli(["replay", "--venue", "kraken", "--input", recording], io)).toBe(0);
  const clock = new TradeBarClock(60_000);
  const bars: TradeBar[] = [];
  for (const line of io.stdout) {
    const e = JSON.parse(line) as TradeEvent;
    if (e.type !== "trade" || e.symbol !== "BTC/USD") continue;
    const step = clock.onTrade({ ts: e.ts, price: e.price, size: e.size });
    if (step.closed) bars.push(step.closed.bar);
  }
  const last = clock.flush();
  if (last) bars.push(last.bar);
  const file = path.join(dir, "candles.csv");
  fs.writeFileSync(file, ["timestamp,open,high,low,close,volume", ...bars.map((b) => `${b.time / 1000},${b.open},${b.high},${b.low},${b.close},${b.volume}`)].join("\n"));
  return file;
}

describe("paper trading parity", () => {
  it("replay through paper --fill-model next-trade gives the backtest's trades on the session's 1m candles", async () => {
    const paper = await paperReplayJson();
    const io = capture();
    expect(await runCli(["backtest", strategyFile, "--data", await candlesCsv(), "--commission", "0.001", "--json", "--no-save", "--skip-typecheck", "--data-dir", dir], io)).toBe(0);
    const backtest = JSON.parse(io.stdout[0]!) as BacktestJson;
    expect(paper.bars).toBe(backtest.bars);
    expect(backtest.trades.length).toBeGreaterThanOrEqual(4);
    const shape = (t: BacktestJson["trades"][number]) => ({ side: t.side, size: t.size, entryPrice: t.entryPrice, exitPrice: t.exitPrice, pnl: t.pnl, fees: t.fees });
    expect(paper.trades.map(shape)).toEqual(backtest.trades.map(shape));
    paper.trades.forEach((t, i) => {
      expect(Math.floor(t.entryTime / 60_000) * 60_000).toBe(backtest.trades[i]!.entryTime);
      if (t.exitTime !== null) expect(Math.floor(t.exitTime / 60_000) * 60_000).toBe(backtest.trades[i]!.exitTime);
    });
    expect(paper.finalEquity).toBeCloseTo(backtest.finalEquity, 9);
    expect(paper.cash).toBeCloseTo(backtest.cash, 9);
    expect(Object.keys(paper)).toEqual(["bars", "trades", "finalEquity", "cash", "metrics", "orders", "fills"]);
    expect(Object.keys(paper.orders[0]!)).toEqual(["id", "side", "type", "size", "price", "status", "createdTime", "filledSize", "avgPrice"]);
    expect(Object.keys(paper.fills[0]!)).toEqual(["orderId", "time", "price", "size", "fee", "liquidity"]);
  }, 60_000);

  it("the live path and the replay of its recording are one: identical output", async () => {
    expect(live.orders.length).toBeGreaterThan(3);
    expect(await paperReplayJson()).toEqual(live);
  }, 60_000);
});
