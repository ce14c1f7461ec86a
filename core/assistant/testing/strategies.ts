/**
 * Strategy sources for the assistant's scenario tests: the example (buy when the 1-hour
 * RSI drops under 25, sell after a 3 % gain), and the same with a type error on line 8.
 */

/** Type-checks and runs. */
export const RSI_DIP = `import { defineStrategy } from "workstation";

export default defineStrategy({
  params: { period: 14, entry: 25, target: 0.03, size: 1 },
  setup: ({ params, ta }) => ({ rsi: ta.rsi(params.period) }),
  onBar(bar, ctx, s) {
    const r = s.rsi.update(bar.close);
    if (ctx.position.size === 0 && r < ctx.params.entry) ctx.buy(ctx.params.size);
    else if (ctx.position.size > 0 && bar.close >= ctx.position.avgPrice * (1 + ctx.params.target)) ctx.close();
  },
});
`;

/** The same strategy with a misspelt method on line 7 (a type error, not a syntax error). */
export const RSI_DIP_TYPO = RSI_DIP.replace("s.rsi.update(bar.close)", "s.rsi.updat(bar.close)");

/** Deterministic hourly bars for 2024 as a generic OHLCV CSV (a seeded random walk with dips). */
export function hourlyCsv2024(): string {
  const lines = ["time,open,high,low,close,volume"];
  let seed = 42;
  const rand = (): number => {
    seed = (seed * 1_103_515_245 + 12_345) % 2_147_483_648;
    return seed / 2_147_483_648;
  };
  let price = 42_000;
  const start = Date.UTC(2024, 0, 1);
  for (let i = 0; i < 366 * 24; i++) {
    const open = price;
    const close = Math.max(1000, open * (1 + (rand() - 0.5) * 0.02));
    const high = Math.max(open, close) * (1 + rand() * 0.003);
    const low = Math.min(open, close) * (1 - rand() * 0.003);
    lines.push(`${new Date(start + i * 3_600_000).toISOString()},${open.toFixed(2)},${high.toFixed(2)},${low.toFixed(2)},${close.toFixed(2)},${(10 + rand() * 5).toFixed(3)}`);
    price = close;
  }
  return `${lines.join("\n")}\n`;
}
