import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openMemoryDuck } from "./duck.ts";
import { DataFileError, detectLayout, readBarsFromFile, stageFile } from "./index.ts";

let dir = "";
beforeAll(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), "datafiles-values-"));
});
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

const BARS_HEADER = "time,open,high,low,close,volume";
const GOOD_BAR = "1700000000000,10,11,9,10.5,100";
const LAST_BAR = "1700000120000,10,11,9,10.5,100";

/** A bars CSV whose second data row (line 3) is `bad`. */
function barsFile(name: string, bad: string): string {
  const file = path.join(dir, name);
  fs.writeFileSync(file, [BARS_HEADER, GOOD_BAR, bad, LAST_BAR, ""].join("\n"));
  return file;
}

function tradesFile(name: string, bad: string): string {
  const file = path.join(dir, name);
  fs.writeFileSync(file, ["time,price,size,side", "1700000000000,100,1,buy", bad, "1700000002000,101,2,sell", ""].join("\n"));
  return file;
}

/** Stages a file strictly (trades exact, as the import does) and returns the refusal's message. */
async function refusal(file: string): Promise<string> {
  const duck = await openMemoryDuck();
  try {
    const layout = await detectLayout(file, duck.conn);
    const err = await stageFile(duck.conn, file, layout, { table: "s", exact: layout.kind === "trades" }).then(
      () => null,
      (e: unknown) => e,
    );
    expect(err).toBeInstanceOf(DataFileError);
    return (err as Error).message;
  } finally {
    duck.close();
  }
}

describe("value checks on bars", () => {
  it.each([
    ["nan", "1700000060000,NaN,11,9,10.5,100", /line 3: open is nan, not a finite number/],
    ["inf", "1700000060000,10,inf,9,10.5,100", /line 3: high is inf, not a finite number/],
    ["overflow", "1700000060000,10,1e999,9,10.5,100", /line 3: high is inf, not a finite number .*1e999/],
    ["negative-price", "1700000060000,10,11,-9,10.5,100", /line 3: low -9\.0 is negative/],
    ["negative-volume", "1700000060000,10,11,9,10.5,-1", /line 3: volume -1\.0 is negative/],
    ["high-below-low", "1700000060000,10,8,9,8.5,100", /line 3: high 8\.0 is below low 9\.0/],
    ["open-outside", "1700000060000,12,11,9,10.5,100", /line 3: open 12\.0 is outside the bar's low\.\.high \(9\.0\.\.11\.0\)/],
    ["close-outside", "1700000060000,10,11,9,8.9,100", /line 3: close 8\.9 is outside the bar's low\.\.high/],
  ])("refuses %s with the line and the value", async (name, bad, message) => {
    expect(await refusal(barsFile(`${name}.csv`, bad))).toMatch(message);
  });

  it("skips and counts bad bars on request", async () => {
    const bars = await readBarsFromFile(barsFile("skip.csv", "1700000060000,10,8,9,8.5,100"), { skipBad: true });
    expect(Array.from(bars.time)).toEqual([1700000000000, 1700000120000]);
  });

  it("accepts zero volume and a flat bar", async () => {
    const bars = await readBarsFromFile(barsFile("flat.csv", "1700000060000,9,9,9,9,0"));
    expect(bars.time.length).toBe(3);
  });
});

describe("value checks on trades", () => {
  it.each([
    ["negative-price", "1700000001000,-1,1,buy", /line 3: price -1\.0 is negative/],
    ["zero-size", "1700000001000,100,0,buy", /line 3: size 0\.0 is not positive/],
    ["negative-size", "1700000001000,100,-0.5,sell", /line 3: size -0\.5 is not positive/],
    ["unknown-side", "1700000001000,100,1,sideways", /line 3: side "sideways" is not buy or sell/],
  ])("refuses %s with the line and the value", async (name, bad, message) => {
    expect(await refusal(tradesFile(`${name}.csv`, bad))).toMatch(message);
  });

  it("keeps an empty side as unknown", async () => {
    const bars = await readBarsFromFile(tradesFile("no-side.csv", "1700000001000,100,1,"), { timeframe: "1s" });
    expect(bars.time.length).toBe(3);
  });

  it("refuses a Binance is_buyer_maker that is not true or false", async () => {
    const file = path.join(dir, "binance-trades.csv");
    fs.writeFileSync(file, "1,42283.58,0.001,42.28,1704067200018,True,True\n2,42283.59,0.049,2071.89,1704067200301,maybe,True\n");
    expect(await refusal(file)).toMatch(/line 2: is_buyer_maker "maybe" is not true or false/);
  });
});

describe("value checks on Parquet", () => {
  let duck: Awaited<ReturnType<typeof openMemoryDuck>>;
  beforeAll(async () => {
    duck = await openMemoryDuck();
  });
  afterAll(() => duck.close());

  async function parquet(name: string, select: string): Promise<string> {
    const file = path.join(dir, name);
    await duck.conn.run(`COPY (${select}) TO '${file}' (FORMAT parquet)`);
    return file;
  }

  it("refuses bars with NaN, infinite, negative or inconsistent values, naming the row", async () => {
    const bars = (high: string): string =>
      `SELECT make_timestamp(1700000000000000 + i * 60000000) AS time, 10.0 AS open, CASE WHEN i = 2 THEN ${high} ELSE 11.0 END AS high, 9.0 AS low, 10.0 AS close, 1.0 AS volume FROM range(4) t(i)`;
    expect(await refusal(await parquet("nan.parquet", bars("'nan'::DOUBLE")))).toMatch(/row 3: high is nan, not a finite number/);
    expect(await refusal(await parquet("inf.parquet", bars("'inf'::DOUBLE")))).toMatch(/row 3: high is inf/);
    expect(await refusal(await parquet("low.parquet", bars("8.0")))).toMatch(/row 3: high 8\.0 is below low 9\.0/);
  });

  it("refuses trades with a NaN or negative price, naming the row", async () => {
    const trades = (price: string): string => `SELECT 1700000000000 + i AS ts, CASE WHEN i = 1 THEN ${price} ELSE 100.0 END AS price, 1.0 AS qty FROM range(3) t(i)`;
    expect(await refusal(await parquet("t-nan.parquet", trades("'nan'::DOUBLE")))).toMatch(/row 2: a value is missing or not a number/);
    expect(await refusal(await parquet("t-neg.parquet", trades("-5.0::DOUBLE")))).toMatch(/row 2: price -5\.0 is negative/);
  });
});
