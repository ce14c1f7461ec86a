import { describe, expect, it } from "vitest";
import { AlertEngine } from "./engine.ts";
import { parseRule, parseRules } from "./rule.ts";
import { compileTemplate, renderTemplate } from "./template.ts";

const base = { id: "r1", venue: "kraken", symbol: "BTC/USD", timeframe: "1m", frequency: "once_per_bar_close", condition: { type: "price", op: "crosses", value: "43500.00" }, deliver: { desktop: true } };

describe("rule validation names the field", () => {
  it.each([
    [{ condition: { type: "indicator", indicator: "vwapx", args: [3], op: "above", value: 1 } }, /^rule\.condition\.indicator: must be one of sma, ema/],
    [{ condition: { type: "indicator", indicator: "rsi", args: [0], op: "above", value: 1 } }, /^rule\.condition\.indicator: ta\.rsi: period/],
    [{ condition: { type: "indicator", indicator: "macd", args: [], output: "nope", op: "above", value: 1 } }, /^rule\.condition\.indicator: macd has outputs/],
    [{ deliver: { desktop: true, webhook: { url: "ftp://x" } } }, /^rule\.deliver\.webhook\.url: must be an http\(s\) URL$/],
    [{ message: "{{symbol}} {{colour}}" }, /^rule\.message: unknown placeholder \{\{colour\}\}$/],
    [{ message: "{{order.side}}" }, /^rule\.message: unknown placeholder \{\{order\.side\}\}$/],
    [{ condition: { type: "price", op: "crosses", value: "1e" } }, /^rule\.condition\.value: must be a decimal string/],
    [{ frequency: "every_seconds" }, /^rule\.everySeconds: /],
    [{ expires: "next friday" }, /^rule\.expires: must be an ISO 8601 UTC time/],
    [{ condition: { type: "channel", op: "entering", low: "5", high: "4" } }, /^rule\.condition\.low: /],
    [{ condition: { type: "move", op: "up", by: "-1%", bars: 3 } }, /^rule\.condition\.by: /],
    [{ timeframe: "3m" }, /^rule\.timeframe: must be one of/],
  ])("%j", (patch, error) => {
    expect(() => parseRule({ ...base, ...patch })).toThrow(error);
  });

  it("reads a screen rule: venue screener, symbol its universe, bar closes only; bad fields named", () => {
    const screen = { id: "s1", timeframe: "1h", condition: { type: "screen", universe: "majors", columns: "rsi_14", sort: "rsi_14:asc", top: 10 } };
    expect(parseRule(screen)).toEqual({ ...screen, venue: "screener", symbol: "majors", frequency: "once_per_bar_close", deliver: { desktop: true } });
    expect(() => parseRule({ ...screen, venue: "kraken" })).toThrow(/^rule\.venue: a screen rule's venue is "screener"/);
    expect(() => parseRule({ ...screen, frequency: "once" })).toThrow(/^rule\.frequency: a screen rule fires on bar closes only/);
    expect(() => parseRule({ ...screen, condition: { ...screen.condition, top: 0 } })).toThrow(/^rule\.condition\.top: /);
    expect(() => parseRule({ ...screen, condition: { ...screen.condition, universe: "" } })).toThrow(/^rule\.condition\.universe: /);
  });

  it("reads expiry as UTC (a time without a zone too) or UTC ms", () => {
    expect(parseRule({ ...base, expires: "2026-01-01T00:00:00Z" }).expires).toBe(Date.UTC(2026, 0, 1));
    expect(parseRule({ ...base, expires: "2026-01-01" }).expires).toBe(Date.UTC(2026, 0, 1));
    expect(parseRule({ ...base, expires: Date.UTC(2026, 0, 1) }).expires).toBe(Date.UTC(2026, 0, 1));
  });

  it("refuses an unknown symbol when the instruments are known", () => {
    expect(() => parseRule(base, { knownSymbol: (_v, s) => s === "ETH/USD" })).toThrow("rule.symbol: BTC/USD is not an instrument of kraken");
    expect(parseRule(base, { knownSymbol: () => undefined }).symbol).toBe("BTC/USD");
  });

  it("reads one rule or an array, with the index in errors and unique ids", () => {
    expect(parseRules(JSON.stringify(base))).toHaveLength(1);
    expect(() => parseRules(JSON.stringify([base, { ...base, id: "r2", symbol: 5 }]))).toThrow(/^rule\[1\]\.symbol: /);
    expect(() => parseRules(JSON.stringify([base, base]))).toThrow("id: r1 appears twice");
  });

  it("accepts order placeholders on strategy rules, which the engine refuses (they run as strategy sessions in core)", () => {
    const r = parseRule({ ...base, condition: { type: "strategy", strategy: "sma-cross", params: { fast: 5 } }, message: "{{order.side}} {{order.size}} @ {{order.price}}" });
    const engine = new AlertEngine({ fire: () => undefined, pause: () => undefined });
    expect(() => engine.add(r)).toThrow(/strategy rules run as strategy sessions in core/);
  });

  it("renders placeholders, spaces inside the braces allowed", () => {
    expect(renderTemplate("{{ symbol }} at {{close}}", { symbol: "BTC/USD", close: "1.5" })).toBe("BTC/USD at 1.5");
  });

  it("a compiled template renders as renderTemplate does, asking only for the placeholders it uses", () => {
    const values: Record<string, string> = { symbol: "BTC/USD", close: "1.5", rule: "r1" };
    for (const t of ["{{ symbol }} at {{close}}", "plain", "{{rule}}{{rule}}: {{ value }}!", "", "{{close}}"]) {
      const asked: string[] = [];
      const compiled = compileTemplate(t);
      expect(compiled.render((name) => (asked.push(name), values[name]))).toBe(renderTemplate(t, values));
      expect(new Set(asked)).toEqual(compiled.names);
      // Fixed values are filled in when it is compiled; only the others are asked for.
      const fixed = compileTemplate(t, (name) => (name === "rule" || name === "symbol" ? values[name] : undefined));
      const askedFixed: string[] = [];
      expect(fixed.render((name) => (askedFixed.push(name), values[name]))).toBe(renderTemplate(t, values));
      expect(askedFixed.filter((name) => name === "rule" || name === "symbol")).toEqual([]);
    }
  });
});
