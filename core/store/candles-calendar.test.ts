import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { bucketSql, bucketStart, type BarPeriod } from "../../common/market/timeframes.ts";
import { candlePage, loadBars } from "./candles.ts";
import { importFiles } from "./import.ts";
import { openMarketDb, type MarketDb } from "./market-db.ts";

let dir = "";
let db: MarketDb;
beforeEach(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), "candles-cal-"));
  db = await openMarketDb(path.join(dir, "data"));
});
afterEach(() => {
  db.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

const DAY = 86_400_000;
const utc = (s: string): number => Date.parse(`${s}T00:00:00Z`);

/** Daily bars from `first` for `days` days; bar i opens at i+1 and closes at i+2. */
function dailyFile(first: number, days: number): string {
  const file = path.join(dir, "daily.csv");
  const rows = Array.from({ length: days }, (_, i) => `${new Date(first + i * DAY).toISOString()},${i + 1},${i + 3},${i},${i + 2},1`);
  fs.writeFileSync(file, ["time,open,high,low,close,volume", ...rows, ""].join("\n"));
  return file;
}

describe("weekly and monthly candles from daily bars", () => {
  it("builds calendar months (leap February) and Monday weeks across a year end", async () => {
    const first = utc("2023-12-25"); // a Monday
    await importFiles(db, { files: [dailyFile(first, 70)], symbol: "D" });
    const months = await loadBars(db, { symbol: "D", timeframe: "1M" });
    expect(Array.from(months.time)).toEqual([utc("2023-12-01"), utc("2024-01-01"), utc("2024-02-01"), utc("2024-03-01")]);
    expect(Array.from(months.volume)).toEqual([7, 31, 29, 3]);
    expect([months.open[2], months.close[2], months.high[2], months.low[2]]).toEqual([39, 68, 69, 38]);
    const weeks = await loadBars(db, { symbol: "D", timeframe: "1w" });
    expect(weeks.time[0]).toBe(first);
    expect(weeks.time[1]).toBe(utc("2024-01-01"));
    expect(Array.from(weeks.volume).every((v) => v === 7)).toBe(true);
    const page = await candlePage(db, { symbol: "D", timeframe: "1M", to: utc("2024-02-15"), limit: 2 });
    expect(page.time).toEqual([utc("2024-01-01"), utc("2024-02-01")]);
    expect(page.volume).toEqual([31, 29]); // `to` rounds up to its bucket, as for every timeframe
    expect(page.more).toBe(true);
  });

  it("buckets in SQL exactly as bucketStart does (fixed periods keep the store's integer division, so from 1970 on)", async () => {
    const times = [0, -1, 1, 345_599_999, 345_600_000, utc("2024-02-29") + DAY - 1, utc("2024-03-01"), utc("2024-12-31") + 5, 1_700_000_040_123, -86_400_001];
    const periods: BarPeriod[] = ["1m", "1h", "1d", "1w", "1M"];
    for (const p of periods) {
      const calendar = p === "1w" || p === "1M";
      const ts = times.filter((t) => t >= 0 || calendar);
      const sql = `SELECT (${bucketSql(p, "t")})::DOUBLE FROM (SELECT unnest([${ts.join(", ")}]::BIGINT[]) AS t)`;
      const got = (await db.conn.runAndReadAll(sql)).getRows().map((r) => Number(r[0]));
      const want = ts.map((t) => bucketStart(p, t));
      expect(got, String(p)).toEqual(want);
    }
  });
});
