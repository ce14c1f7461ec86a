/**
 * Live-feed benchmark (figures, not a test): the simulator runs in its own process
 * (`bench/feeds-sim.ts`) and speaks each venue's real protocol over loopback; this process runs the
 * core pipeline — connection, venue parser, book sync, bus fan-out to one no-op subscriber and to
 * the recorder (a real file) — and, as the peer, ccxt pro (`watchTrades` + `watchOrderBook`, ws URLs
 * pointed at the simulator, markets preloaded with `setMarkets`).
 *
 * Per venue and client: sustained frames/s on one connection (a burst of pre-rendered frames sent
 * as fast as the socket takes them), wire→subscriber latency p50/p99 at 20k msgs/s (send time in
 * the simulator process to delivery to the subscriber here, same monotonic clock), and CPU per trade
 * (process CPU over a trades-only burst ÷ trades). One burst's CPU per trade moves by up to 2× run
 * to run on a shared machine, so each client runs {@link CPU_REPS} measured trades-only bursts (each
 * sized by a calibration burst to ~{@link CPU_BURST_US} µs of that client's CPU, a short pause
 * before each) and the table shows their median with the min–max; the ratio is of medians. The paced sender sleeps between frames rather than
 * spinning, so the simulator does not take a core from the client being measured. The header shows
 * the machine's load average: on a shared machine the latency tail mostly measures other work.
 * A "bare ws (floor)" row per venue (`bench/feeds-floor.ts`) runs the same paced sequence through a
 * client that only timestamps frames: the latency this machine adds before any of our code runs.
 * `bench/feeds-diag.ts` splits our latency into wire and pipeline parts and shows GC pauses.
 * Usage: `npm run bench:feeds [-- --quick] [--venue=kraken|coinbase|binance] [--no-peer]`.
 */
import { fork } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import type { VenueId } from "../common/market/events.ts";
import { CPU_BURST_US, CPU_REPS, SimChannel, type CpuFigures, type Figures, type RunContext } from "./feeds-common.ts";
import { runFloor, type FloorFigures } from "./feeds-floor.ts";
import { runOurs } from "./feeds-ours.ts";

const SYMBOLS: Record<VenueId, string> = { kraken: "BTC/USD", coinbase: "BTC/USD", binance: "BTC/USDT" };

async function main(): Promise<void> {
  const quick = process.argv.includes("--quick");
  const onlyVenue = process.argv.find((a) => a.startsWith("--venue="))?.slice(8);
  const skipPeer = process.argv.includes("--no-peer");
  const child = fork(path.join(import.meta.dirname, "feeds-sim.ts"), [], { execArgv: ["--no-node-snapshot"], serialization: "advanced", stdio: ["ignore", "inherit", "inherit", "ipc"] });
  const ready = await new Promise<{ urls: Record<VenueId, { ws: string; rest: string }> }>((resolve) => child.once("message", (m) => resolve(m as never)));
  const sim = new SimChannel(child);
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "bench-feeds-"));
  const rows: [VenueId, Figures, Figures | string, FloorFigures | string][] = [];
  const venues = (["kraken", "coinbase", "binance"] as const).filter((v) => !onlyVenue || v === onlyVenue);
  const context = (venue: VenueId): RunContext => ({ venue, symbol: SYMBOLS[venue], ...ready.urls[venue], dir, sim, burstSteps: quick ? 50_000 : 200_000, pacedSeconds: quick ? 2 : 5 });
  try {
    // Ours first, before ccxt is even loaded: its large heap would lengthen every GC pause here.
    for (const venue of venues) {
      const ours = await runOurs(context(venue));
      const floor = await runFloor(context(venue)).catch((err: Error) => `floor failed: ${err.message.slice(0, 60)}`);
      rows.push([venue, ours, "skipped (--no-peer)", floor]);
    }
    if (!skipPeer) {
      const { runCcxt } = await import("./feeds-ccxt.ts");
      for (const row of rows) {
        try {
          row[2] = await runCcxt(context(row[0]));
        } catch (err) {
          row[2] = `ccxt failed: ${(err as Error).message.slice(0, 60)}`;
        }
      }
    }
  } finally {
    child.send({ cmd: "quit" });
    fs.rmSync(dir, { recursive: true, force: true });
  }
  printTable(rows);
}

const FLOOR = "bare ws (floor)";
const NO_RECORDER = "  no recorder";
const IN_CORE = "  in core";

function fmt(n: number, digits = 0): string {
  return Number.isFinite(n) ? n.toLocaleString("en-US", { maximumFractionDigits: digits, minimumFractionDigits: digits }) : "n/a";
}

