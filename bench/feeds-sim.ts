/**
 * The benchmark's simulator process: a {@link Simulator} driven over IPC. `burst` renders N market
 * steps for every client connected to one venue and sends the frames as fast as the sockets take
 * them; `paced` renders frames for a duration and sends them, in market order across that venue's
 * connections, at a fixed total message rate, reporting each frame's send time (µs, monotonic clock)
 * per connection path so the parent can compute wire→subscriber latency. Between paced frames the
 * sender sleeps rather than spins (see `sendAll`).
 */
import type { VenueId } from "../common/market/events.ts";
import { Simulator } from "../core/simulator/server.ts";
import type { SimConnection } from "../core/simulator/venue.ts";

type Command =
  | { cmd: "burst"; venue: VenueId; steps: number; tradeShare: number }
  | { cmd: "paced"; venue: VenueId; msgsPerSec: number; seconds: number; tradeShare: number }
  | { cmd: "quit" };

const nowUs = (): number => Number(process.hrtime.bigint() / 1000n);
const sim = await Simulator.start({ rate: 0, heartbeatMs: 600_000, symbols: { kraken: ["BTC/USD"], coinbase: ["BTC/USD"], binance: ["BTC/USDT"] } });

/** Renders market steps for every open connection of `venue`, in order, until `enough(frames)`. */
function render(venue: VenueId, tradeShare: number, enough: (frames: number) => boolean): [SimConnection, string][] {
  const sessions = [...(sim.venues.get(venue)?.sessions ?? [])];
  const out: [SimConnection, string][] = [];
  const saved = sessions.map((s) => s.conn.send);
  for (const s of sessions) s.conn.send = (text) => out.push([s.conn, text]);
  sim.tradeShare = tradeShare;
  while (!enough(out.length)) sim.step(1, venue);
  sessions.forEach((s, i) => (s.conn.send = saved[i]!));
  return out;
}

/** Blocks this thread for `ms` (fractions allowed) without spinning: the sender sleeps between frames. */
const sleeper = new Int32Array(new SharedArrayBuffer(4));
const sleep = (ms: number): void => void Atomics.wait(sleeper, 0, 0, ms);

/**
 * Sends frames in order, `perMs` per millisecond (0 = as fast as the sockets take them): runs of
 * frames for one connection go out as one socket write; a full socket buffer waits for the next turn.
 * Paced sending sleeps until the next frame is due instead of spinning on the event loop, so the
 * simulator does not take a core from the client under test on a small machine; every millisecond
 * (and whenever a socket is full) it yields to the event loop so sockets keep draining.
 */
async function sendAll(frames: [SimConnection, string][], times: Float64Array | null, perMs: number): Promise<void> {
  const start = performance.now();
  let yielded = start;
  for (let i = 0; i < frames.length; ) {
    const now = performance.now();
    const due = perMs > 0 ? Math.min(frames.length, Math.floor((now - start) * perMs) + 1) : frames.length;
    let blocked = false;
    while (i < due && !blocked) {
      const conn = frames[i]![0];
      const run: string[] = [];
      const at = nowUs();
      for (; i < due && run.length < 512 && frames[i]![0] === conn; i++) {
        if (times) times[i] = at;
        run.push(frames[i]![1]);
      }
      blocked = !conn.sendMany(run);
    }
    if (blocked || perMs === 0 || performance.now() - yielded >= 1) {
      await new Promise((resolve) => setImmediate(resolve));
      yielded = performance.now();
    } else if (i < frames.length) sleep(Math.max(0, start + i / perMs - performance.now()));
  }
}

process.on("message", (raw) => {
  const msg = raw as Command;
  if (msg.cmd === "quit") {
    void sim.close().then(() => process.disconnect());
    return;
  }
  void (async () => {
    if (msg.cmd === "burst") {
      let steps = 0;
      const frames = render(msg.venue, msg.tradeShare, () => steps++ >= msg.steps);
      await sendAll(frames, null, 0);
      process.send?.({ cmd: "done", sent: frames.length });
      return;
    }
    const frames = render(msg.venue, msg.tradeShare, (n) => n >= msg.msgsPerSec * msg.seconds);
    const times = new Float64Array(frames.length);
    await sendAll(frames, times, msg.msgsPerSec / 1000);
    const byPath: Record<string, number[]> = {};
    frames.forEach(([conn], i) => (byPath[conn.path] ??= []).push(times[i]!));
    const perPath = Object.fromEntries(Object.entries(byPath).map(([p, t]) => [p, Float64Array.from(t)]));
    process.send?.({ cmd: "done", sent: frames.length, times: perPath });
  })();
});
process.send?.({ cmd: "ready", urls: { kraken: sim.urls("kraken"), coinbase: sim.urls("coinbase"), binance: sim.urls("binance") } });
