import { describe, expect, it } from "vitest";
import { BEEP, BEEP_GAP_MS, beepDue, beepSamples } from "./sound.ts";

describe("alert beep", () => {
  it("is a short tone generated in code: silent at both ends, never above its peak, at its frequency", () => {
    const rate = 48_000;
    const s = beepSamples(rate);
    expect(s.length).toBe((rate * BEEP.durationMs) / 1000);
    expect(s[0]).toBe(0);
    expect(Math.abs(s[s.length - 1]!)).toBeLessThan(1e-6);
    const peak = Math.max(...Array.from(s, Math.abs));
    expect(peak).toBeGreaterThan(BEEP.peak * 0.9);
    expect(peak).toBeLessThanOrEqual(BEEP.peak);
    let crossings = 0;
    for (let i = 1; i < s.length; i++) if (s[i - 1]! < 0 && s[i]! >= 0) crossings++;
    expect(crossings).toBeGreaterThanOrEqual(Math.floor((BEEP.frequency * BEEP.durationMs) / 1000) - 2);
    expect(crossings).toBeLessThanOrEqual(Math.ceil((BEEP.frequency * BEEP.durationMs) / 1000));
  });

  it("a burst of fires beeps once", () => {
    expect(beepDue(null, 5)).toBe(true);
    expect(beepDue(1000, 1000 + BEEP_GAP_MS - 1)).toBe(false);
    expect(beepDue(1000, 1000 + BEEP_GAP_MS)).toBe(true);
  });
});
