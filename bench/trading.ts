/**
 * Paper trading benchmark (`npm run bench:trading`; figures, not a test):
 * - tick-to-order latency inside core: from the arrival of the trade that closes a bar to the
 *   strategy's order leaving the risk gate (accepted by the order layer), p50/p99, with 10 running
 *   strategies (sandboxed sessions on the worker pool) fed 10k trades/s on 1s bars, with its hops
 *   (core's bar step, the round trip to the worker and the isolate, the order layer) and the IPC
 *   floors (an echo to an idle worker, and a bare Node IPC echo to a process running no project
 *   code, the machine's own floor for the hop); measured both ways, interleaved: steps over the session
 *   channel on the workers' session threads (the default) against steps over IPC on isolated-vm's
 *   threads (`--latency-only` prints these rows alone);
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
import { WorkerSessionHost, type SessionHost } from "../core/trading/session-host.ts";
import type { StrategyParams } from "../common/strategy/api.ts";
import type { SessionBar, SessionStepResult } from "../common/strategy/engine/session.ts";
import type { SessionOrderEvent } from "../common/strategy/engine/session-broker.ts";
import { MemoryTradingStore } from "../core/trading/store.ts";
import { BareEcho } from "./ipc-floor.ts";
import { liveRows } from "./trading-live.ts";
import { BENCH_STRATEGY, cpuRows } from "./trading-cpu.ts";
import { WORKER_EXEC_ARGV, defaultWorkerEntry } from "../core/workers/entry.ts";
import { WorkerPool } from "../core/workers/pool.ts";

const STRATEGY = BENCH_STRATEGY;

function percentile(xs: number[], p: number): number {
  const s = xs.slice().sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))] ?? Number.NaN;
}

/** A session host that records when each step left core and when its answer came back. */
class TimedHost implements SessionHost {
  readonly steps: { sent: number; answered: number }[] = [];
  private readonly inner: SessionHost;
  constructor(inner: SessionHost) {
    this.inner = inner;
  }
  get restarts(): number {
    return this.inner.restarts;
  }
  start(): Promise<StrategyParams> {
    return this.inner.start();
  }
  async step(bar: SessionBar, events: SessionOrderEvent[], warm: boolean): Promise<SessionStepResult> {
    const sent = performance.now();
    const result = await this.inner.step(bar, events, warm);
    this.steps.push({ sent, answered: performance.now() });
    return result;
  }
  stop(): Promise<void> {
    return this.inner.stop();
  }
}

/** Latency figures: the whole path and its hops (ms). */
interface LatencyRun {
  samples: number[];
  trades: number;
  /** Closing trade → its step on its way to the worker (bar clock, bar and events as JSON). */
  toSend: number[];
  /** Step out → answer back (IPC both ways, the strategy's step in its isolate). */
  roundTrip: number[];
  /** Answer back → order intent past the risk gate (order layer). */
  toGate: number[];
  /** Echo round trip to an idle worker once per bar period: the IPC floor. */
  echo: number[];
  /** Echo round trip to a bare child process (no project code) once a second, during the run. */
  bare: number[];
}

/**
 * 10 strategies, 10k trades/s paced in real time, 1s bars: closing trade → order accepted.
 * `sessionChannel`: the sessions' steps over the session channel to the workers' session threads
 * (the default), or (false) over IPC to their main threads and isolated-vm's threads.
 */
async function latency(seconds: number, sessionChannel: boolean): Promise<LatencyRun> {
  const pool = new WorkerPool({ size: Math.max(1, Math.min(2, os.availableParallelism())), entry: defaultWorkerEntry(), execArgv: WORKER_EXEC_ARGV, log: silentLogger(), sessionChannel });
  await pool.warmUp();
  const compiled = await compileStrategy(STRATEGY, "bench.ts", {});
  const engine = new TradingEngine({ store: new MemoryTradingStore(), limits: REPLAY_RISK_LIMITS, fillModel: "next-trade", pricing: new Pricing({ commission: 0.001, slippageBps: 0 }) });
  const runners: PaperRunner[] = [];
  const hosts: TimedHost[] = [];
  for (let i = 0; i < 10; i++) {
    const ledger = `s${i}`;
    engine.openLedger("kraken", ledger, "BTC/USD", 1_000_000);
    const host = new TimedHost(new WorkerSessionHost(pool, { id: ledger, strategy: compiled, symbol: "BTC/USD", cash: 1_000_000, params: {}, limits: resolveLimits() }));
    const r = new PaperRunner({ ledger, venue: "kraken", symbol: "BTC/USD", tfMs: 1000, engine, host });
    await r.start();
    runners.push(r);
    hosts.push(host);
  }
  for (const h of hosts) h.steps.length = 0;
  let arrival = 0;
  const run: LatencyRun = { samples: [], trades: 0, toSend: [], roundTrip: [], toGate: [], echo: [], bare: [] };
  const bare = new BareEcho(1000);
  const accepted = new Map<string, number>();
  engine.subscribe((u) => {
    if (u.fill === null && u.order.status === "accepted" && u.order.parentId === null) {
      run.samples.push(performance.now() - arrival);
      accepted.set(u.order.ledger, performance.now());
    }
  });
  let price = 50_000;
  const end = Date.now() + seconds * 1000;
  while (Date.now() < end) {
    const batchStart = performance.now();
    for (let k = 0; k < 100; k++) {
      price += (Math.random() - 0.5) * 5;
      const ts = Date.now();
      const t: BarClockTrade = { ts, price, size: 0.01, receiveTime: ts, priceText: price.toFixed(1), sizeText: "0.01" };
      arrival = performance.now();
      accepted.clear();
      const closing = hosts.map((h) => h.steps.length);
      await Promise.all(runners.map((r) => r.barOn(t)));
      engine.onTrade("kraken", "BTC/USD", t);
      run.trades++;
      hosts.forEach((h, i) => {
        const s = h.steps[closing[i]!];
        if (!s) return;
        run.toSend.push(s.sent - arrival);
        run.roundTrip.push(s.answered - s.sent);
        const gate = accepted.get(`s${i}`);
        if (gate !== undefined) run.toGate.push(gate - s.answered);
      });
    }
    bare.maybePing();
    const left = 10 - (performance.now() - batchStart);
    if (left > 0) await new Promise((r) => setTimeout(r, left));
  }
  bare.stop();
  run.bare.push(...bare.samples);
  for (const r of runners) await r.stop();
  for (let i = 0; i < 10; i++) {
    await new Promise((r) => setTimeout(r, 1000));
    const t0 = performance.now();
    await pool.call("echo", { value: i });
    run.echo.push(performance.now() - t0);
  }
  await pool.shutdown();
  return run;
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
      { file: strategyFile, source: STRATEGY, venue: "kraken", symbol: "BTC/USD", tfMs: 60_000, fillModel: "next-trade", cash: 1_000_000, commission: 0.001, makerFee: 0.001, takerFee: 0.001, givenFill: {}, slippageBps: 0, latencyMs: 0, params: undefined, replay: file },
      () => undefined,
      false,
    );
    return { ms: performance.now() - t0, trades, bars: json.bars, orders: json.orders.length, mb: fs.statSync(file).size / 1e6 };
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

