import { describe, expect, it } from "vitest";
import { TIMEFRAMES, type Timeframe } from "./bars.ts";
import { bucketCeil, bucketsBefore, bucketStart, buildsFrom, isDateOnly, longestBar, nextBucket } from "./timeframes.ts";

const utc = (s: string): number => Date.parse(`${s}Z`);

describe("bucketStart and nextBucket", () => {
  it("keeps the fixed timeframes as floor(ts / len) * len", () => {
    const fixed: Timeframe[] = ["1s", "1m", "5m", "15m", "1h", "4h", "1d"];
    for (const tf of fixed) {
      const len = TIMEFRAMES[tf];
      for (const ts of [0, 1, 1_700_000_040_123, 1_709_251_199_999, -1, -86_400_001]) {
        expect(bucketStart(tf, ts)).toBe(Math.floor(ts / len) * len);
        expect(nextBucket(tf, ts)).toBe(Math.floor(ts / len) * len + len);
      }
    }
  });

  it("opens weeks on Monday 00:00 UTC, a week crossing a year included", () => {
    // 2024-12-30 is a Monday; its week runs into 2025.
    expect(bucketStart("1w", utc("2025-01-01T12:00:00"))).toBe(utc("2024-12-30T00:00:00"));
    expect(bucketStart("1w", utc("2025-01-05T23:59:59.999"))).toBe(utc("2024-12-30T00:00:00"));
    expect(bucketStart("1w", utc("2025-01-06T00:00:00"))).toBe(utc("2025-01-06T00:00:00"));
    expect(nextBucket("1w", utc("2024-12-31T00:00:00"))).toBe(utc("2025-01-06T00:00:00"));
    expect(new Date(bucketStart("1w", utc("2023-06-15T08:00:00"))).getUTCDay()).toBe(1);
    expect(bucketStart("1w", utc("1970-01-01T00:00:00"))).toBe(utc("1969-12-29T00:00:00"));
  });

  it("buckets months by the calendar: month ends and leap years", () => {
    expect(bucketStart("1M", utc("2024-02-29T23:59:59.999"))).toBe(utc("2024-02-01T00:00:00"));
    expect(nextBucket("1M", utc("2024-02-10T00:00:00"))).toBe(utc("2024-03-01T00:00:00"));
    expect(nextBucket("1M", utc("2023-02-10T00:00:00")) - utc("2023-02-01T00:00:00")).toBe(28 * 86_400_000);
    expect(nextBucket("1M", utc("2024-02-10T00:00:00")) - utc("2024-02-01T00:00:00")).toBe(29 * 86_400_000);
    expect(bucketStart("1M", utc("2024-03-01T00:00:00"))).toBe(utc("2024-03-01T00:00:00"));
    expect(bucketStart("1M", utc("2024-01-31T23:59:59.999"))).toBe(utc("2024-01-01T00:00:00"));
    expect(nextBucket("1M", utc("2024-12-31T23:00:00"))).toBe(utc("2025-01-01T00:00:00"));
    expect(bucketStart("1M", utc("1969-12-31T23:59:59.999"))).toBe(utc("1969-12-01T00:00:00"));
  });

  it("rounds up to a boundary and steps back whole bars", () => {
    expect(bucketCeil("1M", utc("2024-03-01T00:00:00"))).toBe(utc("2024-03-01T00:00:00"));
    expect(bucketCeil("1M", utc("2024-03-01T00:00:00.001"))).toBe(utc("2024-04-01T00:00:00"));
    expect(bucketCeil("1m", 60_001)).toBe(120_000);
    expect(bucketsBefore("1M", utc("2024-03-15T00:00:00"), 14)).toBe(utc("2023-01-01T00:00:00"));
    expect(bucketsBefore("1w", utc("2025-01-01T00:00:00"), 1)).toBe(utc("2024-12-23T00:00:00"));
    expect(bucketsBefore("1h", 7_200_001, 2)).toBe(0);
  });

  it("says which stored bar lengths build a timeframe", () => {
    expect(buildsFrom("1w", TIMEFRAMES["1d"])).toBe(true);
    expect(buildsFrom("1M", TIMEFRAMES["1d"])).toBe(true);
    expect(buildsFrom("1M", TIMEFRAMES["4h"])).toBe(true);
    expect(buildsFrom("1w", TIMEFRAMES["1w"])).toBe(true);
    expect(buildsFrom("1M", TIMEFRAMES["1w"])).toBe(false);
    expect(buildsFrom("1d", TIMEFRAMES["1d"])).toBe(true);
    expect(buildsFrom("1h", TIMEFRAMES["1d"])).toBe(false);
    expect(buildsFrom("15m", TIMEFRAMES["5m"])).toBe(true);
    expect(() => bucketStart(0, 1)).toThrow(/positive whole number/);
  });

  it("says how far apart bars may be without a gap, and which bars have dates only", () => {
    expect(longestBar("1M")).toBe(31 * 86_400_000);
    expect(longestBar("1w")).toBe(7 * 86_400_000);
    expect(longestBar("1h")).toBe(3_600_000);
    expect([isDateOnly("4h"), isDateOnly("1d"), isDateOnly("1w"), isDateOnly("1M")]).toEqual([false, true, true, true]);
  });
});
