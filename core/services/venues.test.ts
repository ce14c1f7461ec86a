import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { ApiClient } from "../../common/api/client.ts";
import type { TradeBatch, VenueView } from "../../common/api/market.ts";
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
  dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "venues-svc-"));
  sim = await Simulator.start({ venues: ["kraken", "binance"], rate: 300 });
  core = await startCore({
    dataDir,
    log: silentLogger(),
    port: 0,
    staticDir: dataDir,
    // The built-in table pointed at the simulator, every venue off until the test enables it.
    feeds: {
      venues: { kraken: { ...sim.urls("kraken"), enabled: false }, binance: { ...sim.urls("binance"), enabled: false, variants: { us: { ...sim.urls("binance"), enabled: false } } } },
      simulated: true,
      simulatedRate: 200,
    },
  });
  client = await connectApi(core.port, core.token);
});

afterAll(async () => {
  client.close();
  await core.stop();
  await sim.close();
  fs.rmSync(dataDir, { recursive: true, force: true });
});

const view = (list: VenueView[], feed: string): VenueView => list.find((v) => v.feed === feed)!;

describe("venues API", () => {
  it("lists every venue and variant with its source, switched off until enabled", async () => {
    const list = await client.call("market.venues", {});
    expect(list.map((v) => [v.feed, v.venue, v.variant, v.enabled, v.source, v.state])).toEqual([
      ["simulated", "simulated", null, true, "built-in", "idle"],
      ["kraken", "kraken", null, false, "feeds.json", "disabled"],
      ["coinbase", "coinbase", null, false, "built-in", "disabled"],
      ["binance", "binance", null, false, "feeds.json", "disabled"],
      ["binance-us", "binance", "us", false, "feeds.json", "disabled"],
      ["binance-data", "binance", "data", false, "built-in", "disabled"],
    ]);
    expect(view(list, "coinbase")).toMatchObject({ ws: "wss://advanced-trade-ws.coinbase.com", rest: "https://api.coinbase.com", name: "Coinbase" });
    expect((await client.call("market.feeds", {})).feeds.map((f) => f.feed)).toEqual(["simulated"]);
    await expect(client.call("market.instruments", { feed: "kraken" })).rejects.toThrow(/Kraken is switched off/);
    await expect(client.call("market.venues.set", { venue: "kraken", variant: "us", enabled: true })).rejects.toThrow(/kraken has no variant "us"/);
  });

  it("enables a venue live: it connects, streams, measures its clock and is saved in the settings; disabling closes it", async () => {
    const trades = new Recorder<TradeBatch>();
    let after = await client.call("market.venues.set", { venue: "binance", variant: "us", enabled: true });
    expect(view(after, "binance-us")).toMatchObject({ enabled: true, state: "idle" });
    expect((await client.call("ui.settings.get", {})).venues.find((v) => v.id === "binance-us")?.enabled).toBe(true);
    const off = client.subscribe("market.trades", { feed: "binance-us", symbol: "BTC/USDT" }, { onEvent: trades.push });
    await trades.untilCount(1);
    after = await client.call("market.venues", {});
    expect(view(after, "binance-us")).toMatchObject({ state: "connected", reconnects: 0, lastError: null });
    expect(view(after, "binance-us").clockOffsetMs).not.toBeNull();
    expect(Math.abs(view(after, "binance-us").clockOffsetMs!)).toBeLessThan(1000);
    expect(sim.connections("binance")).toBe(1);

    await client.call("market.venues.set", { venue: "binance", variant: "us", enabled: false });
    await until(() => sim.connections("binance") === 0);
    expect(view(await client.call("market.venues", {}), "binance-us").state).toBe("disabled");
    expect((await client.call("market.feeds", {})).feeds.map((f) => f.feed)).toEqual(["simulated"]);

    // The stream stayed open: switching the venue back on resumes it.
    const seen = trades.values.length;
    await client.call("market.venues.set", { venue: "binance", variant: "us", enabled: true });
    await trades.untilCount(seen + 1);
    off();
    await client.call("market.venues.set", { venue: "binance", variant: "us", enabled: false });
  });

  it("applies a switch flipped in Settings (ui.settings.set) without a restart", async () => {
    const settings = await client.call("ui.settings.get", {});
    await client.call("ui.settings.set", { venues: [...settings.venues.filter((v) => v.id !== "kraken"), { id: "kraken", enabled: true, symbols: [] }] });
    expect(view(await client.call("market.venues", {}), "kraken").enabled).toBe(true);
    const found = await client.call("market.instruments.search", { query: "eth", limit: 10 });
    expect(found).toContainEqual({ feed: "kraken", venue: "kraken", symbol: "ETH/USD", status: "trading", tickSize: "0.01", lotSize: "0.00000001" });
    expect(found.every((h) => h.feed === "kraken" || h.feed === "simulated")).toBe(true);
    await client.call("ui.settings.set", { venues: settings.venues });
    expect(view(await client.call("market.venues", {}), "kraken").enabled).toBe(false);
  });
});

async function until(test: () => boolean): Promise<void> {
  for (let i = 0; i < 500 && !test(); i++) await new Promise((r) => setTimeout(r, 10));
  expect(test()).toBe(true);
}
