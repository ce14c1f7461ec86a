// RSI mean reversion: buy `riskFraction` of equity when RSI dips below `oversold`, sell when it
// rises above `exit`, with a protective stop-loss a few ATRs under the entry.
import { defineStrategy } from "workstation";

export default defineStrategy({
  params: { period: 14, oversold: 30, exit: 55, atrPeriod: 14, atrStop: 3, riskFraction: 0.95 },
  setup: ({ params, ta }) => ({ rsi: ta.rsi(params.period), atr: ta.atr(params.atrPeriod) }),
  onBar(bar, ctx, s) {
    const rsi = s.rsi.update(bar.close);
    const atr = s.atr.update(bar);
    if (Number.isNaN(rsi) || Number.isNaN(atr)) return;
    if (ctx.position.size === 0 && ctx.openOrders.length === 0 && rsi < ctx.params.oversold) {
      const size = ctx.sizeFor(ctx.params.riskFraction);
      if (size > 0) ctx.buy(size, { stopLoss: bar.close - ctx.params.atrStop * atr, tag: "rsi-entry" });
    } else if (ctx.position.size > 0 && rsi > ctx.params.exit) {
      ctx.close();
    }
  },
});
