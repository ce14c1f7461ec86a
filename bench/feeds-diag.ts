/**
 * Diagnosis of the feeds benchmark's latency tail (not part of the table): runs our pipeline
 * against the simulator process at 20k msgs/s and splits each frame's wire→subscriber time into
 * wire (send → frame handed to the feed) and pipeline (feed → subscriber), and reports GC pauses
 * and event-loop delay during the paced run. `--profile` first CPU-profiles four trades-only bursts
 * (written to `--profile-out`, default /tmp/feeds.cpuprofile) and prints CPU, system time and page
 * faults per frame; `--cpu` measures CPU per trade as the table does (median of measured trades-only
 * bursts, for A/B runs of a change without the profiler's overhead); `--keep=FILE` keeps the recording.
 * Usage: `node --no-node-snapshot bench/feeds-diag.ts [--venue=kraken] [--no-recorder] [--seconds=5] [--profile] [--cpu]`.
 */
import { fork } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { monitorEventLoopDelay, PerformanceObserver } from "node:perf_hooks";
import type { VenueId } from "../common/market/events.ts";
import { ANY_SYMBOL, MarketBus } from "../core/feeds/bus.ts";
import { VenueFeed } from "../core/feeds/feed.ts";
import { PROTOCOLS } from "../core/feeds/protocols.ts";
import { FileRecorder } from "../core/feeds/recorder.ts";
import { measureCpuPerTrade, nowUs, SimChannel } from "./feeds-common.ts";

const SYMBOLS: Record<VenueId, string> = { kraken: "BTC/USD", coinbase: "BTC/USD", binance: "BTC/USDT" };
const arg = (name: string) => process.argv.find((a) => a.startsWith(`--${name}=`))?.slice(name.length + 3);
const venue = (arg("venue") ?? "kraken") as VenueId;
const seconds = Number(arg("seconds") ?? 5);
const withRecorder = !process.argv.includes("--no-recorder");

const q = (d: number[], p: number) => d[Math.min(d.length - 1, Math.floor(p * d.length))] ?? NaN;
const summary = (name: string, d: number[]) => {
  d.sort((a, b) => a - b);
  console.log(`${name.padEnd(22)} n=${d.length} p50=${q(d, 0.5).toFixed(0)} p90=${q(d, 0.9).toFixed(0)} p99=${q(d, 0.99).toFixed(0)} p99.9=${q(d, 0.999).toFixed(0)} max=${q(d, 1).toFixed(0)} µs`);
};

const child = fork(path.join(import.meta.dirname, "feeds-sim.ts"), [], { execArgv: ["--no-node-snapshot"], serialization: "advanced", stdio: ["ignore", "inherit", "inherit", "ipc"] });
const ready = await new Promise<{ urls: Record<VenueId, { ws: string; rest: string }> }>((resolve) => child.once("message", (m) => resolve(m as never)));
const sim = new SimChannel(child);
const dir = fs.mkdtempSync(path.join(os.tmpdir(), "bench-feeds-diag-"));
const bus = new MarketBus();
const recorder = withRecorder ? new FileRecorder(path.join(dir, "r.jsonl")) : null;
let frames = 0;
let trades = 0;
let synced = false;
let arrive: number[] = [];
let deliver: number[] = [];
let armed = false;
let base = 0;
let fresh = false;
let waiter: { target: number; resolve: () => void } | null = null;
bus.onRaw(venue, (item) => {
  if (!("frame" in item)) return;
  if (armed) arrive[frames - base] = nowUs();
  recorder?.write(item);
  frames++;
  fresh = true;
  if (waiter && frames >= waiter.target) {
    const w = waiter;
    waiter = null;
    queueMicrotask(w.resolve);
  }
});
bus.onEvent(venue, ANY_SYMBOL, (e) => {
  if (e.type === "trade") trades++;
  else if (e.type === "book_snapshot") synced = true;
  if (armed && fresh) deliver[frames - base - 1] = nowUs();
  fresh = false;
});
const untilFrames = (target: number) => new Promise<void>((resolve) => (frames >= target ? resolve() : (waiter = { target, resolve })));
const feed = new VenueFeed({ id: venue, protocol: PROTOCOLS[venue], endpoints: ready.urls[venue], bus, ticker: false });
feed.add(SYMBOLS[venue]);
while (!synced) await untilFrames(frames + (await sim.burst(venue, 2000, 0.3)));
for (let i = 0; i < 3; i++) await untilFrames(frames + (await sim.burst(venue, 10_000, 0.3)));