/** Runs `rounds` rounds of each way, interleaved (the machine's noise falls on both), and pools them. */
async function latencyAB(seconds: number, rounds: number): Promise<{ channel: LatencyRun; ipc: LatencyRun }> {
  const empty = (): LatencyRun => ({ samples: [], trades: 0, toSend: [], roundTrip: [], toGate: [], echo: [], bare: [] });
  const out = { channel: empty(), ipc: empty() };
  for (let r = 0; r < rounds; r++) {
    for (const way of r % 2 === 0 ? (["channel", "ipc"] as const) : (["ipc", "channel"] as const)) {
      const run = await latency(seconds, way === "channel");
      const into = out[way];
      into.trades += run.trades;
      for (const k of ["samples", "toSend", "roundTrip", "toGate", "echo", "bare"] as const) into[k].push(...run[k]);
    }
  }
  return out;
}

/** The latency rows of one way (`label`), with its p99 against the old way's. */
function latencyRows(lat: LatencyRun, seconds: number, label: string, peer: LatencyRun | null): [string, string][] {
  const p5099 = (xs: number[]) => `${percentile(xs, 50).toFixed(3)} / ${percentile(xs, 99).toFixed(3)} ms`;
  const ratio = (p: number) => (peer ? ` (${(percentile(lat.samples, p) / percentile(peer.samples, p)).toFixed(2)}x the IPC way)` : "");
  return [
    [`tick-to-order p50, ${label} (10 strategies, ${Math.round(lat.trades / seconds)} trades/s, 1s bars, ${lat.samples.length} orders)`, `${percentile(lat.samples, 50).toFixed(3)} ms${ratio(50)}`],
    [`tick-to-order p99, ${label}`, `${percentile(lat.samples, 99).toFixed(3)} ms${ratio(99)}`],
    [`tick-to-order max, ${label}`, `${Math.max(...lat.samples).toFixed(3)} ms`],
    ["  hop p50/p99: closing trade → step sent to its worker (bar clock, JSON)", p5099(lat.toSend)],
    ["  hop p50/p99: step round trip (to the worker, the isolate's step, back)", p5099(lat.roundTrip)],
    ["  hop p50/p99: answer → order past the risk gate", p5099(lat.toGate)],
    ["  floor p50/p99: echo round trip over IPC to an idle worker (1/s)", p5099(lat.echo)],
    ["  machine floor p50/p99: bare Node IPC echo to a sleeping process, no project code (1/s, same load)", p5099(lat.bare)],
  ];
}

async function main(): Promise<void> {
  const seconds = 10;
  const rounds = 2;
  const { channel, ipc } = await latencyAB(seconds, rounds);
  const rows: [string, string][] = [
    ...latencyRows(channel, seconds * rounds, "session channel (steps on the session thread)", ipc),
    ...latencyRows(ipc, seconds * rounds, "IPC (steps on isolated-vm's threads)", null),
    ...(await cpuRows(STRATEGY)),
  ];
  if (!process.argv.includes("--latency-only")) {
    const replay = await replaySpeed(1_000_000);
    rows.push(
      [`replay: ${replay.trades} trades (${replay.mb.toFixed(0)} MB), ${replay.bars} 1m bars, ${replay.orders} orders`, `${replay.ms.toFixed(0)} ms`],
      ["replay rate", `${Math.round(replay.trades / (replay.ms / 1000)).toLocaleString("en-US")} trades/s`],
      ...(await liveRows()),
    );
  }
  const w = Math.max(...rows.map((r) => r[0].length));
  console.log(`${"case".padEnd(w)}  result`);
  for (const [name, v] of rows) console.log(`${name.padEnd(w)}  ${v}`);
}

await main();
