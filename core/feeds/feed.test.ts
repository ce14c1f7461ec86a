import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import type { MarketEvent, VenueId } from "../../common/market/events.ts";
import { Simulator } from "../simulator/server.ts";
import { ANY_SYMBOL, MarketBus } from "./bus.ts";
import { ManualClock } from "./clock.ts";
import { VenueFeed } from "./feed.ts";
import { PROTOCOLS } from "./protocols.ts";
import { Recorder } from "./test-util.ts";

let sim: Simulator;
const feeds: VenueFeed[] = [];

beforeAll(async () => {
  sim = await Simulator.start({ rate: 400, heartbeatMs: 200 });
});
afterAll(async () => {
  await sim.close();
});
afterEach(() => {
  for (const f of feeds.splice(0)) f.stop();
});

const SYMBOL: Record<VenueId, string> = { kraken: "BTC/USD", coinbase: "BTC/USD", binance: "BTC/USDT" };

function startFeed(venue: VenueId, clock?: ManualClock) {
  const bus = new MarketBus();
  const events = new Recorder<MarketEvent>();
  bus.onEvent(venue, ANY_SYMBOL, events.push);
  const feed = new VenueFeed({
    id: venue,
    protocol: PROTOCOLS[venue],
    endpoints: sim.urls(venue),
    bus,
    backoff: { baseMs: 20, maxMs: 200, factor: 2 },
    ...(clock ? { clock, silenceMs: 3000, pingMs: 1000 } : {}),
  });
  feeds.push(feed);
  feed.add(SYMBOL[venue]);
  return { bus, feed, events };
}

/** Resolves with the index of the first event after `from` matching `test`. */
async function next(events: Recorder<MarketEvent>, from: number, test: (e: MarketEvent) => boolean): Promise<number> {
  await events.until((v) => v.slice(from).some(test));
  return from + events.values.slice(from).findIndex(test);
}

const snapshot = (e: MarketEvent) => e.type === "book_snapshot";
const trade = (e: MarketEvent) => e.type === "trade";

describe.each(["kraken", "coinbase", "binance"] as const)("%s feed against the simulator", (venue) => {
  it("syncs the book and streams trades", async () => {
    const { feed, events } = startFeed(venue);
    const snap = await next(events, 0, snapshot);
    await next(events, snap, trade);
    await next(events, snap, (e) => e.type === "book_update");
    const status = feed.status();
    expect(status.state).toBe("connected");
    expect(status.books[SYMBOL[venue]]).toBe("synced");
    expect(feed.handlerOf(SYMBOL[venue])!.bookView(SYMBOL[venue], 5)!.bids.length).toBe(5);
    expect(events.values.filter((e) => e.type === "error" || e.type === "gap" || e.type === "checksum_mismatch")).toEqual([]);
  });

  it("reconnects and resubscribes after the venue drops the connection", async () => {
    const { feed, events } = startFeed(venue);
    const first = await next(events, 0, snapshot);
    sim.inject(venue, "disconnect");
    const again = await next(events, first + 1, snapshot);
    await next(events, again, trade);
    expect(feed.status().reconnects).toBeGreaterThanOrEqual(1);
    expect(feed.status().books[SYMBOL[venue]]).toBe("synced");
  });

  it("survives a malformed frame: counted, and the book is valid again", async () => {
    const { feed, events } = startFeed(venue);
    const first = await next(events, 0, snapshot);
    sim.inject(venue, "malformed");
    const err = await next(events, first, (e) => e.type === "error");
    expect(events.values[err]).toMatchObject({ reason: "malformed_frame" });
    await next(events, err, (e) => e.type === "book_update" || e.type === "book_snapshot");
    await events.until(() => feed.status().books[SYMBOL[venue]] === "synced");
    expect(feed.status().malformed).toBeGreaterThanOrEqual(1);
  });

  it("goes resyncing on a gap or corrupt checksum, then serves a valid book again", async () => {
    const { feed, events } = startFeed(venue);
    const first = await next(events, 0, snapshot);
    let during: string | undefined;
    feed.handlerOf(SYMBOL[venue]);
    const fault = venue === "kraken" ? "checksum" : "gap";
    const isFault = (e: MarketEvent) => e.type === "gap" || e.type === "checksum_mismatch";
    const unsub = events.until((v) => v.slice(first).some(isFault)).then(() => {
      during = feed.status().books[SYMBOL[venue]];
    });
    sim.inject(venue, fault);
    const at = await next(events, first, isFault);
    await unsub;
    expect(during).toBe("resyncing");
    await next(events, at, snapshot);
    expect(feed.status().books[SYMBOL[venue]]).toBe("synced");
    expect(venue === "kraken" ? feed.status().checksumMismatches : feed.status().gaps).toBe(1);
  });
});

