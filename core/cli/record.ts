/**
 * `workstation record`: connects to one venue (or to a built-in simulator) with the same feed code
 * core uses, and writes every received frame and needed REST answer in the recording format that
 * `workstation replay` reads, until SIGINT/SIGTERM, `--duration` or `--frames`. `--events FILE`
 * also writes the normalized events as live emitted them, so a replay can be compared line by line.
 */
import fs from "node:fs";
import type { VenueId } from "../../common/market/events.ts";
import { ANY_SYMBOL, MarketBus } from "../feeds/bus.ts";
import { loadFeedsConfig } from "../feeds/config.ts";
import { VenueFeed, type VenueEndpoints } from "../feeds/feed.ts";
import { PROTOCOLS } from "../feeds/protocols.ts";
import { resolveVenues } from "../feeds/venue-list.ts";
import { FileRecorder } from "../feeds/recorder.ts";
import { Simulator } from "../simulator/server.ts";
import { isVenueId } from "../venues/index.ts";
import { intOption, UsageError, type CliCommand, type ParsedArgs } from "./command.ts";

const SYMBOL = /^[A-Z0-9]{1,20}\/[A-Z0-9]{1,20}$/;

function str(values: ParsedArgs["values"], name: string): string | undefined {
  const v = values[name];
  return typeof v === "string" ? v : undefined;
}

function parseTarget(args: ParsedArgs): { venue: VenueId; symbols: string[]; out: string } {
  const venue = str(args.values, "venue");
  if (!venue || !isVenueId(venue)) throw new UsageError("--venue must be kraken, coinbase or binance");
  const symbols = (str(args.values, "symbols") ?? "").split(",").map((s) => s.trim().toUpperCase()).filter(Boolean);
  if (symbols.length === 0) throw new UsageError("--symbols needs at least one BASE/QUOTE symbol");
  const bad = symbols.find((s) => !SYMBOL.test(s));
  if (bad) throw new UsageError(`--symbols: "${bad}" is not BASE/QUOTE`);
  if (symbols.length > PROTOCOLS[venue].limits.maxSymbolsPerConnection) throw new UsageError(`--symbols: at most ${PROTOCOLS[venue].limits.maxSymbolsPerConnection} for ${venue} (one connection per recording)`);
  const out = str(args.values, "out");
  if (!out) throw new UsageError("--out FILE.jsonl is required");
  return { venue, symbols, out };
}

async function endpointsFor(args: ParsedArgs, venue: VenueId, env: NodeJS.ProcessEnv): Promise<{ endpoints: VenueEndpoints; sim: Simulator | null }> {
  if (args.values.simulated === true) {
    const sim = await Simulator.start({ venues: [venue], rate: intOption(args.values, "rate", 200, 1, 100_000) });
    return { endpoints: sim.urls(venue), sim };
  }
  const ws = str(args.values, "ws");
  const rest = str(args.values, "rest");
  if (ws || rest) {
    if (!ws || !rest) throw new UsageError("--ws and --rest go together");
    return { endpoints: { ws, rest: rest.replace(/\/+$/, "") }, sim: null };
  }
  const resolved = resolveVenues(loadFeedsConfig(args.dataDir, env, (line) => process.stderr.write(`${line}\n`)), []).find((v) => v.id === venue)!;
  return { endpoints: { ws: resolved.ws, rest: resolved.rest }, sim: null };
}

function waitForStop(duration: number, frames: number, feed: VenueFeed): Promise<string> {
  return new Promise((resolve) => {
    const done = (why: string) => {
      clearInterval(poll);
      clearTimeout(timer);
      process.off("SIGINT", onSig);
      process.off("SIGTERM", onSig);
      resolve(why);
    };
    const onSig = () => done("signal");
    process.once("SIGINT", onSig);
    process.once("SIGTERM", onSig);
    const timer = duration > 0 ? setTimeout(() => done("duration"), duration * 1000) : undefined;
    const poll = setInterval(() => frames > 0 && feed.status().messages >= frames && done("frames"), 20);
  });
}

/** The record command. */
export const recordCommand: CliCommand = {
  name: "record",
  usage: "--venue kraken|coinbase|binance --symbols BTC/USD,ETH/USD --out FILE.jsonl",
  help: [
    "--venue NAME       kraken, coinbase or binance",
    "--symbols LIST     comma-separated BASE/QUOTE symbols",
    "--out FILE         recording to append to (one JSON object per line)",
    "--ws URL --rest URL  venue URLs (default: feeds.json / WORKSTATION_FEEDS, else the venue's public endpoints)",
    "--simulated        record from a built-in loopback simulator of the venue (--rate N steps/s)",
    "--duration S       stop after S seconds (default: until SIGINT/SIGTERM)",
    "--frames N         stop after N frames",
    "--events FILE      also write the normalized events as live emitted them (NDJSON)",
  ],
  options: {
    venue: { type: "string" },
    symbols: { type: "string" },
    out: { type: "string" },
    ws: { type: "string" },
    rest: { type: "string" },
    simulated: { type: "boolean" },
    rate: { type: "string" },
    duration: { type: "string" },
    frames: { type: "string" },
    events: { type: "string" },
  },
  async run(args, io) {
    const { venue, symbols, out } = parseTarget(args);
    const duration = intOption(args.values, "duration", 0, 0, 365 * 86_400);
    const frames = intOption(args.values, "frames", 0, 0, 1_000_000_000);
    const { endpoints, sim } = await endpointsFor(args, venue, io.env);
    const bus = new MarketBus();
    const recorder = new FileRecorder(out);
    bus.onRaw(venue, (item) => recorder.write(item));
    const eventsFile = str(args.values, "events");
    const events = eventsFile ? fs.createWriteStream(eventsFile, { flags: "w" }) : null;
    if (events) bus.onEvent(venue, ANY_SYMBOL, (e) => events.write(`${JSON.stringify(e)}\n`));
    const feed = new VenueFeed({ id: venue, protocol: PROTOCOLS[venue], endpoints, bus, onHole: (_s, from, to) => io.err(`reconnected after ${to - from} ms`) });
    for (const s of symbols) feed.add(s);
    io.err(`recording ${venue} ${symbols.join(",")} to ${out}`);
    const why = await waitForStop(duration, frames, feed);
    const status = feed.status();
    feed.stop();
    await recorder.close();
    if (events) await new Promise<void>((resolve) => events.end(() => resolve()));
    await sim?.close();
    io.out(JSON.stringify({ out, venue, symbols, stoppedBy: why, lines: recorder.stats.lines, frames: status.messages, trades: status.trades, gaps: status.gaps, checksumMismatches: status.checksumMismatches, reconnects: status.reconnects }));
    return 0;
  },
};