if (process.argv.includes("--profile")) {
  const { Session } = await import("node:inspector/promises");
  const session = new Session();
  session.connect();
  await session.post("Profiler.enable");
  await session.post("Profiler.setSamplingInterval", { interval: 100 });
  await session.post("Profiler.start");
  if (process.argv.includes("--alloc")) await session.post("HeapProfiler.startSampling", { samplingInterval: 4096, includeObjectsCollectedByMinorGC: true, includeObjectsCollectedByMajorGC: true } as never);
  const cpu = process.cpuUsage();
  const faults = process.resourceUsage().minorPageFault;
  let n = 0;
  for (let i = 0; i < 4; i++) {
    const before = frames;
    const sent = await sim.burst(venue, 50_000, 1);
    n += sent;
    await untilFrames(before + sent);
  }
  const { profile } = await session.post("Profiler.stop");
  if (process.argv.includes("--alloc")) fs.writeFileSync("/tmp/feeds.heapprofile", JSON.stringify((await session.post("HeapProfiler.stopSampling")).profile));
  const used = process.cpuUsage(cpu);
  fs.writeFileSync(arg("profile-out") ?? "/tmp/feeds.cpuprofile", JSON.stringify(profile));
  console.log(`profiled trades-only bursts: ${n} frames, CPU ${((used.user + used.system) / n).toFixed(2)} µs/frame (system ${(used.system / n).toFixed(2)}), ${((process.resourceUsage().minorPageFault - faults) / n).toFixed(3)} page faults/frame`);
}
if (process.argv.includes("--cpu")) {
  const cpu = await measureCpuPerTrade({ sim, venue, frames: () => frames, trades: () => trades, untilFrames });
  console.log(`CPU per trade (median of trades-only bursts of ${cpu.tradesPerBurst} trades): ${cpu.cpuPerTradeUs.toFixed(2)} µs (${cpu.cpuPerTradeMin.toFixed(2)}–${cpu.cpuPerTradeMax.toFixed(2)}), recorder ${withRecorder ? "on" : "off"}, load ${os.loadavg()[0]!.toFixed(2)}`);
}
const gcs: { start: number; duration: number; kind: number }[] = [];
const obs = new PerformanceObserver((list) => {
  for (const e of list.getEntries()) gcs.push({ start: e.startTime, duration: e.duration, kind: (e as PerformanceEntry & { detail: { kind: number } }).detail.kind });
});
obs.observe({ entryTypes: ["gc"] });
const loop = monitorEventLoopDelay({ resolution: 1 });
loop.enable();
base = frames;
arrive = [];
deliver = [];
armed = true;
const cpu0 = process.cpuUsage();
const t0 = performance.now();
const paced = await sim.paced(venue, 20_000, seconds);
await untilFrames(base + paced.sent);
const wall = performance.now() - t0;
const cpu = process.cpuUsage(cpu0);
armed = false;
loop.disable();
obs.disconnect();
const sent = Object.values(paced.times)[0]!;
const total: number[] = [];
const wire: number[] = [];
const pipe: number[] = [];
for (let i = 0; i < sent.length; i++) {
  if (deliver[i] === undefined || arrive[i] === undefined) continue;
  total.push(deliver[i]! - sent[i]!);
  wire.push(arrive[i]! - sent[i]!);
  pipe.push(deliver[i]! - arrive[i]!);
}
console.log(`${venue}: ${paced.sent} frames in ${wall.toFixed(0)} ms, CPU ${(((cpu.user + cpu.system) / 1000 / wall) * 100).toFixed(0)}%, recorder ${withRecorder ? "on" : "off"}, load ${os.loadavg()[0]!.toFixed(2)}`);
summary("wire→subscriber", total);
summary("wire (send→feed)", wire);
summary("pipeline (feed→sub)", pipe);
const kinds: Record<number, string> = { 1: "scavenge", 2: "mark-compact", 4: "incremental", 8: "weakcb", 16: "minor-mc" };
const byKind = new Map<string, number[]>();
for (const g of gcs) (byKind.get(kinds[g.kind] ?? String(g.kind)) ?? byKind.set(kinds[g.kind] ?? String(g.kind), []).get(kinds[g.kind] ?? String(g.kind))!).push(g.duration * 1000);
for (const [k, d] of byKind) summary(`gc ${k}`, d);
console.log(`gc total ${(gcs.reduce((s, g) => s + g.duration, 0)).toFixed(1)} ms of ${wall.toFixed(0)} ms`);
console.log(`event-loop delay p50=${(loop.percentile(50) / 1000).toFixed(0)} p99=${(loop.percentile(99) / 1000).toFixed(0)} max=${(loop.max / 1000).toFixed(0)} µs`);
const late = total.map((d, i) => [d, i] as const).filter(([d]) => d > 1000).length;
console.log(`frames over 1 ms: ${late}`);
feed.stop();
await recorder?.close();
child.send({ cmd: "quit" });
if (arg("keep")) fs.copyFileSync(path.join(dir, "r.jsonl"), arg("keep")!);
fs.rmSync(dir, { recursive: true, force: true });
