/** Sorting of the trades table: by any column, ascending or descending, nulls (open trades) last. */
import type { TradeRecord } from "../../../common/strategy/results.ts";

/** Sortable columns. */
export type TradeColumn = "entryTime" | "exitTime" | "side" | "size" | "entryPrice" | "exitPrice" | "pnl" | "fees";

/** A sort order. */
export interface SortOrder {
  column: TradeColumn;
  descending: boolean;
}

/** The trades sorted (a new array; stable for equal keys). */
export function sortTrades(trades: readonly TradeRecord[], order: SortOrder): TradeRecord[] {
  const dir = order.descending ? -1 : 1;
  return trades
    .map((t, i) => ({ t, i }))
    .sort((a, b) => {
      const x = a.t[order.column], y = b.t[order.column];
      if (x === null && y === null) return a.i - b.i;
      if (x === null) return 1;
      if (y === null) return -1;
      const c = typeof x === "string" ? x.localeCompare(y as string) : (x as number) - (y as number);
      return c !== 0 ? c * dir : a.i - b.i;
    })
    .map((x) => x.t);
}

/** Clicking a header: the same column flips the direction, another column sorts ascending. */
export function nextOrder(current: SortOrder, column: TradeColumn): SortOrder {
  return current.column === column ? { column, descending: !current.descending } : { column, descending: false };
}

/** Drawdown at each point of an equity curve, as a fraction of the running peak (≤ 0). */
export function drawdown(equity: readonly number[]): number[] {
  let peak = Number.NEGATIVE_INFINITY;
  return equity.map((e) => {
    peak = Math.max(peak, e);
    return peak > 0 ? e / peak - 1 : 0;
  });
}
