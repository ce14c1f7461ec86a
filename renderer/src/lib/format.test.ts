import { describe, expect, it } from "vitest";
import { exactDecimals, formatCompact, formatPercent, formatPrice, priceDecimals } from "./format.ts";
import { formatDateTime, formatDuration, isValidTimeZone } from "./time.ts";

describe("formatting", () => {
  it("writes times in the display zone, UTC by default", () => {
    const t = Date.UTC(2024, 2, 1, 14, 5, 9);
    expect(formatDateTime(t)).toBe("2024-03-01 14:05:09");
    expect(formatDateTime(t, "Asia/Tokyo", false)).toBe("2024-03-01 23:05");
    expect(formatDateTime(Number.NaN)).toBe("—");
    expect(isValidTimeZone("Europe/Berlin")).toBe(true);
    expect(isValidTimeZone("Mars/Olympus")).toBe(false);
  });

  it("formats prices, percentages, volumes and durations", () => {
    expect(priceDecimals(43000.5)).toBe(2);
    expect(formatPrice(0.000123)).toBe("0.0001230");
    expect(formatPrice(1.5)).toBe("1.500");
    expect(formatPrice(1234.5)).toBe("1,234.50");
    expect(formatPercent(0.0123)).toBe("+1.23%");
    expect(formatPercent(-0.5, false)).toBe("-50.00%");
    expect(formatPercent(null)).toBe("—");
    expect(formatCompact(1_234_567)).toBe("1.23M");
    expect(formatDuration(3 * 86_400_000 + 4 * 3_600_000)).toBe("3d 4h");
    expect(formatDuration(42_000)).toBe("42s");
  });
});

describe("exactDecimals", () => {
  it("finds the fewest decimals that write every price exactly", () => {
    expect(exactDecimals([43000.1, 43001, 42999.9])).toBe(1);
    expect(exactDecimals([1.08523, 1.0852, 1.08])).toBe(5);
    expect(exactDecimals([0.00001234])).toBe(8);
    expect(exactDecimals([4500, 4501])).toBe(0);
    expect(exactDecimals([9e-8])).toBe(8);
    expect(exactDecimals([5e-8, 0])).toBe(8);
    expect(exactDecimals([12_000_000.25])).toBe(2);
    expect(exactDecimals([3_000_000.5])).toBe(1);
  });

  it("ignores float noise and non-finite values, and stops at the cap", () => {
    expect(exactDecimals([0.1 + 0.2, Number.NaN, Number.POSITIVE_INFINITY])).toBe(1);
    expect(exactDecimals([Math.PI], 6)).toBe(6);
    expect(exactDecimals([])).toBe(0);
  });
});
