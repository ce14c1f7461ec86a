import { describe, expect, it } from "vitest";
import type { VenueView } from "../../../common/api/market.ts";
import { formatAge, venueSummary, venueTrouble } from "./describe.ts";

const base: VenueView = {
  feed: "binance",
  venue: "binance",
  variant: null,
  name: "Binance",
  ws: "wss://stream.binance.com:9443/stream",
  rest: "https://api.binance.com",
  enabled: true,
  source: "built-in",
  state: "connected",
  lastMessageAgeMs: 400,
  reconnects: 0,
  lastError: null,
  clockOffsetMs: 20,
};

describe("venue status words", () => {
  it("say state, last message age and reconnects", () => {
    expect(venueSummary(base)).toBe("Binance connected · 0.4 s ago");
    expect(venueSummary({ ...base, reconnects: 2, lastMessageAgeMs: 95_000 })).toBe("Binance connected · 95 s ago · 2 reconnects");
    expect(venueTrouble(base)).toBe(false);
    expect(formatAge(7_300_000)).toBe("2 h");
  });

  it("show the error while not connected, and a clock more than 1 s off", () => {
    const refused = { ...base, state: "reconnecting" as const, lastMessageAgeMs: null, reconnects: 3, lastError: "Binance refused the connection: HTTP 451, this region is restricted — try Binance.US" };
    expect(venueSummary(refused)).toBe("Binance reconnecting · 3 reconnects · Binance refused the connection: HTTP 451, this region is restricted — try Binance.US");
    expect(venueTrouble(refused)).toBe(true);
    expect(venueSummary({ ...base, clockOffsetMs: -1800 })).toBe("Binance connected · 0.4 s ago · clock 1.8 s ahead of Binance");
    expect(venueTrouble({ ...base, clockOffsetMs: 1001 })).toBe(true);
  });
});
