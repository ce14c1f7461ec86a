/**
 * A saved backtest result (`SavedBacktestResult`) written as JSON text from the sandbox's own JSON
 * texts of the trades and orders, without parsing them: `JSON.stringify` of what `JSON.parse` read
 * from `JSON.stringify`'s output is that output again, so the text is byte for byte
 * `JSON.stringify({ finalEquity, cash, metrics, trades, orders, equityCurve })`. In three parts (the
 * small fields before the trades, the trades and orders, the equity curve after them) so a worker
 * can compress the large middle while it still computes the metrics of the first.
 */
import type { EquityCurve } from "./equity-curve.ts";
import type { Metrics } from "./results.ts";

/** The three parts of a saved result's JSON text, in order. */
export interface SavedResultParts {
  head: string;
  middle: string;
  tail: string;
}

/** JSON of a field's value spliced into a hand-written object text (`null` for undefined, as a property would be dropped). */
export const jsonField = (v: unknown): string => JSON.stringify(v) ?? "null";

/** Everything before the trades' text: `{"finalEquity":…,"cash":…,"metrics":…,"trades":`. */
export function savedResultHead(r: { finalEquity: number; cash: number; metrics: Metrics }): string {
  return `{"finalEquity":${jsonField(r.finalEquity)},"cash":${jsonField(r.cash)},"metrics":${jsonField(r.metrics)},"trades":`;
}

/** The text between the trades' and the orders' texts. */
export const SAVED_ORDERS_KEY = ',"orders":';

/** The trades' and orders' texts with the key between them. */
export function savedResultMiddle(tradesJson: string, ordersJson: string): string {
  return tradesJson + SAVED_ORDERS_KEY + ordersJson;
}

/** Everything after the orders' text: `,"equityCurve":…}`. */
export function savedResultTail(equityCurve: EquityCurve): string {
  return `,"equityCurve":${jsonField(equityCurve)}}`;
}
