import { describe, expect, it } from "vitest";
import type { TradeEvent } from "./events.ts";
import {
  decodeTradeFrame,
  encodeTradeFrame,
  recordToTrade,
  rescale,
  scaledInt64,
  TRADE_FRAME_HEADER_BYTES,
  TRADE_ID_HASHED,
  TRADE_RECORD_BYTES,
  TradeRecordError,
  tradeToRecord,
} from "./trade-record.ts";

const trade = (price: string, size: string, tradeId = "12345", side: "buy" | "sell" = "buy"): TradeEvent => ({
  type: "trade",
  exchange: "binance",
  symbol: "BTC/USDT",
  price,
  size,
  side,
  tradeId,
  ts: 1_700_000_123_456,
});

describe("trade records", () => {
  it("round-trip every field exactly through a frame", () => {
    const trades = [trade("43123.45", "0.02"), trade("0.00001234", "99999999.99999999", "7", "sell"), trade("43120", "1"), trade("1e-8", "0.00000001")];
    const records = trades.map((t, i) => tradeToRecord({ ...t, price: t.price === "1e-8" ? "0.00000001" : t.price }, { instrumentId: 9, sequence: 100 + i }));
    const frame = encodeTradeFrame(records);
    expect(frame.byteLength).toBe(TRADE_FRAME_HEADER_BYTES + 4 * TRADE_RECORD_BYTES);
    const back = decodeTradeFrame(frame);
    expect(back).toEqual(records);
    expect(back.map((r) => recordToTrade(r, "BTC/USDT"))).toEqual([
      trades[0],
      trades[1],
      trades[2],
      { ...trades[3], price: "0.00000001" },
    ]);
    expect(back[1]).toMatchObject({ side: "sell", sequence: 101, instrumentId: 9, venue: 3, priceScale: 8, sizeScale: 8 });
  });

  it("raises the scale for extra decimals and refuses values that do not fit int64", () => {
    expect(scaledInt64("0.000000000123", 8)).toEqual({ mantissa: 123n, scale: 12 });
    expect(scaledInt64("92233720368.54775807", 8)).toEqual({ mantissa: 9223372036854775807n, scale: 8 });
    expect(scaledInt64("92233720368.6", 8)).toEqual({ mantissa: 922337203686n, scale: 1 });
    expect(scaledInt64("100000000000000", 8)).toEqual({ mantissa: 100000000000000n, scale: 0 });
    expect(() => scaledInt64("92233720368.54775808", 8)).toThrow(TradeRecordError);
    expect(() => scaledInt64("123456789012345678901", 0)).toThrow(TradeRecordError);
  });

  it("converts 1e-18 mantissas exactly or refuses", () => {
    expect(rescale(43123450000000000000000n, 18, 2)).toBe(4312345n);
    expect(rescale(5n, 0, 3)).toBe(5000n);
    expect(() => rescale(1n, 18, 8)).toThrow(TradeRecordError);
  });

  it("keeps numeric trade ids and hashes others, flagged", () => {
    const numeric = tradeToRecord(trade("1", "1", "18446744073709551615"), { instrumentId: 1, sequence: 1 });
    expect(numeric.tradeId).toBe(18446744073709551615n);
    expect(numeric.flags & TRADE_ID_HASHED).toBe(0);
    const uuid = tradeToRecord(trade("1", "1", "a1b2-c3"), { instrumentId: 1, sequence: 1 });
    const again = tradeToRecord(trade("1", "1", "a1b2-c3"), { instrumentId: 1, sequence: 1 });
    expect(uuid.flags & TRADE_ID_HASHED).toBe(TRADE_ID_HASHED);
    expect(uuid.tradeId).toBe(again.tradeId);
    expect(tradeToRecord(trade("1", "1", "18446744073709551616"), { instrumentId: 1, sequence: 1 }).flags).toBe(TRADE_ID_HASHED);
  });

  it("wraps the sequence modulo 2^32 and rejects malformed frames", () => {
    const r = tradeToRecord(trade("1", "1"), { instrumentId: 1, sequence: 2 ** 32 + 5 });
    expect(decodeTradeFrame(encodeTradeFrame([r]))[0]!.sequence).toBe(5);
    const frame = encodeTradeFrame([r]);
    expect(() => decodeTradeFrame(frame.subarray(0, frame.length - 1))).toThrow(TradeRecordError);
    const bad = frame.slice();
    bad[0] = 0;
    expect(() => decodeTradeFrame(bad)).toThrow(TradeRecordError);
    expect(() => decodeTradeFrame(new Uint8Array(3))).toThrow(TradeRecordError);
  });
});
