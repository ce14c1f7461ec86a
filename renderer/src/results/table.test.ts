import { describe, expect, it } from "vitest";
import type { TradeRecord } from "../../../common/strategy/results.ts";
import { barOpen, tradeMarkers } from "./markers.ts";
import { drawdown, nextOrder, sortTrades } from "./table.ts";

const trade = (entryTime: number, pnl: number, exitTime: number | null = entryTime + 60_000, side: "long" | "short" = "long"): TradeRecord => ({
  entryTime, entryPrice: 100, exitTime, exitPrice: exitTime === null ? null : 101, size: 1, side, pnl, fees: 0.1,
});

describe("trades table", () => {
  it("sorts by any column both ways, open trades last", () => {
    const ts = [trade(3, 5), trade(1, -2, null), trade(2, 9)];
    expect(sortTrades(ts, { column: "pnl", descending: true }).map((t) => t.pnl)).toEqual([9, 5, -2]);
    expect(sortTrades(ts, { column: "entryTime", descending: false }).map((t) => t.entryTime)).toEqual([1, 2, 3]);
    expect(sortTrades(ts, { column: "exitTime", descending: true }).map((t) => t.exitTime)).toEqual([60_003, 60_002, null]);
  });

  it("flips the direction on the same column and starts ascending on another", () => {
    expect(nextOrder({ column: "pnl", descending: false }, "pnl")).toEqual({ column: "pnl", descending: true });
    expect(nextOrder({ column: "pnl", descending: true }, "size")).toEqual({ column: "size", descending: false });
  });

  it("computes drawdown from the running peak", () => {
    expect(drawdown([100, 120, 90, 130])).toEqual([0, 0, 90 / 120 - 1, 0]);
  });
});

describe("backtest markers", () => {
  it("puts entries and exits on the bar that contains them, sorted by time", () => {
    const m = tradeMarkers([trade(125_000, 3, 250_000), trade(30_000, -1, null, "short")], "1m");
    expect(m.map((x) => [x.time, x.shape, x.position])).toEqual([
      [0, "arrowDown", "aboveBar"],
      [120, "arrowUp", "belowBar"],
      [240, "arrowDown", "aboveBar"],
    ]);
    expect(m[2]!.text).toBe("+3.00");
    expect(barOpen(3_599_999, "1h")).toBe(0);
  });
});
