/**
 * The reused bar view: used only when onBar provably just reads its bar's fields; a strategy that
 * stores, spreads or passes on its bar gets real snapshots, and both paths give the same results.
 */
import { describe, expect, it } from "vitest";
import type { Bar, StrategyContext, StrategyDefinition, StrategyParams } from "../api.ts";
import { BarView, onBarOnlyReadsFields } from "./bar-view.ts";
import { backtest, flatBars } from "./test-helpers.ts";

type Def = StrategyDefinition<StrategyParams, { seen: Bar[]; n: number }>;

describe("onBarOnlyReadsFields", () => {
  it.each([
    ["reads fields", "onBar(bar, ctx, s) {\n  const f = s.fast.update(bar.close), sl = s.slow.update(bar.close);\n  if (f > sl) ctx.buy(1);\n}"],
    ["compares fields", "function (bar, ctx) { if (bar.high === bar.low) ctx.log(bar.time); }"],
    ["takes no bar", "onBar() { return; }"],
    ["has a state property named like the bar", "onBar(bar, ctx, s) { s.bar = bar.close; }"],
  ])("true when onBar %s", (_what, text) => {
    expect(onBarOnlyReadsFields(new Function(`return ({ ${text.startsWith("function") ? `onBar: ${text}` : text} }).onBar;`)())).toBe(true);
  });

  it.each([
    ["stores the bar", "onBar(bar, ctx, s) { s.last = bar; }"],
    ["pushes the bar", "onBar(bar, ctx, s) { s.seen.push(bar); }"],
    ["spreads the bar", "onBar(bar, ctx, s) { s.copy = { ...bar }; }"],
    ["passes the bar on", "onBar(bar, ctx, s) { s.atr.update(bar); }"],
    ["closes over the bar", "onBar(bar, ctx, s) { s.later = () => bar.close; }"],
    ["has a nested method", "onBar(bar, ctx, s) { s.o = { f() { return bar.close; } }; }"],
    ["assigns a field", "onBar(bar) { bar.close = 1; }"],
    ["destructures its parameter", "onBar({ close }, ctx) { ctx.log(close); }"],
    ["uses arguments", "onBar(bar, ctx, s) { s.a = arguments[0].close; }"],
    ["uses eval", "onBar(bar, ctx, s) { s.x = eval('bar'); }"],
    ["names the bar in a string", "onBar(bar, ctx) { ctx.log('bar', bar.close); }"],
  ])("false when onBar %s", (_what, text) => {
    expect(onBarOnlyReadsFields(new Function(`return ({ ${text} }).onBar;`)())).toBe(false);
  });

  it("false for bound and native functions and non-functions", () => {
    const stores = function (this: unknown, bar: Bar) {
      (this as { bars: Bar[] }).bars.push(bar);
    };
    expect(onBarOnlyReadsFields(stores.bind({ bars: [] }))).toBe(false);
    expect(onBarOnlyReadsFields(Math.max)).toBe(false);
    expect(onBarOnlyReadsFields(undefined)).toBe(false);
  });
});

describe("bars a strategy sees", () => {
  const closes = [10, 11, 12, 13, 14];

  it("a stored or spread bar is a real snapshot of its own bar", () => {
    const stored: Def = { params: {}, setup: () => ({ seen: [], n: 0 }), onBar: (bar, _ctx, s) => void s.seen.push(bar) };
    const spread: Def = { params: {}, setup: () => ({ seen: [], n: 0 }), onBar: (bar, _ctx, s) => void s.seen.push({ ...bar }) };
    for (const def of [stored, spread]) {
      let state: { seen: Bar[] } | null = null;
      const setup = def.setup!;
      backtest({ ...def, setup: (a) => (state = setup(a)) }, flatBars(closes));
      expect(state!.seen.map((b) => b.close)).toEqual(closes);
      expect(state!.seen.map((b) => b.time)).toEqual([0, 60_000, 120_000, 180_000, 240_000]);
    }
  });

  it("a strategy that only reads fields gets the reused view, with the same results as fresh bars", () => {
    const seen = new Set<unknown>();
    const logic = (close: number, ctx: StrategyContext, n: number): void => {
      if (n === 1 && close > 10) ctx.buy(1);
      if (n === 3) ctx.close();
    };
    const viaView: Def = {
      params: {},
      onBar(bar, ctx) {
        logic(bar.close, ctx, ctx.barIndex);
      },
    };
    const viaSnapshot: Def = {
      params: {},
      onBar(bar, ctx) {
        seen.add(bar);
        logic(bar.close, ctx, ctx.barIndex);
      },
    };
    expect(onBarOnlyReadsFields(viaView.onBar)).toBe(true);
    expect(onBarOnlyReadsFields(viaSnapshot.onBar)).toBe(false);
    const a = backtest(viaView, flatBars(closes));
    const b = backtest(viaSnapshot, flatBars(closes));
    expect(seen.size).toBe(closes.length);
    expect(a.trades).toEqual(b.trades);
    expect(Array.from(a.equity)).toEqual(Array.from(b.equity));
  });

  it("a view reads the columns at its index and serialises as a plain bar", () => {
    const view = new BarView({ ...flatBars(closes), symbol: "T" });
    view.index = 3;
    expect([view.close, view.time, view.symbol]).toEqual([13, 180_000, "T"]);
    expect(JSON.parse(JSON.stringify(view))).toEqual({ time: 180_000, open: 13, high: 13, low: 13, close: 13, volume: 1, symbol: "T" });
  });
});
