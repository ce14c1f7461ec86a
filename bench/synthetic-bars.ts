/**
 * The in-memory bars the engine benchmarks share: `n` one-minute bars of a seeded multiplicative
 * random walk (a 32-bit LCG, seed 42), the same bars on every run so figures compare across runs.
 */
import { allocateBars, type BarColumns } from "../common/market/bars.ts";

/** `n` bars of the seeded walk, symbol "SYN", from 2023-11-14 22:13 UTC. */
export function syntheticBars(n: number): BarColumns {
  const bars = allocateBars("SYN", n);
  let price = 100;
  let seed = 42;
  for (let i = 0; i < n; i++) {
    seed = (seed * 1103515245 + 12345) >>> 0;
    const open = price;
    price *= 1 + (seed / 2 ** 32 - 0.5) * 0.002;
    bars.time[i] = 1_700_000_000_000 + i * 60_000;
    bars.open[i] = open;
    bars.close[i] = price;
    bars.high[i] = Math.max(open, price) * 1.0005;
    bars.low[i] = Math.min(open, price) * 0.9995;
    bars.volume[i] = 1;
  }
  return bars;
}
