import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { ApiClient } from "../../common/api/client.ts";
import type { BookTop, FeedStatus, LiveBarsBatch, TradeBatch } from "../../common/api/market.ts";
import { startCore, type RunningCore } from "../app.ts";
import { connectApi } from "../cli/core-client.ts";
import { Recorder } from "../feeds/test-util.ts";
import { silentLogger } from "../log.ts";
import { Simulator } from "../simulator/server.ts";

let core: RunningCore;
let client: ApiClient;
let sim: Simulator;
let dataDir: string;

beforeAll(async () => {
  dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "market-svc-"));
  sim = await Simulator.start({ venues: ["binance"], rate: 300 });
  core = await startCore({
    dataDir,
    log: silentLogger(),
    port: 0,
    staticDir: dataDir,
    feeds: { venues: { binance: sim.urls("binance") }, simulated: true, simulatedRate: 200 },
  });
  client = await connectApi(core.port, core.token);
});

afterAll(async () => {
  client.close();
  await core.stop();
  await sim.close();
  fs.rmSync(dataDir, { recursive: true, force: true });
});

describe("market API", () => {
  it("lists the simulated feed and configured venues; a reachable venue becomes the default", async () => {
    const { feeds } = await client.call("market.feeds", {});
    expect(feeds.map((f) => f.feed).sort()).toEqual(["binance", "simulated"]);
    expect(feeds.find((f) => f.feed === "simulated")).toMatchObject({ simulated: true, venue: "kraken" });
    expect(feeds.find((f) => f.feed === "binance")).toMatchObject({ simulated: false, symbols: ["BTC/USDT", "ETH/USDT"] });
    const instruments = await client.call("market.instruments", { feed: "binance" });
    expect(instruments.find((i) => i.symbol === "BTC/USDT")).toMatchObject({ venueSymbol: "BTCUSDT", tickSize: "0.1", lotSize: "0.00000001", status: "trading" });
    expect((await client.call("market.feeds", {})).defaultFeed).toBe("binance");
  });

  it("streams a synced book top, batched trades and status from the simulated feed", async () => {
    const books = new Recorder<BookTop>();
    const trades = new Recorder<TradeBatch>();
    const offBook = client.subscribe("market.book", { feed: "simulated", symbol: "BTC/USD", depth: 5 }, { onEvent: books.push });
    const offTrades = client.subscribe("market.trades", { feed: "simulated", symbol: "BTC/USD" }, { onEvent: trades.push });
    await books.until((v) => v.some((b) => b.status === "synced"));
    await trades.untilCount(2);
    const top = books.values.find((b) => b.status === "synced")!;
    expect(top.bids).toHaveLength(5);
    expect(top.asks).toHaveLength(5);
    expect(trades.values.every((b) => b.trades.length > 0 && b.trades.every((t) => t.symbol === "BTC/USD"))).toBe(true);
    const statuses = new Recorder<FeedStatus[]>();
    const offStatus = client.subscribe("market.status", { intervalMs: 100 }, { onEvent: statuses.push });
    await statuses.until((v) => v.some((s) => s.find((f) => f.feed === "simulated")?.books["BTC/USD"] === "synced"));
    const status = statuses.values.at(-1)!.find((f) => f.feed === "simulated")!;
    expect(status).toMatchObject({ state: "connected", connections: 1, gaps: 0 });
    offBook();
    offTrades();
    offStatus();
  });

  it("streams live bars built in core and a tape of only the newest trades", async () => {
    const bars = new Recorder<LiveBarsBatch>();
    const tape = new Recorder<TradeBatch>();
    const offBars = client.subscribe("market.bars", { feed: "simulated", symbol: "BTC/USD", timeframe: "1s" }, { onEvent: bars.push });
    const offTape = client.subscribe("market.trades", { feed: "simulated", symbol: "BTC/USD", newest: 1 }, { onEvent: tape.push });
    await bars.until((v) => new Set(v.flatMap((b) => b.bars.map((bar) => bar.time))).size >= 3);
    await tape.until((v) => v.some((b) => b.skipped > 0));
    offBars();
    offTape();
    const all = bars.values.flatMap((b) => b.bars);
    expect(all.every((b) => b.time % 1000 === 0 && b.low <= Math.min(b.open, b.close) && b.high >= Math.max(b.open, b.close) && b.volume > 0)).toBe(true);
    expect(all.every((b, i) => i === 0 || b.time >= all[i - 1]!.time)).toBe(true);
    expect(tape.values.every((b) => b.trades.length <= 1 && b.dropped === 0)).toBe(true);
  });

  it("serves candles from REST klines and refuses unknown feeds", async () => {
    const candles = await client.call("market.candles", { feed: "binance", symbol: "BTC/USDT", limit: 30 });
    expect(candles.length).toBeGreaterThan(0);
    expect(candles.length).toBeLessThanOrEqual(30);
    expect(candles.every((c, i) => i === 0 || c.t - candles[i - 1]!.t === 60_000)).toBe(true);
    await expect(client.call("market.instruments", { feed: "nope" })).rejects.toMatchObject({ code: "not_found" });
  });
});
