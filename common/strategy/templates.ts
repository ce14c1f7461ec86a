/** Starting points for new strategies (the editor's menu, the assistant's example): SMA crossover, RSI mean reversion, breakout. */

/** A template: a name and its TypeScript source. */
export interface StrategyTemplate {
  id: string;
  name: string;
  source: string;
}

const SMA = `import { defineStrategy } from "workstation";

/** Long with \`fraction\` of equity when the fast SMA crosses above the slow one; flat when it crosses back below. */
export default defineStrategy({
  params: { fast: 10, slow: 30, fraction: 0.95 },
  setup: ({ params, ta }) => ({ fast: ta.sma(params.fast), slow: ta.sma(params.slow) }),
  onBar(bar, ctx, s) {
    s.fast.update(bar.close);
    s.slow.update(bar.close);
    if (ctx.ta.crossover(s.fast, s.slow) && ctx.position.size === 0) ctx.buy(ctx.sizeFor(ctx.params.fraction));
    if (ctx.ta.crossunder(s.fast, s.slow) && ctx.position.size > 0) ctx.close();
  },
});
`;

const RSI = `import { defineStrategy } from "workstation";

/** Buys \`fraction\` of equity when RSI is oversold, sells when it recovers above the exit level. */
export default defineStrategy({
  params: { period: 14, oversold: 30, exit: 55, fraction: 0.95 },
  setup: ({ params, ta }) => ({ rsi: ta.rsi(params.period) }),
  onBar(bar, ctx, s) {
    const rsi = s.rsi.update(bar.close);
    if (Number.isNaN(rsi)) return;
    if (rsi < ctx.params.oversold && ctx.position.size === 0 && ctx.openOrders.length === 0) ctx.buy(ctx.sizeFor(ctx.params.fraction));
    else if (rsi > ctx.params.exit && ctx.position.size > 0) ctx.close();
  },
});
`;

const BREAKOUT = `import { defineStrategy } from "workstation";

/** Buys \`fraction\` of equity on a break above the highest high of the lookback, with a stop at the lowest low. */
export default defineStrategy({
  params: { lookback: 20, fraction: 0.95 },
  setup: ({ params, ta }) => ({ high: ta.highest(params.lookback), low: ta.lowest(params.lookback) }),
  onBar(bar, ctx, s) {
    const prevHigh = s.high.value;
    const prevLow = s.low.value;
    s.high.update(bar.high);
    s.low.update(bar.low);
    if (Number.isNaN(prevHigh)) return;
    if (bar.close > prevHigh && ctx.position.size === 0 && ctx.openOrders.length === 0) ctx.buy(ctx.sizeFor(ctx.params.fraction), { stopLoss: prevLow });
    else if (bar.close < prevLow && ctx.position.size > 0) ctx.close();
  },
});
`;

/** The templates, in menu order. */
export const TEMPLATES: readonly StrategyTemplate[] = [
  { id: "sma-crossover", name: "SMA crossover", source: SMA },
  { id: "rsi-mean-reversion", name: "RSI mean reversion", source: RSI },
  { id: "breakout", name: "Breakout", source: BREAKOUT },
];
