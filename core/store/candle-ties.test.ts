import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loadBars } from "./candles.ts";
import { loadTrades } from "./columns.ts";
import { openMarketDb, type MarketDb } from "./market-db.ts";

let db: MarketDb;
const dir = fs.mkdtempSync(path.join(os.tmpdir(), "ws-ties-"));

beforeAll(async () => {
  db = await openMarketDb(dir);
  await db.conn.run("INSERT INTO instruments VALUES ('v', 'BTC/USD', 'trades', 'recorded', NULL, 0, 0, 0)");
  // A burst: the venue sent 11, then 12, then 13 in the same millisecond; 10 came earlier.
  await db.conn.run("INSERT INTO trades VALUES ('v', 'BTC/USD', 60000, 10, 1, 'buy', 'a'), ('v', 'BTC/USD', 60500, 11, 1, 'buy', 'b'), ('v', 'BTC/USD', 60500, 12, 1, 'sell', 'c'), ('v', 'BTC/USD', 60500, 13, 1, 'buy', 'd')");
  await db.conn.run("INSERT INTO trades VALUES ('v', 'BTC/USD', 120000, 21, 1, 'buy', 'e'), ('v', 'BTC/USD', 120000, 20, 1, 'buy', 'f')");
});

afterAll(() => {
  db.conn.closeSync();
  db.instance.closeSync();
  fs.rmSync(dir, { recursive: true, force: true });
});

describe("trades that share a millisecond", () => {
  it("give a candle the first trade's price as open and the last one's as close, in arrival order", async () => {
    const bars = await loadBars(db, { symbol: "BTC/USD", venue: "v", timeframe: "1m" });
    expect(Array.from(bars.time)).toEqual([60000, 120000]);
    expect(Array.from(bars.open)).toEqual([10, 21]);
    expect(Array.from(bars.close)).toEqual([13, 20]);
  });

  it("load in arrival order", async () => {
    const trades = await loadTrades(db, { symbol: "BTC/USD", venue: "v" });
    expect(Array.from(trades.price)).toEqual([10, 11, 12, 13, 21, 20]);
  });
});

describe("Parquet trades with DOUBLE prices", () => {
  it("keep the decimal the file meant (43120.07, not its binary expansion)", async () => {
    const { addParquetSource } = await import("./sources.ts");
    const file = path.join(dir, "double-trades.parquet");
    await db.conn.run(`COPY (SELECT 1700000000000::BIGINT AS time, 43120.07::DOUBLE AS price, 0.1::DOUBLE AS size, 'buy' AS side, 'x' AS trade_id) TO '${file}' (FORMAT parquet)`);
    await addParquetSource(db, file, "DBL/USD", "v");
    const { tradesRelation } = await import("./sources.ts");
    const rel = await tradesRelation(db, "v", "DBL/USD");
    const rows = (await db.conn.runAndReadAll(`SELECT price::VARCHAR, size::VARCHAR FROM ${rel}`)).getRows();
    expect(rows).toEqual([["43120.070000000000000000", "0.100000000000000000"]]);
  });
});
