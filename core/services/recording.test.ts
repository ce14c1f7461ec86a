import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import type { TradeEvent } from "../../common/market/events.ts";
import { FeedManager } from "../feeds/manager.ts";
import { silentLogger } from "../log.ts";
import { Store } from "../store/index.ts";
import { recordVenueFeeds } from "./recording.ts";

const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "ws-recording-"));
const store = new Store(dataDir);
const endpoints = { ws: "ws://127.0.0.1:9/ws", rest: "http://127.0.0.1:9" };
const feeds = new FeedManager({ config: { venues: { kraken: endpoints }, simulated: true, simulatedRate: 20 }, log: silentLogger() });

afterAll(async () => {
  await feeds.stop();
  await store.close();
  fs.rmSync(dataDir, { recursive: true, force: true });
});

function trade(feedVenue: "kraken", id: string, price: string): TradeEvent {
  return { type: "trade", exchange: feedVenue, symbol: "BTC/USD", price, size: "0.5", side: "buy", tradeId: id, ts: 1_700_000_000_000 + Number(id) };
}

describe("recording live venue feeds into the store", () => {
  it("records every event of a venue feed exactly, in order, and nothing of the simulated feed", async () => {
    const stop = recordVenueFeeds(feeds, store, silentLogger());
    const kraken = feeds.feeds().find((f) => !f.simulated)!;
    const simulated = feeds.feeds().find((f) => f.simulated)!;
    feeds.bus.publish(kraken.feed, trade("kraken", "1", "43123.45"));
    feeds.bus.publish(kraken.feed, trade("kraken", "2", "43123.123456789012345678"));
    feeds.bus.publish(simulated.feed, trade("kraken", "3", "1"));
    const recorder = await store.recorder();
    feeds.bus.publish(kraken.feed, trade("kraken", "4", "0.00000001"));
    await recorder.flush();
    stop();
    const rows = await store.withMarket(async (db) => (await db.conn.runAndReadAll("SELECT trade_id, CAST(price AS VARCHAR) AS p FROM trades ORDER BY ts")).getRowObjects());
    expect(rows.map((r) => r.trade_id)).toEqual(["1", "2", "4"]);
    expect(String(rows[0]!.p)).toMatch(/^43123\.450*$/);
  });

  it("records by default and stops and resumes with the recordFeeds setting", async () => {
    expect(store.settings().recordFeeds).toBe(true);
    expect(store.settings().maxRecordingBytes).toBeGreaterThan(0);
    const stop = recordVenueFeeds(feeds, store, silentLogger());
    const kraken = feeds.feeds().find((f) => !f.simulated)!;
    store.updateSettings({ recordFeeds: false });
    feeds.bus.publish(kraken.feed, trade("kraken", "10", "1"));
    store.updateSettings({ recordFeeds: true });
    feeds.bus.publish(kraken.feed, trade("kraken", "11", "2"));
    await (await store.recorder()).flush();
    stop();
    const ids = await store.withMarket(async (db) => (await db.conn.runAndReadAll("SELECT trade_id FROM trades WHERE trade_id IN ('10', '11')")).getRows());
    expect(ids.map((r) => r[0])).toEqual(["11"]);
  });
});
