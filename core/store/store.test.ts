import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { openMemoryDuck } from "../datafiles/duck.ts";
import { candlePage, loadBars } from "./candles.ts";
import { exportData } from "./export.ts";
import { importFiles } from "./import.ts";
import { openMarketDb, type MarketDb } from "./market-db.ts";
import { queryLiveMarket } from "./query.ts";
import { addParquetSource, listInstruments } from "./sources.ts";

const fixture = (name: string): string => path.join(import.meta.dirname, "../datafiles/fixtures", name);
let dir = "";
let db: MarketDb;

beforeEach(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), "store-"));
  db = await openMarketDb(path.join(dir, "data"));
});
afterEach(() => {
  db.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

async function count(sql: string): Promise<number> {
  return Number((await db.conn.runAndReadAll(sql)).getRows()[0]![0]);
}

describe("import", () => {
  it("imports Yahoo daily bars and serves candles", async () => {
    const result = await importFiles(db, { files: [fixture("orcl-head.csv")], symbol: "ORCL" });
    expect(result).toMatchObject({ symbol: "ORCL", venue: "local", rows: 39, skipped: 0 });
    expect(result.files[0]!.layout).toMatch(/Yahoo-style/);
    const [orcl] = await listInstruments(db, "orc");
    expect(orcl).toMatchObject({ venue: "local", symbol: "ORCL", kind: "bars", tfMs: 86_400_000 });
    const bars = await loadBars(db, { symbol: "ORCL", timeframe: "1d" });
    expect(bars.time.length).toBe(39);
    expect(bars.close[0]).toBe(2.117284);
    await expect(loadBars(db, { symbol: "ORCL", timeframe: "1h" })).rejects.toThrow(/1d; 1h candles cannot be built/);
  });

  it("stores trade prices exactly and builds candles from trades", async () => {
    await importFiles(db, { files: [fixture("trades.csv")], symbol: "BTC/USD", venue: "kraken" });
    const rows = (await db.conn.runAndReadAll("SELECT price::VARCHAR, size::VARCHAR, side, trade_id FROM trades ORDER BY ts, trade_id")).getRows();
    expect(rows[0]).toEqual(["37000.100000000000000000", "0.015000000000000000", "buy", "1"]);
    const page = await candlePage(db, { symbol: "BTC/USD", timeframe: "1m", limit: 10 });
    expect(page).toMatchObject({ venue: "kraken", source: "trades", time: [1699999980000, 1700000040000], open: [37000.1, 36999.9], more: false });
  });

  it("is atomic: a bad second file leaves nothing written", async () => {
    await expect(importFiles(db, { files: [fixture("ohlcv-epoch-s.csv"), fixture("bad-number.csv")], symbol: "X" })).rejects.toThrow(/line 3/);
    expect(await count("SELECT count(*) FROM bars")).toBe(0);
    expect(await listInstruments(db)).toEqual([]);
  });

  it("skips and counts bad rows, and re-imports replace the range", async () => {
    const r = await importFiles(db, { files: [fixture("bad-number.csv")], symbol: "X", skipBad: true });
    expect(r).toMatchObject({ rows: 2, skipped: 1 });
    await importFiles(db, { files: [fixture("ohlcv-epoch-s.csv")], symbol: "Y" });
    await importFiles(db, { files: [fixture("ohlcv-epoch-s.csv")], symbol: "Y" });
    expect(await count("SELECT count(*) FROM bars WHERE symbol = 'Y'")).toBe(3);
  });

  it("imports Binance klines and trades layouts", async () => {
    await importFiles(db, { files: [fixture("binance-klines-us.csv")], symbol: "BTCUSDT", venue: "binance" });
    await importFiles(db, { files: [fixture("binance-trades.csv")], symbol: "ETHUSDT", venue: "binance" });
    const page = await candlePage(db, { symbol: "BTCUSDT", timeframe: "1m", limit: 1 });
    expect(page).toMatchObject({ time: [1735689660000], more: true });
    expect(await count("SELECT count(*) FROM trades WHERE side = 'sell'")).toBe(1);
  });
});

describe("candles paging", () => {
  it("pages back through history", async () => {
    await db.conn.run(
      "INSERT INTO trades SELECT 'local', 'P', 1700000000000 + i * 1000, (100 + i % 7)::DECIMAL(38,18), 1, 'buy', i::VARCHAR FROM range(3600) t(i)",
    );
    await db.conn.run("INSERT INTO instruments VALUES ('local', 'P', 'trades', 'test', NULL, 0, 0, 0)");
    const last = await candlePage(db, { symbol: "P", timeframe: "1m", limit: 10, to: 1700003600000 });
    expect(last.time.length).toBe(10);
    expect(last.more).toBe(true);
    const older = await candlePage(db, { symbol: "P", timeframe: "1m", limit: 100, to: last.time[0]! });
    expect(older.time[older.time.length - 1]).toBe(last.time[0]! - 60_000);
    expect(older.more).toBe(false);
    expect(older.volume[1]).toBe(60);
  });
});

describe("export", () => {
  it("writes bars hive-partitioned with the specified columns", async () => {
    await importFiles(db, { files: [fixture("orcl-head.csv")], symbol: "ORCL" });
    const out = path.join(dir, "out");
    const r = await exportData(db, { symbol: "ORCL", out, from: Date.UTC(1995, 0, 4), to: Date.parse("1995-01-06") });
    expect(r).toMatchObject({ kind: "bars", rows: 2, files: 2 });
    expect(fs.existsSync(path.join(out, "venue=local/symbol=ORCL/date=1995-01-05"))).toBe(true);
    const duck = await openMemoryDuck();
    const desc = await duck.conn.runAndReadAll(`DESCRIBE SELECT * FROM read_parquet('${out}/**/*.parquet', hive_partitioning = false)`);
    expect(desc.getRows().map((row) => `${row[0]} ${row[1]}`)).toEqual([
      "time TIMESTAMP WITH TIME ZONE", "open DOUBLE", "high DOUBLE", "low DOUBLE", "close DOUBLE", "volume DOUBLE",
    ]);
    duck.close();
    await expect(exportData(db, { symbol: "ORCL", out })).rejects.toThrow(/not empty; pass --overwrite/);
    expect((await exportData(db, { symbol: "ORCL", out, overwrite: true })).rows).toBe(39);
  });

  it("writes trades with exact prices and '-' for '/' in the symbol", async () => {
    await importFiles(db, { files: [fixture("trades.csv")], symbol: "BTC/USD", venue: "kraken" });
    const out = path.join(dir, "trades-out");
    expect(await exportData(db, { symbol: "BTC/USD", out })).toMatchObject({ kind: "trades", rows: 4 });
    const duck = await openMemoryDuck();
    const rows = await duck.conn.runAndReadAll(`SELECT price::VARCHAR, side, trade_id, symbol FROM read_parquet('${out}/**/*.parquet') ORDER BY time, trade_id`);
    expect(rows.getRows()[0]).toEqual(["37000.100000000000000000", "buy", "1", "BTC-USD"]);
    duck.close();
  });
});

describe("parquet sources", () => {
  it("reads registered Parquet files in place, beside stored data", async () => {
    await importFiles(db, { files: [fixture("trades.csv")], symbol: "BTC/USD", venue: "kraken" });
    const out = path.join(dir, "pq");
    await exportData(db, { symbol: "BTC/USD", out });
    const src = await addParquetSource(db, out, "BTC/USD", "archive");
    expect(src).toMatchObject({ kind: "trades", files: 1, firstTs: 1700000000123 });
    const page = await candlePage(db, { symbol: "BTC/USD", venue: "archive", timeframe: "1m", limit: 10 });
    expect(page.time).toEqual([1699999980000, 1700000040000]);
    expect(page.volume[0]).toBeCloseTo(1.765, 12);
  });
});

describe("query", () => {
  it("answers a SELECT within the row limit", async () => {
    const r = await queryLiveMarket(db, "SELECT * FROM range(10) t(i)", { maxRows: 3, timeoutMs: 5000 });
    expect(r.rows).toEqual([["0"], ["1"], ["2"]]);
    expect(r.truncated).toBe(true);
    expect(r.columns).toEqual([{ name: "i", type: "BIGINT" }]);
  });

  it("refuses writes, multiple statements and bad SQL", async () => {
    const limits = { maxRows: 10, timeoutMs: 5000 };
    await expect(queryLiveMarket(db, "DELETE FROM trades", limits)).rejects.toThrow(/read-only/);
    await expect(queryLiveMarket(db, "CREATE TABLE x (i INT)", limits)).rejects.toThrow(/read-only/);
    await expect(queryLiveMarket(db, "SELECT 1; DROP TABLE trades", limits)).rejects.toThrow(/exactly one statement/);
    await expect(queryLiveMarket(db, "SELEC 1", limits)).rejects.toThrow(/bad SQL/);
    await expect(queryLiveMarket(db, "COPY trades TO '/tmp/x.csv'", limits)).rejects.toThrow(/read-only/);
    expect(await count("SELECT count(*) FROM information_schema.tables WHERE table_name = 'x'")).toBe(0);
  });

  it("stops a query past its time limit", async () => {
    const slow = "SELECT count(*) FROM range(1000000000) a, range(100) b WHERE a.range * b.range % 7 = 3";
    await expect(queryLiveMarket(db, slow, { maxRows: 10, timeoutMs: 200 })).rejects.toThrow(/longer than 200 ms/);
  });
});

describe("columnar hand-off", () => {
  it("loads trades as typed arrays sorted by time", async () => {
    await importFiles(db, { files: [fixture("trades.csv")], symbol: "BTC/USD", venue: "kraken" });
    const { loadTrades } = await import("./columns.ts");
    const t = await loadTrades(db, { symbol: "BTC/USD", from: 1700000000124 });
    expect(t.time).toBeInstanceOf(Float64Array);
    expect(Array.from(t.price)).toEqual([37001, 36999.9]);
    expect(Array.from(t.side)).toEqual([1, -1]);
  });
});

describe("exact decimals on import", () => {
  it("keeps every digit of long prices and sizes and names non-numbers", async () => {
    const file = path.join(dir, "long.csv");
    fs.writeFileSync(file, "time,price,size\n1,123456789012.123456789012345678,0.000000000000000001\n2,5,1e3\n3,1234567890.5,7\n");
    await importFiles(db, { files: [file], symbol: "L" });
    const rows = (await db.conn.runAndReadAll("SELECT price::VARCHAR, size::VARCHAR FROM trades ORDER BY ts")).getRows();
    expect(rows).toEqual([
      ["123456789012.123456789012345678", "0.000000000000000001"],
      ["5.000000000000000000", "1000.000000000000000000"],
      ["1234567890.500000000000000000", "7.000000000000000000"],
    ]);
    fs.writeFileSync(file, "time,price,size\n1,1.5,1\n2,1.5x,1\n");
    await expect(importFiles(db, { files: [file], symbol: "L" })).rejects.toThrow(/line 3: a value is missing or not a number \(price, size are required\) \(line: "2,1.5x,1"\)/);
  });
});
