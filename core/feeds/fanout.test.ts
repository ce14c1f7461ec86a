import { fork } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { MarketEvent, TradeEvent, VenueId } from "../../common/market/events.ts";
import { recordToTrade, type TradeRecord } from "../../common/market/trade-record.ts";
import { Simulator } from "../simulator/server.ts";
import { replayFile } from "../venues/replay.ts";
import { ANY_SYMBOL, MarketBus } from "./bus.ts";
import { systemClock } from "./clock.ts";
import { VenueFeed } from "./feed.ts";
import { InstrumentRegistry } from "./instruments-registry.ts";
import { PROTOCOLS } from "./protocols.ts";
import { FileRecorder } from "./recorder.ts";
import { Recorder } from "./test-util.ts";
import { TradeCoalescer } from "./ui-stream.ts";
import { WorkerTradeChannel } from "./worker-channel.ts";

let sim: Simulator;
let dir: string;

beforeAll(async () => {
  sim = await Simulator.start({ rate: 2000, tradeShare: 0.5 });
  dir = fs.mkdtempSync(path.join(os.tmpdir(), "feeds-fanout-"));
});
afterAll(async () => {
  await sim.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

const SYMBOLS: Record<VenueId, string[]> = { kraken: ["BTC/USD", "ETH/USD"], coinbase: ["BTC/USD", "ETH/USD"], binance: ["BTC/USDT", "ETH/USDT"] };

function liveFeed(venue: VenueId) {
  const bus = new MarketBus();
  const events = new Recorder<MarketEvent>();
  bus.onEvent(venue, ANY_SYMBOL, events.push);
  const feed = new VenueFeed({ id: venue, protocol: PROTOCOLS[venue], endpoints: sim.urls(venue), bus });
  return { bus, feed, events };
}

describe.each(["kraken", "coinbase", "binance"] as const)("%s recording", (venue) => {
  it("replays to exactly the events live emitted", async () => {
    const { bus, feed, events } = liveFeed(venue);
    const file = path.join(dir, `${venue}.jsonl`);
    const recorder = new FileRecorder(file);
    bus.onRaw(venue, (item) => recorder.write(item));
    for (const s of SYMBOLS[venue]) feed.add(s);
    await events.until((v) => v.filter((e) => e.type === "trade").length >= 200 && v.filter((e) => e.type === "book_snapshot").length >= 2);
    feed.stop();
    await recorder.close();
    const replayed: MarketEvent[] = [];
    await replayFile(file, PROTOCOLS[venue].createHandler(), { event: (e) => replayed.push(e), remark: () => undefined });
    expect(replayed.length).toBe(events.values.length);
    expect(replayed).toEqual(events.values);
    expect(recorder.stats.lines).toBe(fs.readFileSync(file, "utf8").trim().split("\n").length);
  });
});

describe("fan-out", () => {
  it("a slow UI subscriber loses updates (counted) while the recorder loses nothing", async () => {
    const { bus, feed, events } = liveFeed("kraken");
    const file = path.join(dir, "slow.jsonl");
    const recorder = new FileRecorder(file);
    bus.onRaw("kraken", (item) => recorder.write(item));
    let ready = false;
    const delivered = new Recorder<{ items: TradeEvent[]; dropped: number }>();
    const ui = new TradeCoalescer<TradeEvent>({ clock: systemClock, frameMs: 5, maxPending: 20, ready: () => ready, deliver: (u) => delivered.push(u) });
    let total = 0;
    bus.onEvent("kraken", ANY_SYMBOL, (e) => {
      if (e.type !== "trade") return;
      total++;
      ui.push(e);
    });
    feed.add("BTC/USD");
    feed.add("ETH/USD");
    await events.until((v) => v.filter((e) => e.type === "trade").length >= 300);
    ready = true;
    const frames = feed.status().messages;
    feed.stop();
    await delivered.untilCount(1);
    ui.close();
    await recorder.close();
    const got = delivered.values.reduce((n, d) => n + d.items.length, 0);
    const dropped = delivered.values.reduce((n, d) => n + d.dropped, 0);
    expect(ui.dropped).toBeGreaterThan(0);
    expect(dropped).toBe(ui.dropped);
    expect(got + dropped).toBe(total);
    expect(fs.readFileSync(file, "utf8").trim().split("\n").length).toBe(frames);
  });

  it("trades reach a worker process as binary frames that decode to the same trades", async () => {
    const child = fork(path.join(import.meta.dirname, "fixtures", "trade-frame-worker.ts"), [], {
      execArgv: ["--no-node-snapshot"],
      serialization: "advanced",
      stdio: ["ignore", "inherit", "inherit", "ipc"],
    });
    const received = new Recorder<TradeRecord>();
    const ready = new Promise<void>((resolve) => child.once("message", () => resolve()));
    child.on("message", (m: { records?: TradeRecord[] }) => m.records?.forEach(received.push));
    await ready;
    const registry = new InstrumentRegistry();
    const channel = new WorkerTradeChannel({ registry, send: (frame, done) => child.send(frame, () => done()) });
    const { bus, feed, events } = liveFeed("binance");
    const live: TradeEvent[] = [];
    bus.onEvent("binance", ANY_SYMBOL, (e) => {
      if (e.type !== "trade") return;
      live.push(e);
      channel.push(e, "binance");
    });
    feed.add("BTC/USDT");
    feed.add("ETH/USDT");
    await events.until((v) => v.filter((e) => e.type === "trade").length >= 300);
    feed.stop();
    channel.flush();
    await received.untilCount(live.length);
    child.send("bye");
    expect(channel.stats.records).toBe(live.length);
    expect(channel.stats.frames).toBeLessThan(live.length);
    const decoded = received.values.map((r) => recordToTrade(r, registry.byNumber(r.instrumentId)!.symbol));
    expect(decoded).toEqual(live);
    const seqs = received.values.filter((r) => r.instrumentId === 1).map((r) => r.sequence);
    expect(seqs).toEqual(seqs.map((_, i) => i + 1));
  });
});
