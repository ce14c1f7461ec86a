/** Test helpers for alert rules: a rule builder and a runner over hand-built trades. */
import { AlertEngine, type AlertTrade } from "./engine.ts";
import { parseRule } from "./rule.ts";
import type { AlertPause, AlertRule, KeyedFire } from "./types.ts";

/** A trade of BTC/USD at `ts` and `price`. */
export function trade(ts: number, price: string): AlertTrade {
  return { symbol: "BTC/USD", price, size: "1", ts };
}

/** A validated rule on kraken BTC/USD 1m with the given parts. */
export function rule(parts: Record<string, unknown>): AlertRule {
  return parseRule({ id: "r1", venue: "kraken", symbol: "BTC/USD", timeframe: "1m", frequency: "once_per_bar_close", deliver: { desktop: true }, ...parts });
}

/** Runs rules over trades (then flushes, like the end of a replay file); returns fires and pauses. */
export function run(rules: AlertRule[], trades: AlertTrade[], flush = true): { fires: KeyedFire[]; pauses: AlertPause[] } {
  const fires: KeyedFire[] = [];
  const pauses: AlertPause[] = [];
  const engine = new AlertEngine({ fire: (f) => fires.push(f), pause: (p) => pauses.push(p) });
  for (const r of rules) engine.add(r);
  for (const t of trades) engine.onTrade("kraken", t);
  if (flush) engine.flush();
  return { fires, pauses };
}

/** Trades closing one 1m bar per price, each at second 10 of its minute (bar i opens at i minutes). */
export function closes(prices: string[]): AlertTrade[] {
  return prices.map((p, i) => trade(i * 60_000 + 10_000, p));
}
