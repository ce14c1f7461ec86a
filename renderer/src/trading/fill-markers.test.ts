import { describe, expect, it } from "vitest";
import type { SeriesMarker, Time, UTCTimestamp } from "lightweight-charts";
import type { TradingFill } from "../../../common/trading/orders.ts";
import { fillMarkers, mergeMarkers } from "./fill-markers.ts";

const fill = (venueTime: number, side: "buy" | "sell", price: number, size: number): TradingFill => ({ id: `o-${venueTime}.1`, orderId: `o-${venueTime}`, side, price, size, fee: 0, liquidity: "taker", venueTime, receiveTime: venueTime });

describe("paper fill markers", () => {
  it("puts each fill on the bar of the chart's timeframe holding its venue time, buys below and sells above", () => {
    const markers = fillMarkers([fill(185_000, "sell", 101.5, 0.2), fill(61_000, "buy", 100, 0.5)], "1m");
    expect(markers).toEqual([
      { time: 60, position: "belowBar", shape: "arrowUp", color: "#26a69a", text: "B 0.5@100" },
      { time: 180, position: "aboveBar", shape: "arrowDown", color: "#ef5350", text: "S 0.2@101.5" },
    ]);
  });

  it("merges with the backtest's markers in time order", () => {
    const m = (time: number, text: string): SeriesMarker<Time> => ({ time: time as UTCTimestamp, position: "aboveBar", shape: "circle", color: "#000", text });
    expect(mergeMarkers([m(1, "a"), m(5, "b")], [m(3, "c")]).map((x) => x.text)).toEqual(["a", "c", "b"]);
    expect(mergeMarkers([m(1, "a")], []).map((x) => x.text)).toEqual(["a"]);
  });
});
