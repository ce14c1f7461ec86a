import { describe, expect, it } from "vitest";
import { parseUtcTime } from "./time.ts";

describe("parseUtcTime", () => {
  it("reads dates and date-times without a zone as UTC", () => {
    expect(parseUtcTime("2024-01-31")).toBe(Date.UTC(2024, 0, 31));
    expect(parseUtcTime("2024-01-31T12:00:00")).toBe(Date.UTC(2024, 0, 31, 12));
    expect(parseUtcTime("2024-01-31 12:00")).toBe(Date.UTC(2024, 0, 31, 12));
    expect(parseUtcTime(" 2024-01-31T12:00:00.250 ")).toBe(Date.UTC(2024, 0, 31, 12, 0, 0, 250));
  });

  it("honours an explicit zone", () => {
    expect(parseUtcTime("2024-01-31T12:00:00Z")).toBe(Date.UTC(2024, 0, 31, 12));
    expect(parseUtcTime("2024-01-31T12:00:00+02:00")).toBe(Date.UTC(2024, 0, 31, 10));
  });

  it("rejects what is not such a date", () => {
    for (const bad of ["", "yesterday", "2024-13-01", "2024-01-31Z", "31/01/2024", "1706702400000"]) expect(parseUtcTime(bad)).toBeNull();
  });
});
