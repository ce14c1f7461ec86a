/**
 * Rolling sums exact in decimal: windows whose decimal prices have exactly the same mean give the
 * same double (an exact binary sum of the same doubles does not), a crossover never fires on such a
 * tie, finer grids rescale the sum, and inputs off every grid fall back to the exact binary sum.
 */
import { describe, expect, it } from "vitest";
import { ExactSum } from "./exact.ts";
import { createTA, crossover, crossunder } from "./ta.ts";
import { Window } from "./window.ts";

const ta = createTA();
const binaryMean = (xs: number[]): number => {
  const e = new ExactSum();
  for (const x of xs) e.add(x);
  return e.mean(xs.length);
};
const windowMean = (period: number, xs: number[]): number => {
  const w = new Window(period);
  for (const x of xs) w.push(x);
  return w.mean();
};

describe("decimal-exact rolling sums", () => {
  // 100.0174 + 100.0178 = 100.033 + 100.0022 = 200.0352 in decimal; not so for the nearest doubles.
  const tieA = [100.0174, 100.0178];
  const tieB = [100.033, 100.0022];

  it("windows with the same decimal mean give the same double, where an exact binary sum does not", () => {
    expect(binaryMean(tieA)).not.toBe(binaryMean(tieB));
    const a = ta.sma(2);
    const b = ta.sma(2);
    tieA.forEach((x) => a.update(x));
    tieB.forEach((x) => b.update(x));
    expect(a.value).toBe(b.value);
    expect(a.value).toBe(100.0176);
  });

  it("a hand-built series whose fast and slow decimal SMAs tie: equal, and no crossover fires", () => {
    const fast = ta.sma(2);
    const slow = ta.sma(4);
    // The bar before, fast (100.0098) is above slow (99.98815); then they tie. Binary sums put fast
    // an ulp below slow there, and crossunder would fire on that noise.
    const series = [100.05, 99.9, ...tieB, ...tieA];
    let fired = 0;
    for (const x of series) {
      fast.update(x);
      slow.update(x);
      if (crossover(fast, slow) || crossunder(fast, slow)) fired++;
    }
    // (100.033 + 100.0022 + 100.0174 + 100.0178) / 4 = 100.0176 = (100.0174 + 100.0178) / 2
    expect(slow.value).toBe(fast.value);
    expect(fired).toBe(0);
  });

  it("a finer grid rescales the sum; the mean is one correctly rounded division", () => {
    expect(windowMean(3, [1, 2.5, 0.125])).toBe(3625 / 3000);
    expect(windowMean(2, [0.1, 0.2, 0.3, 0.00000001])).toBe(30000001 / 200000000);
  });

  it("an input off every decimal grid switches the window to the exact binary sum", () => {
    const offGrid = 0.1 + 0.2; // 0.30000000000000004
    expect(windowMean(3, [0.5, offGrid, 0.25])).toBe(binaryMean([0.5, offGrid, 0.25]));
    expect(windowMean(2, [0.5, offGrid, 0.25, 0.75])).toBe(0.5);
  });

  it("a sum that would pass 2^51 scaled falls back to the binary sum and stays exact", () => {
    const big = [9e12 + 0.5, 9e12 + 0.25, 9e12 + 0.75];
    expect(windowMean(3, big)).toBe(binaryMean(big));
  });
});
