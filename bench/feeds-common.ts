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
  cpuPerTradeUs: number;
}

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
