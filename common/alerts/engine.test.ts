import { describe, expect, it } from "vitest";
import { createTA } from "../strategy/engine/ta.ts";
import { closes, rule, run, trade } from "./test-util.ts";

const M = 60_000;

describe("price conditions on closed bars", () => {
  it("crosses_up fires when the previous close ≤ level and this close > level, at the closing trade's time", () => {
    const { fires } = run([rule({ condition: { type: "price", op: "crosses_up", value: "100" } })], closes(["99", "100", "101", "102", "99"]));
    expect(fires.map((f) => [f.barTime, f.time, f.value])).toEqual([[2 * M, 3 * M + 10_000, "101"]]);
    expect(fires[0]!.key).toBe(`r1:${2 * M}`);
  });

  it("crosses_down, crosses, above and below", () => {
    const prices = ["101", "100", "99", "101", "100.5"];
    const at = (op: string): number[] => run([rule({ condition: { type: "price", op, value: "100" } })], closes(prices)).fires.map((f) => f.barTime / M);
    expect(at("crosses_down")).toEqual([2]);
    expect(at("crosses")).toEqual([2, 3]);
    expect(at("above")).toEqual([0, 3, 4]);
    expect(at("below")).toEqual([2]);
  });

  it("uses a level off the tick grid as given", () => {
    const r = rule({ condition: { type: "price", op: "above", value: "43300.005" } });
    expect(r.condition).toMatchObject({ value: "43300.005" });
    expect(run([r], closes(["43300", "43300.01", "43300.005"])).fires.map((f) => f.value)).toEqual(["43300.01"]);
  });

  it("the last bar of a replay closes at its end", () => {
    const { fires } = run([rule({ condition: { type: "price", op: "above", value: "1" } })], [trade(5 * M + 1, "2")]);
    expect(fires).toMatchObject([{ barTime: 5 * M, time: 6 * M }]);
  });
});

describe("frequency", () => {
  // Bar 0 closes 100; bar 1 trades 99, then 101 (crosses 100.5 intrabar), then un-crosses to 99.5.
  const uncross = [trade(10_000, "100"), trade(M + 1000, "99"), trade(M + 2000, "101"), trade(M + 3000, "99.5"), trade(2 * M + 1000, "99")];
  const cond = { type: "price", op: "crosses_up", value: "100.5" };

  it("once per bar close never fires on an intrabar cross that un-crosses", () => {
    expect(run([rule({ condition: cond })], uncross).fires).toEqual([]);
  });

  it("once per bar fires inside the bar, once", () => {
    const { fires } = run([rule({ condition: cond, frequency: "once_per_bar" })], [...uncross.slice(0, 3), trade(M + 2500, "102"), ...uncross.slice(3)]);
    expect(fires.map((f) => [f.barTime, f.time, f.value])).toEqual([[M, M + 2000, "101"]]);
  });

  it("once fires a single time ever", () => {
    const { fires } = run([rule({ condition: { type: "price", op: "above", value: "1" }, frequency: "once" })], closes(["2", "3", "4"]));
    expect(fires.map((f) => f.time)).toEqual([10_000]);
  });

  it("every_seconds fires at most every N seconds of venue time", () => {
    const trades = [0, 5, 10, 31, 40, 61, 62].map((s) => trade(s * 1000, "2"));
    const { fires } = run([rule({ condition: { type: "price", op: "above", value: "1" }, frequency: "every_seconds", everySeconds: 30 })], trades);
    expect(fires.map((f) => f.time / 1000)).toEqual([0, 31, 61]);
    expect(new Set(fires.map((f) => f.key)).size).toBe(3);
  });

  it("does not fire at or after expiry (venue time)", () => {
    const r = rule({ condition: { type: "price", op: "above", value: "1" }, expires: "1970-01-01T00:02:00Z" });
    expect(r.expires).toBe(2 * M);
    expect(run([r], closes(["2", "2", "2", "2"])).fires.map((f) => f.barTime / M)).toEqual([0]);
  });

  it("pauses a rule after more than 15 fires in 3 minutes, with the reason", () => {
    const r = rule({ timeframe: "1s", condition: { type: "price", op: "above", value: "1" }, frequency: "once_per_bar" });
    const trades = Array.from({ length: 30 }, (_, i) => trade(i * 1000 + 1, "2"));
    const { fires, pauses } = run([r], trades);
    expect(fires).toHaveLength(16);
    expect(pauses).toEqual([{ rule: "r1", time: 15_001, reason: "flood control: 16 fires within 3 minutes" }]);
  });
});

