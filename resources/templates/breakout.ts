// Channel breakout: go long with `fraction` of equity when the close breaks above the highest high
// of the last `entry` bars, exit when it falls below the lowest low of the last `exit` bars
// (Donchian style).
import { defineStrategy } from "workstation";

export default defineStrategy({
  params: { entry: 20, exit: 10, fraction: 0.95 },
  setup: ({ params, ta }) => ({ upper: ta.highest(params.entry), lower: ta.lowest(params.exit), prevUpper: NaN, prevLower: NaN }),
  onBar(bar, ctx, s) {
    // Compare with the channel of the bars before this one, then add this bar.
    if (ctx.position.size === 0 && ctx.openOrders.length === 0 && bar.close > s.prevUpper) {
      const size = ctx.sizeFor(ctx.params.fraction);
      if (size > 0) ctx.buy(size);
    } else if (ctx.position.size > 0 && bar.close < s.prevLower) ctx.close();
    s.prevUpper = s.upper.update(bar.high);
    s.prevLower = s.lower.update(bar.low);
  },
});
