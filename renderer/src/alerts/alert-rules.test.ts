import { describe, expect, it } from "vitest";
import type { AlertLogEntry, AlertRuleRow } from "../../../common/api/alerts.ts";
import { parseRule } from "../../../common/alerts/rule.ts";
import { alertLines, crossingRule, filterLog, indicatorRule, levelAt, notificationOf, strategyAlertForm, strategyAlertRule } from "./alert-rules.ts";

const btc = { venue: "kraken", symbol: "BTC/USD" };

describe("alerts UI helpers", () => {
  it("a right-click makes a valid crossing rule at the chart's precision", () => {
    expect(levelAt(43499.996, 2)).toBe("43500.00");
    const rule = crossingRule(btc, "1m", "43500.00", 1_700_000_000_000);
    expect(parseRule(rule).condition).toEqual({ type: "price", op: "crosses", value: "43500" });
    expect(rule).toMatchObject({ venue: "kraken", symbol: "BTC/USD", timeframe: "1m", frequency: "once_per_bar_close", condition: { type: "price", op: "crosses", value: "43500.00" } });
  });

  it("an indicator chip makes a valid indicator rule", () => {
    const rsi = indicatorRule(btc, "5m", { id: 1, kind: "rsi", period: 14 }, "crosses_down", 30, 1);
    expect(parseRule(rsi).condition).toEqual({ type: "indicator", indicator: "rsi", args: [14], op: "crosses_down", value: 30 });
    const bb = indicatorRule(btc, "5m", { id: 2, kind: "bbands", period: 20, param2: 2.5 }, "above", 100, 1);
    expect(parseRule(bb).condition).toMatchObject({ indicator: "bbands", args: [20, 2.5], output: "middle" });
    expect(() => parseRule(indicatorRule(btc, "1h", { id: 3, kind: "macd", period: 12, param2: 26, param3: 9 }, "crosses", 0, 1))).not.toThrow();
  });

  it("the editor's strategy alert form makes a valid strategy rule for the open strategy; bad params are one line", () => {
    const form = strategyAlertForm("SMA crossover", btc, "5m", 1);
    expect(form).toMatchObject({ id: "SMAcrossover-1", venue: "kraken", symbol: "BTC/USD", timeframe: "5m", frequency: "once_per_bar_close", params: "" });
    const plain = strategyAlertRule("SMA crossover", form);
    expect("rule" in plain && parseRule(plain.rule)).toMatchObject({ condition: { type: "strategy", strategy: "SMA crossover" }, deliver: { desktop: true } });
    const full = strategyAlertRule("SMA crossover", { ...form, params: '{"fast": 5}', message: "{{order.side}} {{order.size}}" });
    expect("rule" in full && parseRule(full.rule)).toMatchObject({ condition: { params: { fast: 5 } }, message: "{{order.side}} {{order.size}}" });
    expect(strategyAlertRule("x", { ...form, params: "{fast" })).toEqual({ error: "params: not valid JSON" });
    expect(strategyAlertRule("x", { ...form, params: "[1]" })).toEqual({ error: 'params: must be a JSON object, e.g. {"fast": 10}' });
    expect(strategyAlertForm("", null, "1m", 35).id).toBe("strategy-z");
  });

  it("draws lines for active price and channel alerts of the shown instrument only", () => {
    const row = (rule: Record<string, unknown>, paused: string | null = null): AlertRuleRow => ({
      rule: parseRule({ id: "x", venue: "kraken", symbol: "BTC/USD", timeframe: "1m", frequency: "once", deliver: { desktop: true }, ...rule }),
      paused, firedOnce: false, evaluatedFrom: null, evaluatedUntil: null, createdAt: 0,
    });
    const rows = [
      row({ condition: { type: "price", op: "crosses_up", value: "43500" } }),
      row({ condition: { type: "channel", op: "entering", low: "1", high: "2" } }),
      row({ condition: { type: "price", op: "above", value: "9" } }, "paused by the user"),
      row({ symbol: "ETH/USD", condition: { type: "price", op: "above", value: "9" } }),
    ];
    expect(alertLines(rows, btc)).toEqual([
      { price: 43500, title: "⏰ crosses up" },
      { price: 1, title: "⏰ entering low" },
      { price: 2, title: "⏰ entering high" },
    ]);
    expect(alertLines(rows, null)).toEqual([]);
  });

  it("filters the log and tags notifications per rule", () => {
    const e = (rule: string, message: string, lateMs: number | null, dead = false): AlertLogEntry => ({
      rule, message, lateMs, key: `${rule}:1`, time: 1, barTime: 0, value: "1",
      deliveries: [{ channel: "webhook", status: dead ? "dead" : "delivered", attempts: 1, error: null }],
    });
    const log = [e("a", "BTC up", null), e("b", "ETH down", 4000, true), e("a", "BTC down", null)];
    const none = { rule: "", text: "", lateOnly: false, failedOnly: false };
    expect(filterLog(log, { ...none, rule: "a" })).toHaveLength(2);
    expect(filterLog(log, { ...none, text: "down" }).map((x) => x.rule)).toEqual(["b", "a"]);
    expect(filterLog(log, { ...none, lateOnly: true }).map((x) => x.rule)).toEqual(["b"]);
    expect(filterLog(log, { ...none, failedOnly: true }).map((x) => x.rule)).toEqual(["b"]);
    expect(notificationOf(log[1]!)).toEqual({ title: "Alert: b", body: "ETH down (late 4 s)", tag: "alert-b" });
  });
});
