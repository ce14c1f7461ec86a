import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openMemoryDuck } from "./duck.ts";
import { DataFileError, detectLayout, readBarsFromFile } from "./index.ts";
import { ORCL_DAILY, sharedDataFile } from "./shared-data.ts";

const fixture = (name: string): string => path.join(import.meta.dirname, "fixtures", name);
const ORCL = sharedDataFile(ORCL_DAILY);
const iso = (ms: number | undefined): string => new Date(ms ?? NaN).toISOString();

async function failure(file: string): Promise<string> {
  const err = await readBarsFromFile(file).then(
    () => null,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(DataFileError);
  return (err as Error).message;
}

describe("detectLayout", () => {
  it("recognizes the Yahoo daily layout", async () => {
    const layout = await detectLayout(fixture("orcl-head.csv"));
    expect(layout).toMatchObject({ format: "csv", kind: "ohlcv", timeColumn: "Date", timeUnit: "iso" });
    expect(layout.description).toBe("Yahoo-style daily OHLCV (Date,Open,High,Low,Close,Adj Close,Volume)");
  });

  it("recognizes Binance klines in ms and µs", async () => {
    expect(await detectLayout(fixture("binance-klines-ms.csv"))).toMatchObject({ kind: "binance_klines", timeUnit: "ms" });
    expect(await detectLayout(fixture("binance-klines-us.csv"))).toMatchObject({ kind: "binance_klines", timeUnit: "us" });
  });

  it("recognizes epoch seconds, ISO with a ; delimiter, and trades", async () => {
    expect(await detectLayout(fixture("ohlcv-epoch-s.csv"))).toMatchObject({ kind: "ohlcv", timeUnit: "s", timeColumn: "timestamp" });
    expect(await detectLayout(fixture("ohlcv-iso.csv"))).toMatchObject({ kind: "ohlcv", timeUnit: "iso" });
    expect(await detectLayout(fixture("trades.csv"))).toMatchObject({ kind: "trades", timeUnit: "ms" });
    expect(await detectLayout(fixture("binance-trades.csv"))).toMatchObject({ kind: "trades", timeUnit: "ms" });
  });

  it("explains unrecognizable columns and empty files", async () => {
    await expect(detectLayout(fixture("wrong-columns.csv"))).rejects.toThrow(/no time column among when,first,top,bottom,last/);
    await expect(detectLayout(fixture("empty.csv"))).rejects.toThrow(/empty/);
    await expect(detectLayout(fixture("header-only.csv"))).rejects.toThrow(/no data rows/);
    await expect(detectLayout(fixture("nope.csv"))).rejects.toThrow(/no such file/);
  });
});

describe("readBarsFromFile", () => {
  it("reads Yahoo dates as UTC days and uses Close, not Adj Close", async () => {
    const bars = await readBarsFromFile(fixture("orcl-head.csv"), { symbol: "ORCL" });
    expect(bars.symbol).toBe("ORCL");
    expect(bars.time.length).toBe(39);
    expect(iso(bars.time[0])).toBe("1995-01-03T00:00:00.000Z");
    expect([bars.open[0], bars.high[0], bars.low[0], bars.close[0], bars.volume[0]]).toEqual([2.179012, 2.191358, 2.117284, 2.117284, 36301200]);
  });

  it("filters by from (inclusive) and to (exclusive)", async () => {
    const from = Date.UTC(1995, 0, 5);
    const bars = await readBarsFromFile(fixture("orcl-head.csv"), { from, to: Date.UTC(1995, 0, 9) });
    expect(Array.from(bars.time, iso)).toEqual(["1995-01-05T00:00:00.000Z", "1995-01-06T00:00:00.000Z"]);
  });

  it("reads Binance klines in ms and µs as ms open times", async () => {
    const ms = await readBarsFromFile(fixture("binance-klines-ms.csv"));
    expect(Array.from(ms.time)).toEqual([1704067200000, 1704067260000, 1704067320000]);
    expect(ms.close[2]).toBe(42325.76);
    expect(ms.symbol).toBe("BINANCE-KLINES-MS");
    const us = await readBarsFromFile(fixture("binance-klines-us.csv"));
    expect(Array.from(us.time)).toEqual([1735689600000, 1735689660000]);
  });

  it("reads epoch seconds and ISO times with offsets", async () => {
    const s = await readBarsFromFile(fixture("ohlcv-epoch-s.csv"));
    expect(Array.from(s.time)).toEqual([1700000000000, 1700000060000, 1700000120000]);
    const i = await readBarsFromFile(fixture("ohlcv-iso.csv"));
    expect(Array.from(i.time, iso)).toEqual(["2024-03-01T00:00:00.000Z", "2024-03-01T00:05:00.000Z", "2024-03-01T00:10:00.250Z"]);
  });

  it("aggregates trades into bars", async () => {
    const bars = await readBarsFromFile(fixture("trades.csv"), { timeframe: "1m" });
    expect(Array.from(bars.time)).toEqual([1699999980000, 1700000040000]);
    expect([bars.open[0], bars.high[0], bars.low[0], bars.close[0]]).toEqual([37000.1, 37001, 37000.1, 37001]);
    expect(bars.volume[0]).toBeCloseTo(1.765, 12);
  });

  it("names the line and the problem for bad rows", async () => {
    expect(await failure(fixture("bad-number.csv"))).toMatch(/bad-number\.csv: line 3: column high: "1x2" is not a number/);
    expect(await failure(fixture("bad-time.csv"))).toMatch(/line 3: the time "2014-01-32" in Date is not a valid date\/time/);
    expect(await failure(fixture("unsorted.csv"))).toMatch(/line 3: time 2023-11-14T22:13:20.000Z is not after the row before it/);
    expect(await failure(fixture("duplicate.csv"))).toMatch(/line 4: .*sorted and unique/);
    expect(await failure(fixture("missing-field.csv"))).toMatch(/line 3: .*Expected Number of Columns: 6 Found: 5/);
  });

  it("checks the time order of a whole-file read on the rows read, with the error a ranged read's staging check gives", async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "ws-order-"));
    try {
      const file = path.join(dir, "late.csv");
      const rows = Array.from({ length: 5000 }, (_, i) => `${1_700_000_000 + i * 60},10,11,9,10,1`);
      rows.push(`${1_700_000_000 + 4000 * 60},10,11,9,10,1`);
      fs.writeFileSync(file, `time,open,high,low,close,volume\n${rows.join("\n")}\n`);
      const whole = await failure(file);
      expect(whole).toMatch(/line 5002: .*sorted and unique/);
      const ranged = await readBarsFromFile(file, { from: 0 }).then(() => "", (e: unknown) => (e as Error).message);
      expect(ranged).toBe(whole);
      const sorted = await readBarsFromFile(file, { skipBad: true });
      expect(Array.from(sorted.time.subarray(-2))).toEqual([(1_700_000_000 + 4998 * 60) * 1000, (1_700_000_000 + 4999 * 60) * 1000]);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it("skips and drops bad rows on request", async () => {
    const bars = await readBarsFromFile(fixture("bad-number.csv"), { skipBad: true });
    expect(Array.from(bars.time)).toEqual([1700000000000, 1700000120000]);
    const dup = await readBarsFromFile(fixture("duplicate.csv"), { skipBad: true });
    expect(dup.time.length).toBe(3);
  });

  it.runIf(ORCL.present)(`reads the full ORCL daily file (needs ${ORCL_DAILY} in $WORKSTATION_SHARED_DATA or ../shared/data)`, async () => {
    const bars = await readBarsFromFile(ORCL.file);
    expect(bars.time.length).toBe(5036);
    expect(iso(bars.time[5035])).toBe("2014-12-31T00:00:00.000Z");
    expect(bars.close[5035]).toBe(44.970001);
  });
});

describe("Parquet", () => {
  let dir = "";
  beforeAll(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), "datafiles-"));
    const duck = await openMemoryDuck();
    await duck.conn.run(
      `COPY (SELECT make_timestamp(1700000000000000 + i * 60000000) AS time, 1.0 + i AS open, 2.0 + i AS high, 0.5 + i AS low, 1.5 + i AS close, 10 * i AS volume FROM range(100) t(i)) TO '${dir}/bars.parquet' (FORMAT parquet)`,
    );
    await duck.conn.run(`COPY (SELECT 1700000000000 + i * 500 AS ts, 100 + i AS price, 1 AS qty FROM range(10) t(i)) TO '${dir}/trades.parquet' (FORMAT parquet)`);
    duck.close();
  });
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  it("reads bars with a TIMESTAMP column", async () => {
    expect(await detectLayout(path.join(dir, "bars.parquet"))).toMatchObject({ format: "parquet", kind: "ohlcv", timeUnit: "iso" });
    const bars = await readBarsFromFile(path.join(dir, "bars.parquet"));
    expect(bars.time.length).toBe(100);
    expect(bars.time[99]).toBe(1700000000000 + 99 * 60000);
    expect(bars.close[99]).toBe(100.5);
  });

  it("reads trades with epoch-ms times", async () => {
    expect(await detectLayout(path.join(dir, "trades.parquet"))).toMatchObject({ kind: "trades", timeUnit: "ms" });
    const bars = await readBarsFromFile(path.join(dir, "trades.parquet"), { timeframe: "1s" });
    expect(Array.from(bars.time)).toEqual([1700000000000, 1700000001000, 1700000002000, 1700000003000, 1700000004000]);
    expect(Array.from(bars.close)).toEqual([101, 103, 105, 107, 109]);
  });
});