describe("silence watchdog", () => {
  it("reconnects a feed whose venue goes silent, then resyncs", async () => {
    const clock = new ManualClock();
    const { feed, events } = startFeed("kraken", clock);
    const first = await next(events, 0, snapshot);
    sim.inject("kraken", "silence");
    clock.advance(3000);
    expect(feed.status().silences).toBe(1);
    expect(feed.status().state).toBe("reconnecting");
    clock.advance(200);
    await next(events, first + 1, snapshot);
    expect(feed.status().state).toBe("connected");
    expect(feed.status().books["BTC/USD"]).toBe("synced");
  });
});

describe("slow REST", () => {
  it("keeps the Binance book resyncing until the delayed snapshot arrives", async () => {
    sim.restDelayMs = 150;
    try {
      const { feed, events } = startFeed("binance");
      await events.until(() => feed.status().messages > 5);
      expect(feed.status().books["BTC/USDT"]).toBe("resyncing");
      expect(events.values.some((e) => e.type === "book_update")).toBe(false);
      await next(events, 0, snapshot);
      expect(feed.status().books["BTC/USDT"]).toBe("synced");
    } finally {
      sim.restDelayMs = 0;
    }
  });
});

describe("Kraken lost update", () => {
  it("a dropped book update is caught by the next checksum and the book resyncs", async () => {
    const { bus, feed, events } = startFeed("kraken");
    const first = await next(events, 0, snapshot);
    // A lost update heals by itself when the next one rewrites the same levels (then no checksum
    // can fail); drop another after each update that still verifies, until one is caught.
    let drops = 1;
    let caught = false;
    const unsubscribe = bus.onEvent("kraken", "BTC/USD", (e) => {
      if (e.type === "checksum_mismatch") caught = true;
      if (e.type === "book_update" && !caught && drops < 20) {
        drops++;
        sim.inject("kraken", "gap");
      }
    });
    sim.inject("kraken", "gap");
    const at = await next(events, first, (e) => e.type === "checksum_mismatch");
    unsubscribe();
    await next(events, at, snapshot);
    await events.until(() => feed.status().books["BTC/USD"] === "synced");
    expect(feed.status().checksumMismatches).toBeGreaterThanOrEqual(1);
  });
});

describe("last-resort guard", () => {
  it("counts a frame its handler throws on and keeps the feed running", async () => {
    const bus = new MarketBus();
    const events = new Recorder<MarketEvent>();
    bus.onEvent("kraken", ANY_SYMBOL, events.push);
    let thrown = 0;
    const protocol = {
      ...PROTOCOLS.kraken,
      createHandler: () => {
        const handler = PROTOCOLS.kraken.createHandler();
        const onFrame = handler.onFrame.bind(handler);
        handler.onFrame = (text, t, sink) => {
          if (text.includes('"channel":"trade"') && thrown++ === 0) throw new Error("a frame no handler foresaw");
          onFrame(text, t, sink);
        };
        return handler;
      },
    };
    const feed = new VenueFeed({ id: "kraken", protocol, endpoints: sim.urls("kraken"), bus, backoff: { baseMs: 20, maxMs: 200, factor: 2 } });
    feeds.push(feed);
    feed.add("BTC/USD");
    await events.until(() => thrown > 0);
    const at = events.values.length;
    await next(events, at, trade);
    expect(feed.status().malformed).toBe(1);
    expect(feed.status().state).toBe("connected");
  });
});
