import { describe, expect, it } from "vitest";
import { allocateBars, type BarColumns } from "../../common/market/bars.ts";
import { withBarsFile } from "./bars-handoff.ts";
import { checkBars, dataFacts, fileFacts } from "./data.ts";

const MIN = 60_000;

/** Minute bars over more than one read block, with gaps at and around the block boundary. */
function series(n: number): BarColumns {
  const bars = allocateBars("BTC/USD", n);
  let t = 1_700_000_000_000;
  for (let i = 0; i < n; i++) {
    t += i === 65_536 || i === 100 || i === 69_999 ? 7 * MIN : MIN;
    bars.time[i] = t;
    bars.open[i] = 100 + (i % 7);
    bars.high[i] = 101 + (i % 7);
    bars.low[i] = 99 + (i % 7);
    bars.close[i] = 100.5 + (i % 7);
    bars.volume[i] = i % 3;
  }
  return bars;
}

const viaFile = (bars: BarColumns, tf?: number) => withBarsFile(bars, async (ref) => fileFacts(ref, tf));

describe("facts of a hand-off file", () => {
  it("match the facts and checks of the columns, with and without a timeframe", async () => {
    const bars = series(70_000);
    for (const tf of [undefined, MIN]) {
      const got = await viaFile(bars, tf);
      expect(got).toEqual({ facts: dataFacts(bars, tf), problem: null });
      expect(got.facts.gaps).toBe(3);
    }
  });

  it("report the same problem as the columns, across a block boundary", async () => {
    const unsorted = series(70_000);
    unsorted.time[65_536] = unsorted.time[65_535]!;
    const nan = series(70_000);
    nan.close[68_000] = Number.NaN;
    for (const bars of [unsorted, nan]) {
      const problem = checkBars(bars);
      expect(problem).not.toBeNull();
      expect((await viaFile(bars)).problem).toBe(problem);
    }
  });

  it("handle an empty file", async () => {
    const bars = allocateBars("X", 0);
    expect(await viaFile(bars)).toEqual({ facts: dataFacts(bars), problem: null });
  });
});
