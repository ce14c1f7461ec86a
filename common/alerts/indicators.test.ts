import { describe, expect, it } from "vitest";
import { AlertIndicator, type IndicatorBar } from "./indicators.ts";
import type { IndicatorRef } from "./types.ts";

const REFS: IndicatorRef[] = [
  { indicator: "sma", args: [5] },
  { indicator: "ema", args: [4] },
  { indicator: "rsi", args: [3] },
  { indicator: "atr", args: [3] },
  { indicator: "stdev", args: [4] },
  { indicator: "highest", args: [3] },
  { indicator: "lowest", args: [3] },
  { indicator: "bbands", args: [4, 2], output: "upper" },
  { indicator: "macd", args: [3, 6, 2], output: "signal" },
];

/** A walk with off-grid steps now and then (the exact sums fall back to binary). */
function bars(n: number): IndicatorBar[] {
  let seed = 7;
  const rand = (): number => ((seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648);
  let close = 100;
  return Array.from({ length: n }, (_, i) => {
    close += i % 7 === 6 ? (rand() - 0.5) / 3 : Math.round((rand() - 0.5) * 400) / 100;
    return { close, high: close + 0.5, low: close - 0.5 };
  });
}

describe("alert indicators", () => {
  it.each(REFS)("peek on the forming bar equals a fresh instance fed that bar as closed ($indicator)", (ref) => {
    const series = bars(60);
    const live = new AlertIndicator(ref);
    for (let i = 0; i < series.length; i++) {
      // Several forming prices per bar, as trades move it; the reused scratch copy must not leak state.
      for (const forming of [series[i]!, { ...series[i]!, close: series[i]!.close + 1 }, series[i]!]) {
        const fresh = new AlertIndicator(ref);
        for (let j = 0; j < i; j++) fresh.update(series[j]!);
        fresh.update(forming);
        expect(live.peek(forming)).toBe(fresh.value);
      }
      const before = live.value;
      live.peek({ close: 1e6, high: 1e6, low: 0 });
      expect(Object.is(live.value, before)).toBe(true);
      live.update(series[i]!);
    }
  });
});
