import pino from "pino";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Simulator } from "../simulator/server.ts";
import { FeedManager } from "./manager.ts";
import { Recorder } from "./test-util.ts";
import { clockWarning } from "./venue-clock.ts";

let sim: Simulator;
beforeAll(async () => {
  sim = await Simulator.start({ venues: ["kraken", "coinbase", "binance"], rate: 0 });
});
afterAll(async () => {
  await sim.close();
});

describe("venue clock offsets", () => {
  it("are measured for each enabled venue, and a local clock off by more than 1 s is logged", async () => {
    sim.setClockSkew("coinbase", 4000);
    sim.setClockSkew("binance", -2500);
    const warnings = new Recorder<string>();
    const log = pino({ level: "warn" }, { write: (line: string) => warnings.push((JSON.parse(line) as { msg: string }).msg) });
    const m = new FeedManager({ config: { venues: { kraken: sim.urls("kraken"), coinbase: sim.urls("coinbase"), binance: sim.urls("binance") }, simulated: false, simulatedRate: 20 }, log });
    m.probe();
    await warnings.untilCount(2);
    for (let i = 0; i < 500 && m.venues().some((v) => v.enabled && v.clockOffsetMs === null); i++) await new Promise((r) => setTimeout(r, 10));
    const byFeed = Object.fromEntries(m.venues().map((v) => [v.feed, v.clockOffsetMs]));
    expect(Math.abs(byFeed.kraken!)).toBeLessThanOrEqual(700);
    expect(Math.abs(byFeed.coinbase! - 4000)).toBeLessThan(200);
    expect(Math.abs(byFeed.binance! + 2500)).toBeLessThan(200);
    expect(byFeed["binance-us"]).toBeNull();
    expect(warnings.values.sort()).toEqual([
      expect.stringMatching(/^this computer's clock is 2\.\d s ahead of Binance's/),
      expect.stringMatching(/^this computer's clock is 4\.\d s behind Coinbase's/),
    ]);
    await m.stop();
  });

  it("word the warning only beyond the limit", () => {
    expect(clockWarning("Kraken", 900, 1000)).toBeNull();
    expect(clockWarning("Kraken", -1500, 1000)).toBe("this computer's clock is 1.5 s ahead of Kraken's — set the system time automatically (trading signatures will depend on it)");
  });
});
