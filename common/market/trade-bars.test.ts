import { describe, expect, it } from "vitest";
import { TradeBarClock } from "./trade-bars.ts";

const MIN = 60_000;
const t = (ts: number, price: string, size = "1") => ({ ts, price, size });

describe("TradeBarClock", () => {
  it("builds a bar from the trades of its minute, exact in decimal", () => {
    const clock = new TradeBarClock(MIN);
    clock.onTrade(t(1_000, "100.10", "0.1"));
    clock.onTrade(t(2_000, "100.30", "0.2"));
    clock.onTrade(t(3_000, "99.9", "0.3"));
    expect(clock.current).toEqual({ time: 0, open: "100.1", high: "100.3", low: "99.9", close: "99.9", volume: "0.6", trades: 3, lastTradeTime: 3_000 });
  });

  it("a trade at or after the bar's end closes it, stamped with that trade's venue time", () => {
    const clock = new TradeBarClock(MIN);
    clock.onTrade(t(59_999, "1"));
    const step = clock.onTrade(t(MIN, "2"));
    expect(step.closed).toMatchObject({ closedBy: "trade", closeTime: MIN, bar: { time: 0, close: "1" } });
    expect(clock.current?.time).toBe(MIN);
  });

  it("a minute with no trade makes no bar", () => {
    const clock = new TradeBarClock(MIN);
    clock.onTrade(t(10, "1"));
    const step = clock.onTrade(t(3 * MIN + 5, "2"));
    expect(step.closed?.bar.time).toBe(0);
    expect(clock.current?.time).toBe(3 * MIN);
    expect(clock.flush()).toMatchObject({ closedBy: "end", closeTime: 4 * MIN, bar: { time: 3 * MIN } });
    expect(clock.flush()).toBeNull();
  });

  it("live, the venue clock closes a bar at its end plus the grace, not before", () => {
    const clock = new TradeBarClock(MIN, { graceMs: 2_000 });
    clock.onTrade(t(5, "1"));
    expect(clock.onClock(MIN + 1_999)).toBeNull();
    expect(clock.onClock(MIN + 2_000)).toMatchObject({ closedBy: "clock", closeTime: MIN + 2_000, bar: { time: 0 } });
  });

  it("a trade arriving after its bar closed is counted late and does not reopen it", () => {
    const clock = new TradeBarClock(MIN);
    clock.onTrade(t(5, "1"));
    clock.onClock(MIN + 2_000);
    const step = clock.onTrade(t(59_000, "5"));
    expect(step).toEqual({ closed: null, late: true });
    expect(clock.lateTrades).toBe(1);
    expect(clock.current).toBeNull();
    expect(clock.onTrade(t(MIN + 3_000, "2")).late).toBe(false);
  });

  it("formingPrices is the forming bar's prices without a copy", () => {
    const clock = new TradeBarClock(MIN);
    expect(clock.formingPrices).toBeNull();
    clock.onTrade(t(5, "10"));
    clock.onTrade(t(6, "12.50"));
    const { volume: _volume, ...prices } = clock.current!;
    expect(clock.formingPrices).toMatchObject(prices);
    expect(clock.formingPrices).toBe(clock.formingPrices);
  });

  it("refuses bad periods and times", () => {
    expect(() => new TradeBarClock(0)).toThrow(RangeError);
    expect(() => new TradeBarClock(MIN).onTrade(t(Number.NaN, "1"))).toThrow(RangeError);
    expect(() => new TradeBarClock(MIN).onTrade(t(1, "abc"))).toThrow(/not a decimal/);
  });

  it("clocks reading the same trades in turn (one per timeframe) each sum their volume exactly", () => {
    const minute = new TradeBarClock(MIN);
    const hour = new TradeBarClock(60 * MIN);
    for (const [ts, size] of [[1, "0.1"], [2, "0.2"], [3, "0.2"], [MIN + 1, "1.5"]] as const) {
      for (const clock of [minute, hour]) clock.onTrade({ ts, price: "10", size });
    }
    expect(minute.current!.volume).toBe("1.5");
    expect(hour.current!.volume).toBe("2");
    expect(() => minute.onTrade({ ts: MIN + 2, price: "10", size: "x" })).toThrow(/not a decimal/);
    minute.onTrade({ ts: MIN + 3, price: "10", size: "0.5" });
    expect(minute.current!.volume).toBe("2");
  });
});

