import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { BarColumns } from "../../common/market/bars.ts";
import type { TradeEvent } from "../../common/market/events.ts";
import { fileColumns } from "../../common/strategy/bars-file.ts";
import { leaseBars, type BarsLease } from "./bars-cache.ts";
import { loadBars, type CandleRequest } from "./candles.ts";
import { importFiles } from "./import.ts";
import { openMarketDb, type MarketDb } from "./market-db.ts";
import { Recorder } from "./recorder.ts";

const T0 = 1_700_000_040_000 - (1_700_000_040_000 % 300_000);
const MIN = 60_000;
let dir = "";
let db: MarketDb;

beforeEach(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), "bars-slices-"));
  db = await openMarketDb(path.join(dir, "data"));
});
afterEach(() => {
  db.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

/** Imports minute bars of closes 0..n-1 from T0 as symbol X (venue local). */
async function importMinutes(n: number): Promise<void> {
  const file = path.join(dir, "bars.csv");
  const lines = Array.from({ length: n }, (_, i) => `${(T0 + i * MIN) / 1000},${i},${i + 1},${Math.max(0, i - 1)},${i},${i + 1}`);
  fs.writeFileSync(file, `timestamp,open,high,low,close,volume\n${lines.join("\n")}\n`);
  await importFiles(db, { files: [file], symbol: "X" });
}

/** Leases, reads the rows as a worker would, checks them against `loadBars`; the caller releases. */
async function hold(req: CandleRequest): Promise<{ lease: BarsLease; bars: BarColumns }> {
  const lease = await leaseBars(db, req);
  const bytes = fs.readFileSync(lease.ref.file);
  const bars = fileColumns(new Float64Array(bytes.buffer, bytes.byteOffset, bytes.length / 8).slice(), lease.ref);
  expect(bars).toEqual(await loadBars(db, req));
  expect(lease.bars).toBe(bars.time.length);
  return { lease, bars };
}

async function read(req: CandleRequest): Promise<{ lease: BarsLease; bars: BarColumns }> {
  const got = await hold(req);
  got.lease.release();
  return got;
}

const trade = (ts: number, price: string, id: number): TradeEvent => ({
  type: "trade", exchange: "kraken", symbol: "BTC/USD", price, size: "1", side: "buy", tradeId: String(id), ts,
});

describe("slices of a full-range entry", () => {
  it("serves ranges on and between bucket edges, and empty ones, from the full entry's file", async () => {
    await importMinutes(30);
    const full = await read({ symbol: "X", timeframe: "1m" });
    const edges = [
      [T0, T0 + 10 * MIN],
      [T0 + 3 * MIN, T0 + 7 * MIN],
      [T0 + 3 * MIN + 1, T0 + 7 * MIN - 1],
      [T0 + 3 * MIN - 1, T0 + 7 * MIN + 1],
      [T0 - 86_400_000, T0 + 2 * MIN],
      [T0 + 28 * MIN + 5, T0 + 86_400_000],
      [T0 + 5 * MIN + 1, T0 + 5 * MIN + 2],
      [T0 + 5 * MIN, T0 + 5 * MIN],
      [T0 + 9 * MIN, T0 + 4 * MIN],
      [T0 + 40 * MIN, T0 + 50 * MIN],
      [T0 - 9 * MIN, T0 - 4 * MIN],
    ] as const;
    const counts: number[] = [];
    for (const [from, to] of edges) {
      const { lease } = await read({ symbol: "X", timeframe: "1m", from, to });
      expect([lease.warm, lease.ref.file]).toEqual([true, full.lease.ref.file]);
      counts.push(lease.bars);
    }
    expect(counts).toEqual([10, 4, 4, 6, 2, 2, 1, 0, 0, 0, 0]);
    for (const req of [{ from: T0 + 20 * MIN }, { to: T0 + 3 * MIN + 7 }]) {
      const { lease } = await read({ symbol: "X", timeframe: "1m", ...req });
      expect([lease.warm, lease.ref.file]).toEqual([true, full.lease.ref.file]);
    }
  });

  it("slices candles built from trades, with a venue-less request served by the venue's entry", async () => {
    const recorder = new Recorder(db, { flushMs: 3_600_000 });
    await recorder.start();
    try {
      for (let i = 0; i < 40; i++) recorder.record(trade(T0 + i * 37_000, String(100 + i), i));
      await recorder.flush();
      const full = await read({ symbol: "BTC/USD", venue: "kraken", timeframe: "5m" });
      const slice = await read({ symbol: "BTC/USD", timeframe: "5m", from: T0 + 7 * MIN, to: T0 + 16 * MIN });
      expect([slice.lease.warm, slice.lease.ref.file, slice.lease.ref.rows]).toEqual([true, full.lease.ref.file, { first: 1, count: 3 }]);
    } finally {
      await recorder.stop();
    }
  });

  it("keeps memoized values per slice", async () => {
    await importMinutes(10);
    await read({ symbol: "X", timeframe: "1m" });
    const memo = async (from: number, value: string): Promise<string> => (await read({ symbol: "X", timeframe: "1m", from, to: T0 + 8 * MIN })).lease.memo("k", () => value);
    expect([await memo(T0, "a"), await memo(T0 + 2 * MIN, "b"), await memo(T0, "c"), await memo(T0 + 2 * MIN + 1, "d")]).toEqual(["a", "b", "a", "b"]);
    expect((await read({ symbol: "X", timeframe: "1m" })).lease.memo("k", () => "whole")).toBe("whole");
  });

  it("refreshes the full entry's tail in place for a slice after appends, memos cleared", async () => {
    const recorder = new Recorder(db, { flushMs: 3_600_000 });
    await recorder.start();
    try {
      for (let i = 0; i < 20; i++) recorder.record(trade(T0 + i * MIN, String(100 + i), i));
      await recorder.flush();
      const full = await read({ symbol: "BTC/USD", timeframe: "1m" });
      const req = { symbol: "BTC/USD", timeframe: "1m", from: T0 + 15 * MIN, to: T0 + 18 * MIN } as const;
      expect((await read(req)).lease.memo("k", () => 1)).toBe(1);
      recorder.record(trade(T0 + 21 * MIN, "300", 20));
      recorder.record(trade(T0 + 17 * MIN + 1, "1", 21));
      await recorder.flush();
      const after = await read(req);
      expect([after.lease.warm, after.lease.reread, after.lease.ref.file, after.lease.ref.rows]).toEqual([false, 4, full.lease.ref.file, { first: 15, count: 3 }]);
      expect(after.bars.low[2]).toBe(1);
      expect((await read({ symbol: "BTC/USD", timeframe: "1m", from: T0 + 21 * MIN })).bars.close[0]).toBe(300);
      expect(after.lease.memo("k", () => 2)).toBe(2);
    } finally {
      await recorder.stop();
    }
  });

  it("never writes into a full entry while a slice of it is leased", async () => {
    const recorder = new Recorder(db, { flushMs: 3_600_000 });
    await recorder.start();
    try {
      for (let i = 0; i < 5; i++) recorder.record(trade(T0 + i * MIN, String(100 + i), i));
      await recorder.flush();
      const full = await read({ symbol: "BTC/USD", timeframe: "1m" });
      const held = await hold({ symbol: "BTC/USD", timeframe: "1m", from: T0, to: T0 + 3 * MIN });
      expect(held.lease.ref.file).toBe(full.lease.ref.file);
      const before = fs.readFileSync(held.lease.ref.file);
      recorder.record(trade(T0 + MIN + 1, "1", 9));
      await recorder.flush();
      const fresh = await read({ symbol: "BTC/USD", timeframe: "1m" });
      const slice = await read({ symbol: "BTC/USD", timeframe: "1m", from: T0, to: T0 + 3 * MIN });
      expect(fresh.lease.ref.file).not.toBe(held.lease.ref.file);
      expect([slice.lease.ref.file, slice.bars.low[1]]).toEqual([fresh.lease.ref.file, 1]);
      expect(fs.readFileSync(held.lease.ref.file).equals(before)).toBe(true);
      held.lease.release();
      expect(fs.existsSync(held.lease.ref.file)).toBe(false);
    } finally {
      await recorder.stop();
    }
  });

  it("reads a cold series once for requests arriving together (single flight)", async () => {
    await importMinutes(50);
    // The venue given: each request takes its turn in the order of the calls (no lookup before).
    const [a, b, c] = await Promise.all([
      hold({ symbol: "X", venue: "local", timeframe: "1m" }),
      hold({ symbol: "X", venue: "local", timeframe: "1m" }),
      hold({ symbol: "X", venue: "local", timeframe: "1m", from: T0 + 10 * MIN, to: T0 + 20 * MIN }),
    ]);
    for (const got of [a, b, c]) got.lease.release();
    expect([a.lease.warm, b.lease.warm, c.lease.warm, c.lease.bars]).toEqual([false, true, true, 10]);
    expect(new Set([a, b, c].map((got) => got.lease.ref.file)).size).toBe(1);
  });

  it("uses its own entry for a ranged request when no full-range entry exists", async () => {
    await importMinutes(10);
    const ranged = await read({ symbol: "X", timeframe: "1m", from: T0 + MIN, to: T0 + 4 * MIN });
    expect([ranged.lease.warm, ranged.lease.ref.rows]).toEqual([false, { first: 0, count: 3 }]);
    const whole = await read({ symbol: "X", timeframe: "1m" });
    expect(whole.lease.ref.file).not.toBe(ranged.lease.ref.file);
  });
});
