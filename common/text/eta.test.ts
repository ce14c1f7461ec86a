import { describe, expect, it } from "vitest";
import { etaTracker, formatEta } from "./eta.ts";

describe("etaTracker", () => {
  it("estimates from the pace since the first report, not counting work already done then", () => {
    let now = 0;
    const eta = etaTracker(() => now);
    expect(eta(20, 40)).toBeNull();
    now = 10_000;
    expect(eta(25, 40)).toBe(30_000);
    now = 20_000;
    expect(eta(30, 40)).toBe(20_000);
    expect(eta(40, 40)).toBeNull();
  });

  it("formats seconds and minutes", () => {
    expect(formatEta(400)).toBe("1s");
    expect(formatEta(42_000)).toBe("42s");
    expect(formatEta(65_000)).toBe("1m 05s");
  });
});
