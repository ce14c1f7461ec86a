import { describe, expect, it } from "vitest";
import { describeParams, describeRange, describeSettings } from "./describe.ts";

describe("a result's run settings", () => {
  it("lists the params it ran with", () => {
    expect(describeParams({ fast: 12, slow: 30, short: false, mode: "trend" })).toBe('fast=12 · slow=30 · short=false · mode="trend"');
    expect(describeParams({})).toBe("default params");
  });

  it("shows the range as the inclusive UTC days the form took", () => {
    expect(describeRange(Date.UTC(2024, 2, 1), Date.UTC(2024, 3, 1))).toBe("2024-03-01 – 2024-03-31 (UTC)");
    expect(describeRange(null, null)).toBe("all bars");
    expect(describeRange(Date.UTC(2024, 2, 1), null)).toBe("2024-03-01 – last bar (UTC)");
  });

  it("writes commission as a percent without float noise", () => {
    expect(describeSettings({ cash: 100_000, commission: 0.0007, slippageBps: 5, from: null, to: null })).toBe("cash 100,000 · commission 0.07 % · slippage 5 bps · all bars");
  });
});