/** Ours as a share of the peer's CPU per trade: the medians' ratio, its min–max pairing our best burst with the peer's worst and the reverse. */
function cpuRatio(ours: CpuFigures, peer: CpuFigures): [string, string, string] {
  return [`${fmt(ours.cpuPerTradeUs / peer.cpuPerTradeUs, 2)} of ccxt`, `${fmt(ours.cpuPerTradeMin / peer.cpuPerTradeMax, 2)}–${fmt(ours.cpuPerTradeMax / peer.cpuPerTradeMin, 2)}`, ""];
}

function printTable(rows: [VenueId, Figures, Figures | string, FloorFigures | string][]): void {
  const load = os.loadavg().map((l) => l.toFixed(2)).join(" ");
  console.log(`\nfeeds benchmark — simulator in its own process, one connection per client, ${os.cpus().length} CPUs, Node ${process.version}, load average ${load} (1/5/15 min)\n`);
  const head = ["venue", "client", "msgs/s", "CPU busy", "p50 µs @20k", "p99 µs @20k", "CPU µs/trade", "min–max", "trades/burst"];
  const range = (f: CpuFigures) => `${fmt(f.cpuPerTradeMin, 2)}–${fmt(f.cpuPerTradeMax, 2)}`;
  const lines: string[][] = [head];
  for (const [venue, ours, peer, floor] of rows) {
    lines.push([venue, "workstation", fmt(ours.msgsPerSec), `${fmt(ours.busy * 100)}%`, fmt(ours.p50us), fmt(ours.p99us), fmt(ours.cpuPerTradeUs, 2), range(ours), fmt(ours.tradesPerBurst)]);
    if (ours.inCore) lines.push([venue, IN_CORE, "", "", fmt(ours.inCore.p50us), fmt(ours.inCore.p99us), ""]);
    if (ours.noRecorder) lines.push([venue, NO_RECORDER, "", "", "", "", fmt(ours.noRecorder.cpuPerTradeUs, 2), range(ours.noRecorder), fmt(ours.noRecorder.tradesPerBurst)]);
    if (typeof peer === "string") lines.push([venue, "ccxt", peer, "", "", "", ""]);
    else {
      lines.push([venue, "ccxt", fmt(peer.msgsPerSec), `${fmt(peer.busy * 100)}%`, fmt(peer.p50us), fmt(peer.p99us), fmt(peer.cpuPerTradeUs, 2), range(peer), fmt(peer.tradesPerBurst)]);
      lines.push([venue, "ratio", `${fmt(ours.msgsPerSec / peer.msgsPerSec, 2)}x`, "", `${fmt(peer.p50us / ours.p50us, 2)}x`, `${fmt(peer.p99us / ours.p99us, 2)}x`, ...cpuRatio(ours, peer)]);
      if (ours.noRecorder) lines.push([venue, `${NO_RECORDER} ratio`, "", "", "", "", ...cpuRatio(ours.noRecorder, peer)]);
    }
    if (typeof floor === "string") lines.push([venue, FLOOR, floor, "", "", "", ""]);
    else lines.push([venue, FLOOR, "", "", fmt(floor.p50us), fmt(floor.p99us), ""]);
  }
  const widths = head.map((_, i) => Math.max(...lines.map((l) => (l[i] ?? "").length)));
  for (const l of lines) console.log(l.map((c, i) => (i < 2 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join("  "));
  console.log("\nCPU busy: this process's CPU ÷ wall time during the burst; well below 100% means the simulator's sending was the limit.");
  console.log(`CPU µs/trade: process CPU ÷ trades over a trades-only burst, the MEDIAN of ${CPU_REPS} bursts per client (each sized by a calibration burst to ~${CPU_BURST_US / 1e6} s of that client's CPU, a pause before each); min–max: the spread of those ${CPU_REPS}.`);
  console.log("ratio: msgs/s ours÷ccxt (higher is better); latency ccxt÷ours (higher is better); CPU ours as a share of ccxt from the medians (target ≤ 0.33); its min–max pairs our best with ccxt's worst burst and the reverse.");
  console.log("targets: ≥ 150,000 msgs/s per connection; p99 < 1,000 µs at 20k msgs/s.");
  console.log(`${NO_RECORDER}: CPU per trade with the recorder detached, the work the peer does (ccxt records nothing); measured right after the bursts with it, the same way.`);
  console.log(`${IN_CORE}: the same paced run timed from a frame's arrival in core (before the recorder and the parser) to its subscriber: the latency the workstation itself adds.`);
  console.log(`${FLOOR}: a ws client that only timestamps each frame, same subscription, same paced run and probe: the machine's own wire latency (loopback, scheduler, vCPU wake-up); the p99 target is measured against this floor.`);
}

await main();
