import { describe, expect, it } from "vitest";
import { cachedClock, formatTick } from "./time.ts";

describe("formatTick", () => {
  const t = Date.UTC(2026, 10, 24, 2, 5, 9);

  it("writes each kind of axis label in UTC by default", () => {
    expect(formatTick(t, "year")).toBe("2026");
    expect(formatTick(t, "month")).toBe("Nov");
    expect(formatTick(t, "day")).toBe("24");
    expect(formatTick(t, "time")).toBe("02:05");
    expect(formatTick(t, "seconds")).toBe("02:05:09");
  });

  it("writes the display time zone's wall time (New York is UTC−5 in November)", () => {
    expect(formatTick(t, "time", "America/New_York")).toBe("21:05");
    expect(formatTick(t, "day", "America/New_York")).toBe("23");
  });
});

describe("cachedClock", () => {
  it("writes a trade's time of day in the zone, the same for every trade of that second", () => {
    const clock = cachedClock("America/New_York", 2);
    const t = Date.UTC(2026, 10, 24, 14, 5, 9);
    expect(clock(t)).toBe("09:05:09");
    expect(clock(t + 999)).toBe("09:05:09");
    expect(clock(t + 1000)).toBe("09:05:10");
    expect(clock(t + 2000)).toBe("09:05:11");
    expect(clock(t)).toBe("09:05:09");
  });
});
