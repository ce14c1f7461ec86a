import { describe, expect, it } from "vitest";
import type { AlertTrade } from "../../common/alerts/engine.ts";
import { parseRule } from "../../common/alerts/rule.ts";
import type { AlertPause, KeyedFire } from "../../common/alerts/types.ts";
import type { StrategyDefinition, StrategyParams } from "../../common/strategy/api.ts";
import { inProcessHost } from "../trading/in-process-host.ts";
import { StrategySignals } from "./strategy-signals.ts";

const trade = (ts: number, price: string): AlertTrade => ({ symbol: "BTC/USD", price, size: "1", ts });

const rule = (id: string, extra: Record<string, unknown> = {}) =>
  parseRule({ id, venue: "kraken", symbol: "BTC/USD", timeframe: "1m", frequency: "once_per_bar_close", deliver: { desktop: true }, condition: { type: "strategy", strategy: "flip" }, ...extra });

/** Buys when flat, closes when long (so it only alternates if the virtual market fills reach it); two limit orders on bar 3. */
const FLIP: StrategyDefinition<StrategyParams, unknown> = {
  params: {},
  onBar(_bar, ctx) {
    if (ctx.barIndex === 3) {
      ctx.buy(2, { type: "limit", price: 90 });
      ctx.sell(1, { type: "limit", price: 120 });
    } else if (ctx.position.size === 0) ctx.buy(0.5);
    else ctx.close();
  },
};

async function run(rules: ReturnType<typeof rule>[], prices: string[], definition = FLIP) {
  const fires: KeyedFire[] = [];
  const pauses: AlertPause[] = [];
  const signals = new StrategySignals({ fire: (f) => fires.push(f), pause: (p) => pauses.push(p) }, async () => inProcessHost(definition));
  for (const r of rules) signals.add(r);
  prices.forEach((p, i) => signals.onTrade("kraken", trade(i * 60_000 + 1_000, p)));
  signals.flush();
  await signals.drained();
  return { fires, pauses, signals };
}

describe("strategy-signal alerts", () => {
  it("each order is a fire at the closing trade with the order placeholders; market orders fill virtually so the strategy alternates; several orders in a bar get an index", async () => {
    const msg = "{{rule}} {{order.side}} {{order.size}} @ {{order.price}} close {{close}}";
    const { fires } = await run([rule("flip", { message: msg })], ["100", "101", "102", "103", "104"]);
    expect(fires.map((f) => [f.key, f.time, f.barTime, f.value, f.message])).toEqual([
      ["flip:0", 61_000, 0, "100", "flip buy 0.5 @ 100 close 100"],
      ["flip:60000", 121_000, 60_000, "101", "flip sell 0.5 @ 101 close 101"],
      ["flip:120000", 181_000, 120_000, "102", "flip buy 0.5 @ 102 close 102"],
      ["flip:180000:0", 241_000, 180_000, "90", "flip buy 2 @ 90 close 103"],
      ["flip:180000:1", 241_000, 180_000, "120", "flip sell 1 @ 120 close 103"],
      ["flip:240000", 300_000, 240_000, "104", "flip sell 0.5 @ 104 close 104"],
    ]);
  });

  it("the default message, `once`, expiry and a user pause gate the fires", async () => {
    const { fires } = await run([rule("d"), rule("once", { frequency: "once" }), rule("exp", { expires: 121_000 })], ["100", "101", "102"]);
    expect(fires.filter((f) => f.rule === "d").map((f) => f.message)).toEqual(["d: BTC/USD buy 0.5 @ 100", "d: BTC/USD sell 0.5 @ 101", "d: BTC/USD buy 0.5 @ 102"]);
    expect(fires.filter((f) => f.rule === "once").map((f) => f.key)).toEqual(["once:0"]);
    expect(fires.filter((f) => f.rule === "exp").map((f) => f.key)).toEqual(["exp:0"]);
    const paused = await run([rule("p", { frequency: "once_per_bar" })], []);
    paused.signals.setPaused("p", "paused by the user");
    expect(paused.signals.firing("p")).toEqual({ firedOnce: false, paused: "paused by the user" });
  });

  it("a rule's session takes no trade before its start (a catch-up reading further back for other rules)", async () => {
    const fires: KeyedFire[] = [];
    const signals = new StrategySignals({ fire: (f) => fires.push(f), pause: () => undefined }, async () => inProcessHost(FLIP));
    signals.add(rule("late"), undefined, 120_000);
    ["100", "101", "102", "103", "104"].forEach((p, i) => signals.onTrade("kraken", trade(i * 60_000 + 1_000, p)));
    signals.flush();
    await signals.drained();
    expect(fires.map((f) => [f.key, f.message])).toEqual([
      ["late:120000", "late: BTC/USD buy 0.5 @ 102"],
      ["late:180000", "late: BTC/USD sell 0.5 @ 103"],
      ["late:240000", "late: BTC/USD buy 0.5 @ 104"],
    ]);
  });

  it("a strategy that throws, or cannot be loaded, pauses its rule with the reason and fires nothing more", async () => {
    const boom: StrategyDefinition<StrategyParams, unknown> = { params: {}, onBar: (_b, ctx) => (ctx.barIndex === 1 ? (() => { throw new Error("boom"); })() : void ctx.buy(1)) };
    const thrown = await run([rule("b")], ["100", "101", "102"], boom);
    expect(thrown.fires.map((f) => f.key)).toEqual(["b:0"]);
    expect(thrown.pauses).toMatchObject([{ rule: "b", reason: expect.stringMatching(/^the strategy stopped: .*boom/) }]);
    const pauses: AlertPause[] = [];
    const missing = new StrategySignals({ fire: () => undefined, pause: (p) => pauses.push(p) }, () => Promise.reject(new Error("no saved strategy named flip")));
    missing.add(rule("m"));
    missing.onTrade("kraken", trade(1_000, "1"));
    await missing.drained();
    expect(pauses).toEqual([{ rule: "m", time: 0, reason: "the strategy did not start: no saved strategy named flip" }]);
    expect(missing.firing("m")).toEqual({ firedOnce: false, paused: "the strategy did not start: no saved strategy named flip" });
  });
});
