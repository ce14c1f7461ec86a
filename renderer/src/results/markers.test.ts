import type { SeriesMarker, Time } from "lightweight-charts";
import { describe, expect, it } from "vitest";
import { barOpen, declutterLabels } from "./markers.ts";

const marker = (time: number, text: string, position: "aboveBar" | "belowBar" = "aboveBar"): SeriesMarker<Time> =>
  ({ time: time as Time, position, shape: "arrowDown", color: "#000", text });

describe("marker labels", () => {
  const times = Array.from({ length: 100 }, (_, i) => i * 60);

  it("clears a label that would overlap the previous one on the same side, keeping every arrow", () => {
    const ms = [marker(0, "+10.00"), marker(60, "+20.00"), marker(60 * 20, "-5.00"), marker(60, "Buy", "belowBar")];
    const out = declutterLabels(ms, times, 6);
    expect(out.map((m) => m.text)).toEqual(["+10.00", "", "-5.00", "Buy"]);
    expect(out).toHaveLength(4);
  });

  it("keeps every label once the bars are wide enough, and thins them again when zoomed out", () => {
    const ms = times.slice(0, 10).map((t) => marker(t, "+1.00"));
    expect(declutterLabels(ms, times, 60).every((m) => m.text === "+1.00")).toBe(true);
    const narrow = declutterLabels(ms, times, 3).filter((m) => m.text !== "");
    expect(narrow.length).toBeLessThan(5);
    // No two kept labels closer than their widths (7 px a character + 8 px gap at 3 px a bar).
    const xs = narrow.map((m) => ((m.time as number) / 60) * 3);
    expect(xs.every((x, i) => i === 0 || x - xs[i - 1]! >= 7 * 5 + 8)).toBe(true);
  });

  it("aligns weekly and monthly markers to their bars", () => {
    expect(barOpen(Date.parse("2024-02-29T12:00:00Z"), "1M")).toBe(Date.parse("2024-02-01T00:00:00Z"));
    expect(barOpen(Date.parse("2025-01-01T12:00:00Z"), "1w")).toBe(Date.parse("2024-12-30T00:00:00Z"));
  });
});
