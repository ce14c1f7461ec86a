import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { silentLogger } from "../log.ts";
import { Simulator } from "../simulator/server.ts";
import { describeHttpRefusal, describeNetworkError } from "./connect-errors.ts";
import { FeedManager } from "./manager.ts";
import { FeedConnection } from "./connection.ts";
import { Recorder } from "./test-util.ts";

let sim: Simulator;
beforeAll(async () => {
  sim = await Simulator.start({ venues: ["binance", "kraken"], rate: 50 });
});
afterAll(async () => {
  await sim.close();
});

describe("connection failures in trader words", () => {
  it("name DNS, refused, TLS and timeout failures by host", () => {
    const url = "wss://ws.kraken.com/v2";
    const dns = Object.assign(new Error("getaddrinfo ENOTFOUND ws.kraken.com"), { code: "ENOTFOUND" });
    expect(describeNetworkError(dns, url)).toBe("cannot reach ws.kraken.com: DNS lookup failed");
    expect(describeNetworkError(new TypeError("fetch failed", { cause: dns }), "https://api.kraken.com/0/public/Time")).toBe("cannot reach api.kraken.com: DNS lookup failed");
    expect(describeNetworkError(Object.assign(new Error("x"), { code: "ECONNREFUSED" }), url)).toBe("cannot reach ws.kraken.com: connection refused");
    expect(describeNetworkError(Object.assign(new Error("x"), { code: "CERT_HAS_EXPIRED" }), url)).toBe(
      "cannot reach ws.kraken.com: secure connection failed (CERT_HAS_EXPIRED) — check the system clock and any proxy",
    );
    expect(describeHttpRefusal(503, { name: "Coinbase" })).toBe("Coinbase refused the connection: HTTP 503, the venue is having trouble — retrying");
  });

  it("reports an upgrade refused with HTTP 451 and backs off near the cap instead of retrying at once", async () => {
    sim.refuseUpgrades("binance", 451);
    const states = new Recorder<string>();
    const conn = new FeedConnection({
      url: sim.urls("binance").ws,
      random: () => 0,
      silenceMs: 30_000,
      venue: { name: "Binance", restrictedHint: "try Binance.US" },
      onOpen: () => undefined,
      onFrame: () => undefined,
      onState: (state, detail) => states.push(`${state}: ${detail}`),
    });
    conn.start();
    await states.until((v) => v.some((s) => s.startsWith("reconnecting")));
    conn.stop();
    expect(conn.stats.lastError).toBe("Binance refused the connection: HTTP 451, this region is restricted — try Binance.US");
    const delay = Number(/retry in (\d+) ms/.exec(states.values.find((s) => s.startsWith("reconnecting"))!)![1]);
    expect(delay).toBeGreaterThanOrEqual(15_000);
    sim.refuseUpgrades("binance", null);
  });

  it("shows a venue's 403 refusal in its venue view", async () => {
    sim.refuseUpgrades("kraken", 403);
    const m = new FeedManager({ config: { venues: { kraken: sim.urls("kraken") }, simulated: false, simulatedRate: 20 }, log: silentLogger() });
    const release = m.acquire("kraken", "BTC/USD");
    const views = new Recorder<string | null>();
    const poll = setInterval(() => views.push(m.venues().find((v) => v.feed === "kraken")!.lastError), 10);
    await views.until((v) => v.at(-1)?.startsWith("Kraken refused") === true);
    clearInterval(poll);
    expect(m.venues().find((v) => v.feed === "kraken")).toMatchObject({
      state: "reconnecting",
      lastError: "Kraken refused the connection: HTTP 403, access from this network is forbidden (a VPN, proxy or regional block)",
    });
    release();
    await m.stop();
    sim.refuseUpgrades("kraken", null);
  });
});
