/**
 * The benchmark data file: 1,000,000 one-minute bars of a seeded random walk with 4-decimal
 * prices (`timestamp,open,high,low,close,volume`, epoch seconds), the file backtrader ran on for
 * the 44 s peer figure. Deterministic: the same seed and count give the same bytes.
 * `node bench/random-walk.ts OUT.csv [BARS]` writes it; `randomWalkCsv` returns the text.
 */
import fs from "node:fs";
import { seededRandom } from "../common/random.ts";

/** One bar's price fields at 4 decimals from a walk step (prices never fall below 1). */
function bar(prev: number, r: () => number): [number, number, number, number] {
  const open = prev;
  const close = Math.max(1, Math.round((prev + (r() - 0.5) * 0.2) * 1e4) / 1e4);
  const high = Math.round((Math.max(open, close) + r() * 0.05) * 1e4) / 1e4;
  const low = Math.max(0.5, Math.round((Math.min(open, close) - r() * 0.05) * 1e4) / 1e4);
  return [open, high, low, close];
}

/** The CSV text of `bars` one-minute bars from 2020-01-01 (seed 42 unless given). */
export function randomWalkCsv(bars: number, seed = 42): string {
  const r = seededRandom(seed);
  const lines = ["timestamp,open,high,low,close,volume"];
  let price = 100;
  const t0 = Date.UTC(2020, 0, 1) / 1000;
  for (let i = 0; i < bars; i++) {
    const [open, high, low, close] = bar(price, r);
    price = close;
    lines.push(`${t0 + i * 60},${open.toFixed(4)},${high.toFixed(4)},${low.toFixed(4)},${close.toFixed(4)},${1 + Math.floor(r() * 100)}`);
  }
  return `${lines.join("\n")}\n`;
}

if (import.meta.main) {
  const [out, count] = process.argv.slice(2);
  if (!out) {
    process.stderr.write("usage: node bench/random-walk.ts OUT.csv [BARS]\n");
    process.exit(2);
  }
  fs.writeFileSync(out, randomWalkCsv(Number(count ?? 1_000_000)));
}
