/**
 * The latency floor of the feeds benchmark: a bare `ws` client that subscribes like our feed does
 * (same URL, same subscribe messages, same socket options) and does nothing with a frame but count
 * it and timestamp it. It runs the same paced 20k msgs/s sequence against the same simulator
 * process and is measured by the same probe, so its p50/p99 are what the machine itself (loopback,
 * scheduler, vCPU wake-up after idle) adds before any parsing: the target p99 < 1 ms is read
 * against this row.
 */
import WebSocket from "ws";
import { PROTOCOLS } from "../core/feeds/protocols.ts";
import { LatencyProbe, type RunContext } from "./feeds-common.ts";

/** The floor's figures: latency only. */
export interface FloorFigures {
  p50us: number;
  p99us: number;
}

/** Measures the bare client against the simulator. */
export async function runFloor(ctx: RunContext): Promise<FloorFigures> {
  const protocol = PROTOCOLS[ctx.venue];
  const wsPath = new URL(ctx.ws).pathname;
  let frames = 0;
  let base = 0;
  let probe: LatencyProbe | null = null;
  let waiter: { target: number; resolve: () => void } | null = null;
  const socket = new WebSocket(ctx.ws, { perMessageDeflate: false, skipUTF8Validation: true });
  socket.on("message", () => {
    if (probe) probe.hit(wsPath, frames - base);
    frames++;
    if (waiter && frames >= waiter.target) {
      const w = waiter;
      waiter = null;
      w.resolve();
    }
  });
  const untilFrames = (target: number) => new Promise<void>((resolve) => (frames >= target ? resolve() : (waiter = { target, resolve })));
  await new Promise<void>((resolve, reject) => socket.once("open", () => resolve()).once("error", reject));
  let id = 1;
  for (const m of protocol.subscribe([ctx.symbol], () => id++, false)) socket.send(m);
  // The subscription replies: the simulator now sends this connection what it sends our feed.
  await untilFrames(1);
  for (let i = 0; i < 3; i++) await untilFrames(frames + (await ctx.sim.burst(ctx.venue, 10_000, 0.3)));
  base = frames;
  probe = new LatencyProbe();
  const paced = await ctx.sim.paced(ctx.venue, 20_000, ctx.pacedSeconds);
  await untilFrames(base + paced.sent);
  const { p50, p99 } = probe.result(paced.times);
  socket.terminate();
  return { p50us: p50, p99us: p99 };
}
