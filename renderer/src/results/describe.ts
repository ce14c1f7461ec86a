/**
 * What a result was run with, in one line for the results panel: the params, then cash,
 * commission, slippage and the date range (UTC days, both inclusive, as the run form takes them).
 */
import type { StrategyParams } from "../../../common/strategy/api.ts";
import type { RunSettings } from "../stores/backtest.ts";

const DAY_MS = 86_400_000;

function plain(n: number): string {
  return String(Number(n.toPrecision(10)));
}

/** "fast=12 · slow=30", or "default params" when there are none. */
export function describeParams(params: StrategyParams): string {
  const parts = Object.entries(params).map(([k, v]) => `${k}=${typeof v === "string" ? JSON.stringify(v) : String(v)}`);
  return parts.length > 0 ? parts.join(" · ") : "default params";
}

function day(ms: number): string {
  return new Date(ms).toISOString().slice(0, 10);
}

/** The range as inclusive UTC days; `to` is exclusive in the run, so its previous day is shown. */
export function describeRange(from: number | null, to: number | null): string {
  if (from === null && to === null) return "all bars";
  const last = to === null ? "last bar" : day(to % DAY_MS === 0 ? to - DAY_MS : to);
  return `${from === null ? "first bar" : day(from)} – ${last} (UTC)`;
}

/** Cash, commission (as a percent), slippage and range. */
export function describeSettings(s: RunSettings): string {
  return [
    `cash ${s.cash.toLocaleString("en-US", { maximumFractionDigits: 8 })}`,
    `commission ${plain(s.commission * 100)} %`,
    `slippage ${plain(s.slippageBps)} bps`,
    describeRange(s.from, s.to),
  ].join(" · ");
}
