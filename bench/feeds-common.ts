/** Shared pieces of the feeds benchmark: figures, the simulator channel, timing helpers. */
import type { ChildProcess } from "node:child_process";
import type { VenueId } from "../common/market/events.ts";

/** One client's figures. */
export interface Figures {
  msgsPerSec: number;
  /** Process CPU ÷ wall time during the burst: near 1 means this client was the bottleneck. */
  busy: number;
  p50us: number;
  p99us: number;
  /** CPU per trade: the median over {@link CPU_REPS} trades-only bursts, and the spread of those bursts. */
  cpuPerTradeUs: number;
  cpuPerTradeMin: number;
  cpuPerTradeMax: number;
  /** Trades in each measured burst (sized so a burst is ≥ {@link CPU_BURST_US} of this client's CPU). */
  tradesPerBurst: number;
  /** Our pipeline only (frame received by core → subscriber) during the paced run; not measured for ccxt. */
  inCore?: { p50us: number; p99us: number };
  /**
   * Ours only: CPU per trade with the recorder detached — the same work the peer does (ccxt records
   * nothing), measured the same way right after the bursts with the recorder.
   */
  noRecorder?: CpuFigures;
}

/** CPU per trade from {@link measureCpuPerTrade}. */
export type CpuFigures = Pick<Figures, "cpuPerTradeUs" | "cpuPerTradeMin" | "cpuPerTradeMax" | "tradesPerBurst">;

/** What a client runner gets. */
export interface RunContext {
  venue: VenueId;
  symbol: string;
  ws: string;
  rest: string;
  dir: string;
  sim: SimChannel;
  burstSteps: number;
  pacedSeconds: number;
}

/** Commands to the simulator process. */
export class SimChannel {
  private readonly child: ChildProcess;
  constructor(child: ChildProcess) {
    this.child = child;
  }
  /** Sends a burst of `steps` market steps; resolves with the frames sent per connection. */
  burst(venue: VenueId, steps: number, tradeShare: number): Promise<number> {
    return this.request({ cmd: "burst", venue, steps, tradeShare }).then((m) => m.sent);
  }
  /** Sends frames at `msgsPerSec` for `seconds`; resolves with each frame's send time (µs) per connection path. */
  paced(venue: VenueId, msgsPerSec: number, seconds: number): Promise<{ sent: number; times: Record<string, Float64Array> }> {
    return this.request({ cmd: "paced", venue, msgsPerSec, seconds, tradeShare: 0.3 }) as Promise<{ sent: number; times: Record<string, Float64Array> }>;
  }
  private request(msg: object): Promise<{ sent: number; times?: Record<string, Float64Array> }> {
    return new Promise((resolve) => {
      this.child.once("message", (m) => resolve(m as { sent: number; times?: Record<string, Float64Array> }));
      this.child.send(msg);
    });
  }
}

/**
 * Microseconds on the system's monotonic clock (CLOCK_MONOTONIC on Linux), which every process on
 * the machine shares — unlike `performance.timeOrigin`, whose per-process offset can be off by
 * up to a millisecond.
 */
export const nowUs = (): number => Number(process.hrtime.bigint() / 1000n);

/** Receive times per connection path and frame index, for wire→subscriber latency. */
export class LatencyProbe {
  private readonly recv = new Map<string, number[]>();

  /** Frame `index` (0-based since arming) of connection `path` reached its subscriber now. */
  hit(path: string, index: number): void {
    let list = this.recv.get(path);
    if (!list) this.recv.set(path, (list = []));
    if (list[index] === undefined) list[index] = nowUs();
  }

  /** p50 and p99 of receive − send over frames both sides saw. */
  result(sent: Record<string, Float64Array>): { p50: number; p99: number } {
    const d: number[] = [];
    for (const [path, times] of Object.entries(sent)) {
      const recv = this.recv.get(path) ?? [];
      for (let i = 0; i < times.length; i++) if (recv[i] !== undefined) d.push(recv[i]! - times[i]!);
    }
    d.sort((a, b) => a - b);
    const at = (q: number) => d[Math.min(d.length - 1, Math.floor(q * d.length))] ?? NaN;
    return { p50: at(0.5), p99: at(0.99) };
  }
}

/** CPU microseconds used by this process since `from`. */
export function cpuSince(from: NodeJS.CpuUsage): number {
  const d = process.cpuUsage(from);
  return d.user + d.system;
}

/** Measured trades-only bursts per client; the reported CPU per trade is their median. */
export const CPU_REPS = 5;
/** CPU a measured burst is sized to (µs): at least a second of work for every client. */
export const CPU_BURST_US = 1_200_000;
/** Pause between measured bursts (ms), outside the measurement: lets deferred work (writes, GC) finish. */
const SETTLE_MS = 250;

/** What {@link measureCpuPerTrade} needs from a client runner. */
export interface CpuProbe {
  sim: SimChannel;
  venue: VenueId;
  /** Frames and trades the client has delivered to its subscribers so far. */
  frames(): number;
  trades(): number;
  /** Resolves once the client has handled `target` frames in total. */
  untilFrames(target: number): Promise<void>;
}

/** CPU per trade of a sample: process CPU from the burst's request until every frame was handled. */
async function sample(p: CpuProbe, steps: number): Promise<{ us: number; trades: number }> {
  const frames0 = p.frames();
  const trades0 = p.trades();
  const cpu = process.cpuUsage();
  const sent = await p.sim.burst(p.venue, steps, 1);
  await p.untilFrames(frames0 + sent);
  await new Promise((r) => setImmediate(r));
  const trades = p.trades() - trades0;
  return { us: cpuSince(cpu) / Math.max(1, trades), trades };
}

/**
 * CPU per trade, the same way for every client: one calibration burst sizes the measured bursts to
 * ~{@link CPU_BURST_US} of this client's CPU (a trades-only step is one trade), then
 * {@link CPU_REPS} bursts, each measured alone with a {@link SETTLE_MS} pause before it; returns the
 * median and the min/max of the per-burst figures. One burst's figure moves by up to 2× on a shared
 * machine; the median of several does not.
 */
export async function measureCpuPerTrade(p: CpuProbe): Promise<CpuFigures> {
  const calibration = await sample(p, 20_000);
  const steps = Math.min(1_000_000, Math.max(10_000, Math.round(CPU_BURST_US / calibration.us)));
  const figures: number[] = [];
  let trades = 0;
  for (let i = 0; i < CPU_REPS; i++) {
    await new Promise((r) => setTimeout(r, SETTLE_MS));
    const s = await sample(p, steps);
    figures.push(s.us);
    trades += s.trades;
  }
  figures.sort((a, b) => a - b);
  return { cpuPerTradeUs: figures[figures.length >> 1]!, cpuPerTradeMin: figures[0]!, cpuPerTradeMax: figures[figures.length - 1]!, tradesPerBurst: Math.round(trades / CPU_REPS) };
}
