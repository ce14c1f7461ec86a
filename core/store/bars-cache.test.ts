import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { BarColumns } from "../../common/market/bars.ts";
import type { TradeEvent } from "../../common/market/events.ts";
import { fileColumns } from "../../common/strategy/bars-file.ts";
import { archiveOldTrades } from "./archive.ts";
import { leaseBars, type BarsLease } from "./bars-cache.ts";
import { loadBars, type CandleRequest } from "./candles.ts";
import { importFiles } from "./import.ts";
import { openMarketDb, type MarketDb } from "./market-db.ts";
import { Recorder } from "./recorder.ts";
import { addParquetSource } from "./sources.ts";

const T0 = 1_700_000_000_000;
const MIN = 60_000;
let dir = "";
let db: MarketDb;

beforeEach(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), "bars-cache-"));
  db = await openMarketDb(path.join(dir, "data"));
});
afterEach(() => {
  db.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

/** Writes a minute-bars CSV of `closes` starting at `start` (epoch s times). */
function barsCsv(name: string, start: number, closes: number[]): string {
  const file = path.join(dir, name);
  const lines = closes.map((c, i) => `${(start + i * MIN) / 1000},${c},${c + 1},${c - 1},${c},${i + 1}`);
  fs.writeFileSync(file, `timestamp,open,high,low,close,volume\n${lines.join("\n")}\n`);
  return file;
}

/** Writes minute bars as a Parquet file. */
async function barsParquet(file: string, start: number, closes: number[]): Promise<void> {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  const values = closes.map((c, i) => `(${start + i * MIN}, ${c})`).join(", ");
  await db.conn.run(
    `COPY (SELECT make_timestamp(t * 1000) AS time, c AS open, c + 1 AS high, c - 1 AS low, c AS close, 1.0 AS volume FROM (VALUES ${values}) v(t, c)) TO '${file}' (FORMAT parquet)`,
  );
}

/** Leases, reads the file as a worker would, checks it against `loadBars`, releases. */
async function read(req: CandleRequest): Promise<{ lease: BarsLease; bars: BarColumns }> {
  const lease = await leaseBars(db, req);
  try {
    const bytes = fs.readFileSync(lease.ref.file);
    const bars = fileColumns(new Float64Array(bytes.buffer, bytes.byteOffset, bytes.length / 8).slice(), lease.ref);
    expect(bars).toEqual(await loadBars(db, req));
    expect(lease.bars).toBe(bars.time.length);
    return { lease, bars };
  } finally {
    lease.release();
  }
}

const trade = (ts: number, price: string, id: number): TradeEvent => ({
  type: "trade", exchange: "kraken", symbol: "BTC/USD", price, size: "1", side: "buy", tradeId: String(id), ts,
});

describe("warm bars hand-off", () => {
  it("serves a repeated request from the same file without a query", async () => {
    await importFiles(db, { files: [barsCsv("a.csv", T0, [10, 11, 12])], symbol: "X" });
    const first = await read({ symbol: "X", timeframe: "1m" });
    const second = await read({ symbol: "X", timeframe: "1m" });
    expect([first.lease.warm, second.lease.warm]).toEqual([false, true]);
    expect(second.lease.ref.file).toBe(first.lease.ref.file);
    expect([first.lease.memo("k", () => 1), second.lease.memo("k", () => 2)]).toEqual([1, 1]);
    expect(Array.from(second.bars.close)).toEqual([10, 11, 12]);
  });

  it("sees an import made after the cached read", async () => {
    await importFiles(db, { files: [barsCsv("a.csv", T0, [10, 11, 12])], symbol: "X" });
    expect((await read({ symbol: "X", timeframe: "1m" })).lease.memo("k", () => 1)).toBe(1);
    await importFiles(db, { files: [barsCsv("b.csv", T0 + MIN, [21, 22, 23])], symbol: "X" });
    const after = await read({ symbol: "X", timeframe: "1m" });
    expect(after.lease.warm).toBe(false);
    expect(after.lease.memo("k", () => 2)).toBe(2);
    expect(Array.from(after.bars.close)).toEqual([10, 21, 22, 23]);
  });

  it("sees trades flushed by the recorder after the cached read", async () => {
    const recorder = new Recorder(db, { flushMs: 3_600_000 });
    await recorder.start();
    try {
      recorder.record(trade(T0, "100", 1));
      await recorder.flush();
      expect(Array.from((await read({ symbol: "BTC/USD", timeframe: "1m" })).bars.close)).toEqual([100]);
      recorder.record(trade(T0 + 1000, "101", 2));
      recorder.record(trade(T0 + MIN, "102", 3));
      await recorder.flush();
      const after = await read({ symbol: "BTC/USD", timeframe: "1m" });
      expect(after.lease.warm).toBe(false);
      expect(Array.from(after.bars.close)).toEqual([101, 102]);
    } finally {
      await recorder.stop();
    }
  });

  it("refreshes only the tail after recorder appends, late trades included, in the same file", async () => {
    const recorder = new Recorder(db, { flushMs: 3_600_000 });
    await recorder.start();
    try {
      for (let i = 0; i < 50; i++) recorder.record(trade(T0 + i * MIN, String(100 + i), i));
      await recorder.flush();
      const req = { symbol: "BTC/USD", timeframe: "1m" } as const;
      const first = await read(req);
      recorder.record(trade(T0 + 50 * MIN, "300", 50));
      await recorder.flush();
      const appended = await read(req);
      expect([appended.lease.warm, appended.lease.reread, appended.lease.ref.file]).toEqual([false, 1, first.lease.ref.file]);
      expect(appended.bars.close[50]).toBe(300);
      recorder.record(trade(T0 + 47 * MIN + 5, "1", 51));
      await recorder.flush();
      const late = await read(req);
      expect([late.lease.reread, late.lease.ref.file, late.bars.time.length]).toEqual([4, first.lease.ref.file, 51]);
      expect(late.bars.low[47]).toBe(1);
    } finally {
      await recorder.stop();
    }
  });

  it("keeps an entry whose range ends before the write, and reads everything again when the tail has no room", async () => {
    const recorder = new Recorder(db, { flushMs: 3_600_000 });
    await recorder.start();
    try {
      recorder.record(trade(T0, "100", 0));
      await recorder.flush();
      const bounded = { symbol: "BTC/USD", timeframe: "1m", to: T0 + MIN } as const;
      await read(bounded);
      const whole = await read({ symbol: "BTC/USD", timeframe: "1m" });
      for (let i = 1; i <= 5000; i++) recorder.record(trade(T0 + (i + 1) * MIN, "101", i));
      await recorder.flush();
      expect((await read(bounded)).lease.warm).toBe(true);
      const grown = await read({ symbol: "BTC/USD", timeframe: "1m" });
      expect([grown.lease.reread, grown.bars.time.length]).toEqual([5001, 5001]);
      expect(whole.lease.ref.file).toBe(grown.lease.ref.file);
    } finally {
      await recorder.stop();
    }
  });

  it("reads everything again when a symbol with imported bars starts being recorded (its candles now come from trades)", async () => {
    await importFiles(db, { files: [barsCsv("a.csv", T0, [10, 11, 12])], symbol: "BTC/USD", venue: "kraken" });
    await read({ symbol: "BTC/USD", venue: "kraken", timeframe: "1m" });
    const recorder = new Recorder(db, { flushMs: 3_600_000 });
    await recorder.start();
    try {
      recorder.record(trade(T0 + 5 * MIN, "100", 1));
      await recorder.flush();
      const after = await read({ symbol: "BTC/USD", venue: "kraken", timeframe: "1m" });
      expect(Array.from(after.bars.close)).toEqual([100]);
    } finally {
      await recorder.stop();
    }
  });

  it("never writes into a file another reader holds", async () => {
    const recorder = new Recorder(db, { flushMs: 3_600_000 });
    await recorder.start();
    try {
      recorder.record(trade(T0, "100", 0));
      await recorder.flush();
      const held = await leaseBars(db, { symbol: "BTC/USD", timeframe: "1m" });
      const before = fs.readFileSync(held.ref.file);
      recorder.record(trade(T0 + 10, "90", 1));
      await recorder.flush();
      const fresh = await read({ symbol: "BTC/USD", timeframe: "1m" });
      expect(fresh.lease.ref.file).not.toBe(held.ref.file);
      expect(fresh.bars.low[0]).toBe(90);
      expect(fs.readFileSync(held.ref.file).equals(before)).toBe(true);
      held.release();
    } finally {
      await recorder.stop();
    }
  });

  it("sees a Parquet source registered after the cached read", async () => {
    await importFiles(db, { files: [barsCsv("a.csv", T0, [10, 11])], symbol: "P" });
    await read({ symbol: "P", timeframe: "1m" });
    const file = path.join(dir, "pq", "more.parquet");
    await barsParquet(file, T0 + 2 * MIN, [12, 13]);
    await addParquetSource(db, file, "P", "local");
    const after = await read({ symbol: "P", timeframe: "1m" });
    expect(after.lease.warm).toBe(false);
    expect(Array.from(after.bars.close)).toEqual([10, 11, 12, 13]);
  });

  it("sees a file added to a registered Parquet folder behind the store's back", async () => {
    const folder = path.join(dir, "pq");
    await barsParquet(path.join(folder, "1.parquet"), T0, [10, 11]);
    await addParquetSource(db, folder, "F", "local");
    expect((await read({ symbol: "F", timeframe: "1m" })).bars.time.length).toBe(2);
    await barsParquet(path.join(folder, "2.parquet"), T0 + 2 * MIN, [12]);
    const after = await read({ symbol: "F", timeframe: "1m" });
    expect(after.lease.warm).toBe(false);
    expect(Array.from(after.bars.close)).toEqual([10, 11, 12]);
  });

  it("rebuilds after retention moves trades to Parquet (same bars, read from the archive)", async () => {
    const now = T0 + 10 * 86_400_000;
    const recorder = new Recorder(db, { flushMs: 3_600_000 });
    await recorder.start();
    for (let i = 0; i < 5; i++) recorder.record(trade(T0 + i * MIN, String(100 + i), i));
    recorder.record(trade(now, "200", 99));
    await recorder.stop();
    const before = await read({ symbol: "BTC/USD", timeframe: "1m" });
    expect(await archiveOldTrades(db, 3, now)).toBe(5);
    const after = await read({ symbol: "BTC/USD", timeframe: "1m" });
    expect(after.lease.warm).toBe(false);
    expect(after.bars).toEqual(before.bars);
  });

  it("notices the symbol appearing on a second venue when no venue is given", async () => {
    await importFiles(db, { files: [barsCsv("a.csv", T0, [10, 11])], symbol: "X" });
    await read({ symbol: "X", timeframe: "1m" });
    await importFiles(db, { files: [barsCsv("b.csv", T0, [20, 21])], symbol: "X", venue: "other" });
    await expect(leaseBars(db, { symbol: "X", timeframe: "1m" })).rejects.toThrow(/several venues/);
    expect(Array.from((await read({ symbol: "X", venue: "local", timeframe: "1m" })).bars.close)).toEqual([10, 11]);
  });

  it("rewrites a stale file nobody reads in place, cut to its new size", async () => {
    await importFiles(db, { files: [barsCsv("a.csv", T0, [10, 11, 12, 13])], symbol: "X" });
    const before = await read({ symbol: "X", timeframe: "1m" });
    const strideOf = (file: string): number => new Float64Array(fs.readFileSync(file).buffer.slice(0, 8))[0]!;
    const strideBefore = strideOf(before.lease.ref.file);
    await db.conn.run(`DELETE FROM bars WHERE ts > ${T0 + MIN}`);
    db.generations.bump("local", "X");
    const after = await read({ symbol: "X", timeframe: "1m" });
    expect(after.lease.ref.file).toBe(before.lease.ref.file);
    expect(Array.from(after.bars.close)).toEqual([10, 11]);
    const stride = strideOf(after.lease.ref.file);
    expect(stride).toBeLessThan(strideBefore);
    expect(fs.statSync(after.lease.ref.file).size).toBe((1 + 6 * stride) * 8);
  });

  it("keeps a stale file until its lease is released", async () => {
    await importFiles(db, { files: [barsCsv("a.csv", T0, [10, 11])], symbol: "X" });
    const held = await leaseBars(db, { symbol: "X", timeframe: "1m" });
    await importFiles(db, { files: [barsCsv("b.csv", T0, [20, 21])], symbol: "X" });
    const fresh = await read({ symbol: "X", timeframe: "1m" });
    expect(fresh.lease.ref.file).not.toBe(held.ref.file);
    expect(fs.existsSync(held.ref.file)).toBe(true);
    held.release();
    expect(fs.existsSync(held.ref.file)).toBe(false);
  });

  it("sorts stored bars that come back out of order", async () => {
    await db.conn.run(`INSERT INTO bars SELECT 'local', 'U', ${MIN}, ${T0} + (4 - i) * ${MIN}, i, i, i, i, 1 FROM range(5) t(i)`);
    await db.conn.run(`INSERT INTO instruments VALUES ('local', 'U', 'bars', 'import', ${MIN}, ${T0}, ${T0 + 4 * MIN}, 0)`);
    const { lease, bars } = await read({ symbol: "U", timeframe: "1m" });
    expect(Array.from(bars.close)).toEqual([4, 3, 2, 1, 0]);
    expect(lease.reread).toBe(5);
  });
});

/** The exact bytes a cold read of `bars` into a new file must give: header, columns at the stride, zeros after. */
function expectedFile(bars: BarColumns): Buffer {
  const n = bars.time.length;
  const stride = n + Math.max(4096, Math.ceil(n / 16));
  const values = new Float64Array(1 + 6 * stride);
  values[0] = stride;
  [bars.time, bars.open, bars.high, bars.low, bars.close, bars.volume].forEach((col, k) => values.set(col, 1 + k * stride));
  return Buffer.from(values.buffer);
}

describe("cold bars hand-off file contents", () => {
  it("equals a reference read byte for byte across chunk boundaries and for an empty result", async () => {
    // 33 × 2048 + 17: DuckDB hands results out in 2048-row chunks, so the last one is partial, and
    // the columns are written 65,536 rows at a time, so the last write is too.
    const closes = Array.from({ length: 33 * 2048 + 17 }, (_, i) => 100 + ((i * 7919) % 1000) / 8 + (i % 3 === 0 ? -0.125 : 0.1));
    await importFiles(db, { files: [barsCsv("a.csv", T0, closes)], symbol: "X" });
    const cases: CandleRequest[] = [
      { symbol: "X", timeframe: "1m" },
      { symbol: "X", timeframe: "5m" },
      // No full-range 15m entry, so the ranged request has an entry of its own: an empty result.
      { symbol: "X", timeframe: "15m", from: T0 - 60 * MIN, to: T0 - 30 * MIN },
    ];
    for (const req of cases) {
      const lease = await leaseBars(db, req);
      try {
        expect(lease.warm).toBe(false);
        const reference = await loadBars(db, req);
        expect(lease.bars).toBe(req.from === undefined ? reference.time.length : 0);
        expect(fs.readFileSync(lease.ref.file).equals(expectedFile(reference))).toBe(true);
      } finally {
        lease.release();
      }
    }
  });

  it("reads cold while other queries run on the store's connection", async () => {
    await importFiles(db, { files: [barsCsv("a.csv", T0, Array.from({ length: 5 * 2048 }, (_, i) => 100 + (i % 50)))], symbol: "X" });
    let reading = true;
    const others = (async () => {
      while (reading) await db.conn.run("SELECT 1");
    })();
    const { lease } = await read({ symbol: "X", timeframe: "1m" }).finally(() => (reading = false));
    await others;
    expect([lease.warm, lease.bars]).toEqual([false, 5 * 2048]);
  });
});
