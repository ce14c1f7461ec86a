/**
 * The workstation side of the feeds benchmark: one {@link VenueFeed} (connection + venue parser +
 * book sync) publishing to the bus, with a no-op subscriber and the file recorder attached. Besides
 * the wire→subscriber latency it times each frame from its arrival in core (the raw item, before
 * the recorder and the parser) to its subscriber: the latency our pipeline itself adds. CPU per
 * trade is measured twice: with the recorder (the table's figure) and with it detached (the work
 * ccxt does, which records nothing).
 */
import path from "node:path";
import { ANY_SYMBOL, MarketBus } from "../core/feeds/bus.ts";
import { VenueFeed } from "../core/feeds/feed.ts";
import { PROTOCOLS } from "../core/feeds/protocols.ts";
import { FileRecorder } from "../core/feeds/recorder.ts";
import { cpuSince, LatencyProbe, measureCpuPerTrade, nowUs, type Figures, type RunContext } from "./feeds-common.ts";

/** Measures our pipeline against the simulator. */
export async function runOurs(ctx: RunContext): Promise<Figures> {
  const bus = new MarketBus();
  const recorder = new FileRecorder(path.join(ctx.dir, `${ctx.venue}.jsonl`));
  let frames = 0;
  let trades = 0;
  let synced = false;
  let waiter: { target: number; resolve: () => void } | null = null;
  let probe: LatencyProbe | null = null;
  let base = 0;
  let firstAt = 0;
  let fresh = false;
  const wsPath = new URL(ctx.ws).pathname;
  let arrivedAt = 0;
  const inCore: number[] = [];
  let recording = true;
  bus.onRaw(ctx.venue, (item) => {
    if (probe) arrivedAt = nowUs();
    if (recording) recorder.write(item);
    if (!("frame" in item)) return;
    frames++;
    fresh = true;
    if (firstAt === 0) firstAt = nowUs();
    if (waiter && frames >= waiter.target) {
      const w = waiter;
      waiter = null;
      queueMicrotask(w.resolve);
    }
  });
  bus.onEvent(ctx.venue, ANY_SYMBOL, (e) => {
    if (e.type === "trade") trades++;
    else if (e.type === "book_snapshot") synced = true;
    if (probe && fresh && frames > base) {
      probe.hit(wsPath, frames - base - 1);
      inCore.push(nowUs() - arrivedAt);
    }
    fresh = false;
  });
  const untilFrames = (target: number) => new Promise<void>((resolve) => (frames >= target ? resolve() : (waiter = { target, resolve })));
  const feed = new VenueFeed({ id: ctx.venue, protocol: PROTOCOLS[ctx.venue], endpoints: { ws: ctx.ws, rest: ctx.rest }, bus, ticker: false });
  feed.add(ctx.symbol);
  while (!synced) await untilFrames(frames + (await ctx.sim.burst(ctx.venue, 2000, 0.3)));
  // Warm-up (JIT, buffers) on both sides before anything is measured.
  for (let i = 0; i < 3; i++) await untilFrames(frames + (await ctx.sim.burst(ctx.venue, 10_000, 0.3)));

  const start = frames;
  firstAt = 0;
  const burstCpu = process.cpuUsage();
  const sent = await ctx.sim.burst(ctx.venue, ctx.burstSteps, 0.3);
  await untilFrames(start + sent);
  const elapsedUs = nowUs() - firstAt;
  const msgsPerSec = (sent * 1e6) / elapsedUs;
  const busy = cpuSince(burstCpu) / elapsedUs;

  const cpuProbe = { sim: ctx.sim, venue: ctx.venue, frames: () => frames, trades: () => trades, untilFrames };
  const cpu = await measureCpuPerTrade(cpuProbe);
  recording = false;
  const noRecorder = await measureCpuPerTrade(cpuProbe);
  recording = true;

  base = frames;
  probe = new LatencyProbe();
  const paced = await ctx.sim.paced(ctx.venue, 20_000, ctx.pacedSeconds);
  await untilFrames(base + paced.sent);
  const { p50, p99 } = probe.result(paced.times);
  feed.stop();
  await recorder.close();
  inCore.sort((a, b) => a - b);
  const at = (q: number): number => inCore[Math.min(inCore.length - 1, Math.floor(q * inCore.length))] ?? NaN;
  return { msgsPerSec, busy, p50us: p50, p99us: p99, ...cpu, noRecorder, inCore: { p50us: at(0.5), p99us: at(0.99) } };
}
