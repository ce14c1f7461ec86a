import { describe, expect, it } from "vitest";
import { measureOffset, skewProblem } from "./clock.ts";
import { RateBudget } from "./rate-budget.ts";

describe("RateBudget", () => {
  it("tracks the used weight from headers and refuses a request that would pass the limit", () => {
    const b = new RateBudget({ "X-MBX-USED-WEIGHT-1M": 6000, "X-MBX-ORDER-COUNT-10S": 100 });
    const now = 1_700_000_000_000;
    b.observe(now, 200, { "x-mbx-used-weight-1m": "5999", "x-mbx-order-count-10s": "3" });
    expect(b.check(now, { "X-MBX-USED-WEIGHT-1M": 1 })).toBeNull();
    expect(b.check(now, { "X-MBX-USED-WEIGHT-1M": 2 })).toMatchObject({ kind: "wait" });
    expect(b.check(now + 60_000, { "X-MBX-USED-WEIGHT-1M": 2 })).toBeNull();
  });

  it("waits out a 429's Retry-After and stops for good at 418", () => {
    const b = new RateBudget({});
    b.observe(1000, 429, { "Retry-After": "2" });
    expect(b.check(2000)).toMatchObject({ kind: "wait", untilMs: 3000 });
    expect(b.check(3000)).toBeNull();
    b.observe(4000, 418, { "Retry-After": "120" });
    expect(b.check(10_000_000)).toMatchObject({ kind: "stopped" });
    expect(b.stopped).toBe(true);
  });
});

describe("clock", () => {
  it("measures the offset against the round trip's midpoint and refuses a skew past the window", () => {
    expect(measureOffset(1000, 1600, 1200)).toEqual({ offsetMs: 500, roundTripMs: 200 });
    expect(skewProblem("binance", { offsetMs: 500, roundTripMs: 1 }, 5000)).toBeNull();
    expect(skewProblem("binance", { offsetMs: -7000, roundTripMs: 1 }, 5000)).toMatch(/^clock-skew: .*7000 ms ahead of binance/);
  });
});
