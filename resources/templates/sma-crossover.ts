// SMA crossover: long with `fraction` of equity when the fast average crosses above the slow one,
// flat when it crosses back.
import { defineStrategy } from "workstation";

export default defineStrategy({
  params: { fast: 10, slow: 30, fraction: 0.95 },
  setup: ({ params, ta }) => ({ fast: ta.sma(params.fast), slow: ta.sma(params.slow), above: false }),
  onBar(bar, ctx, s) {
    const f = s.fast.update(bar.close),
      sl = s.slow.update(bar.close);
    if (Number.isNaN(f) || Number.isNaN(sl)) return;
    const above = f > sl;
    if (above && !s.above && ctx.position.size === 0) {
      const size = ctx.sizeFor(ctx.params.fraction);
      if (size > 0) ctx.buy(size);
    }
    if (!above && s.above && ctx.position.size > 0) ctx.close();
    s.above = above;
  },
});
