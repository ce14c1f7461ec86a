import { describe, expect, it } from "vitest";
import { Adx, AwesomeOscillator, BullBearPower, Cci, Momentum, Stochastic, UltimateOscillator, WilliamsR, type BarSeries, type HlcBar } from "./oscillators.ts";

// Five bars (high, low, close); every expected value below is computed by hand in the comments.
const BARS: HlcBar[] = [
  { high: 10, low: 8, close: 9 },
  { high: 12, low: 9, close: 11 },
  { high: 11, low: 7, close: 8 },
  { high: 13, low: 10, close: 12 },
  { high: 14, low: 11, close: 11 },
];

const feed = (ind: BarSeries, bars: HlcBar[]): number[] => bars.map((b) => ind.update(b));

describe("rating oscillators against hand-computed values", () => {
  it("Momentum(2): close minus the close two bars ago", () => {
    const values = feed(new Momentum(2), BARS);
    expect(values.slice(0, 2).every(Number.isNaN)).toBe(true);
    expect(values.slice(2)).toEqual([8 - 9, 12 - 11, 11 - 8]);
  });

  it("Williams %R(3): -100·(HH − close)/(HH − LL) = -100·(12 − 8)/(12 − 7) = -80 on bar 3", () => {
    const values = feed(new WilliamsR(3), BARS);
    expect(values[1]).toBeNaN();
    expect(values[2]).toBeCloseTo(-80, 10);
  });

  it("Stochastic(3,2,2): raw %K 20, 83.33, 57.14 → %K 51.67, 70.24 → %D 60.95", () => {
    const stoch = new Stochastic(3, 2, 2);
    const k = feed(stoch, BARS);
    expect(k[2]).toBeNaN();
    expect(k[3]).toBeCloseTo((20 + 500 / 6) / 2, 10);
    expect(k[4]).toBeCloseTo((500 / 6 + 400 / 7) / 2, 10);
    expect(stoch.d).toBeCloseTo(((20 + 500 / 6) / 2 + (500 / 6 + 400 / 7) / 2) / 2, 10);
  });

  it("CCI(3): TP 9, 32/3, 26/3 → (26/3 − 85/9)/(0.015 · 22/27) = -63.64", () => {
    const values = feed(new Cci(3), BARS);
    expect(values[1]).toBeNaN();
    expect(values[2]).toBeCloseTo(-21 / 0.33, 9);
  });

  it("ADX(2): +DI 35.29, −DI 11.76 and ADX 25 on bar 4", () => {
    const adx = new Adx(2);
    const values = feed(adx, BARS.slice(0, 4));
    expect(values[2]).toBeNaN();
    expect(values[3]).toBeCloseTo(25, 10);
    expect(adx.plusDi).toBeCloseTo(150 / 4.25, 10);
    expect(adx.minusDi).toBeCloseTo(50 / 4.25, 10);
  });

  it("Bull Bear Power(3): (11 − 28/3) + (7 − 28/3) = -2/3 on bar 3", () => {
    const values = feed(new BullBearPower(3), BARS);
    expect(values[1]).toBeNaN();
    expect(values[2]).toBeCloseTo(-2 / 3, 10);
  });

  it("Ultimate Oscillator(1,2,3): 100·(4·4/5 + 2·5/9 + 7/12)/7 on bar 4", () => {
    const values = feed(new UltimateOscillator([1, 2, 3]), BARS.slice(0, 4));
    expect(values[2]).toBeNaN();
    expect(values[3]).toBeCloseTo((100 * (4 * 0.8 + (2 * 5) / 9 + 7 / 12)) / 7, 10);
  });

  it("Awesome Oscillator: a median rising by 1 a bar gives SMA5 − SMA34 = 14.5", () => {
    const ao = new AwesomeOscillator();
    const values = Array.from({ length: 40 }, (_, i) => ao.update({ high: i + 1.5, low: i + 0.5, close: i + 1 }));
    expect(values[32]).toBeNaN();
    expect(values[33]).toBeCloseTo(14.5, 10);
    expect(values[39]).toBeCloseTo(14.5, 10);
  });

  it("skips bars with non-finite prices", () => {
    const mom = new Momentum(1);
    mom.update({ high: 1, low: 1, close: 1 });
    mom.update({ high: Number.NaN, low: 1, close: 5 });
    expect(mom.update({ high: 3, low: 3, close: 3 })).toBe(2);
  });
});