describe("channel and move", () => {
  it("entering and exiting use inclusive bounds", () => {
    const c = (op: string) => rule({ condition: { type: "channel", op, low: "100", high: "110" } });
    const prices = ["99", "100", "110", "110.01", "111", "109"];
    expect(run([c("entering")], closes(prices)).fires.map((f) => f.barTime / M)).toEqual([1, 5]);
    expect(run([c("exiting")], closes(prices)).fires.map((f) => f.barTime / M)).toEqual([3]);
  });

  it("compares this close with the close N bars earlier, by amount or percentage", () => {
    const m = (op: string, by: string) => run([rule({ condition: { type: "move", op, by, bars: 2 } })], closes(["100", "100.5", "101.5", "100", "99.4"])).fires.map((f) => f.barTime / M);
    expect(m("up", "1.5%")).toEqual([2]);
    expect(m("up", "1.6%")).toEqual([]);
    expect(m("down", "2.2")).toEqual([]);
    expect(m("down", "2.1")).toEqual([4]);
    expect(m("up", "1.5")).toEqual([2]);
  });
});

describe("indicator conditions use the strategy library", () => {
  const prices = ["50", "52", "51", "49", "46", "44", "45", "43", "40", "38", "41", "44", "47", "46", "49", "52"];

  function expected(check: (a: { prev: number; value: number }, b: { prev: number; value: number }) => boolean, fastP: number, slowP: number): number[] {
    const ta = createTA();
    const a = ta.ema(fastP);
    const b = ta.ema(slowP);
    const out: number[] = [];
    prices.forEach((p, i) => {
      a.update(Number(p));
      b.update(Number(p));
      if (check(a, b)) out.push(i);
    });
    return out;
  }

  it("EMA(2) crosses above EMA(4) exactly where ta.crossover says", () => {
    const r = rule({ condition: { type: "indicator", indicator: "ema", args: [2], op: "crosses_up", than: { indicator: "ema", args: [4] } } });
    const want = expected((a, b) => createTA().crossover(a, b), 2, 4);
    expect(want.length).toBeGreaterThan(0);
    expect(run([r], closes(prices)).fires.map((f) => f.barTime / M)).toEqual(want);
  });

  it("RSI(3) crosses below 30 on Wilder's RSI, value is the indicator's", () => {
    const ta = createTA();
    const rsi = ta.rsi(3);
    const want: [number, number][] = [];
    prices.forEach((p, i) => {
      rsi.update(Number(p));
      if (ta.crossunder(rsi, 30)) want.push([i, rsi.value]);
    });
    expect(want.length).toBeGreaterThan(0);
    const r = rule({ condition: { type: "indicator", indicator: "rsi", args: [3], op: "crosses_down", value: 30 } });
    expect(run([r], closes(prices)).fires.map((f) => [f.barTime / M, f.value])).toEqual(want);
  });

  it("intrabar evaluation of an indicator leaves its closed-bar state untouched", () => {
    const spiky = closes(prices).flatMap((t) => [trade(t.ts - 5000, "1000"), t]);
    const r = (frequency: string) => rule({ frequency, condition: { type: "indicator", indicator: "sma", args: [3], op: "crosses_up", value: 45 } });
    const clean = run([r("once_per_bar_close")], closes(prices)).fires;
    const noisy = run([r("once_per_bar_close")], spiky).fires;
    expect(noisy.map((f) => [f.barTime, f.value])).toEqual(clean.map((f) => [f.barTime, f.value]));
    const intrabar = run([r("once_per_bar")], spiky).fires;
    expect(intrabar.length).toBeGreaterThan(0);
  });
});
