import { describe, expect, it } from "vitest";
import { formatTick } from "./time.ts";

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
