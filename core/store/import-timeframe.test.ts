import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { CliIo } from "../cli/command.ts";
import { runCli } from "../cli/main.ts";
import { importFiles } from "./import.ts";
import { openMarketDb, type MarketDb } from "./market-db.ts";

let dir = "";
let db: MarketDb;
beforeEach(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), "import-tf-"));
  db = await openMarketDb(path.join(dir, "data"));
});
afterEach(() => {
  db.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

const T0 = 1_700_000_040_000; // a whole minute and a whole 5 minutes

/** A bars CSV with one row per time. */
function barsFile(name: string, times: number[]): string {
  const file = path.join(dir, name);
  fs.writeFileSync(file, ["time,open,high,low,close,volume", ...times.map((t) => `${t},10,11,9,10.5,1`), ""].join("\n"));
  return file;
}

async function storedTimeframes(): Promise<number[][]> {
  const reader = await db.conn.runAndReadAll("SELECT tf_ms::DOUBLE, count(*)::DOUBLE FROM bars GROUP BY 1 ORDER BY 1");
  return reader.getRows() as number[][];
}

describe("the timeframe of imported bars", () => {
  it("files a single bar under the symbol's existing timeframe", async () => {
    await importFiles(db, { files: [barsFile("minutes.csv", [T0, T0 + 60_000, T0 + 120_000])], symbol: "X" });
    await importFiles(db, { files: [barsFile("one.csv", [T0 + 180_000])], symbol: "X" });
    expect(await storedTimeframes()).toEqual([[60_000, 4]]);
  });

  it("refuses a single bar it cannot place, and takes --timeframe", async () => {
    const one = barsFile("one.csv", [T0]);
    await expect(importFiles(db, { files: [one], symbol: "NEW" })).rejects.toThrow(/one\.csv: a single bar does not tell its timeframe and NEW has no bars yet; give --timeframe \(1s, 1m/);
    await importFiles(db, { files: [one], symbol: "NEW", timeframe: "5m" });
    expect(await storedTimeframes()).toEqual([[300_000, 1]]);
  });

  it("refuses --timeframe 1M (months vary in length) and stores nothing", async () => {
    await expect(importFiles(db, { files: [barsFile("one.csv", [T0])], symbol: "M", timeframe: "1M" })).rejects.toThrow(/--timeframe 1M: calendar months vary in length/);
    expect(await storedTimeframes()).toEqual([]);
  });

  it("never puts two timeframes at one time", async () => {
    await importFiles(db, { files: [barsFile("minutes.csv", [T0, T0 + 60_000, T0 + 120_000])], symbol: "X" });
    const fives = barsFile("fives.csv", [T0, T0 + 300_000]);
    await expect(importFiles(db, { files: [fives], symbol: "X" })).rejects.toThrow(
      /fives\.csv: X already has 1m bars at 2023-11-14T22:14:00\.000Z and this file's bars are 5m; .*give --timeframe 1m/,
    );
    await expect(importFiles(db, { files: [barsFile("one.csv", [T0])], symbol: "X", timeframe: "1d" })).rejects.toThrow(/already has 1m bars .* are 1d/);
    expect(await storedTimeframes()).toEqual([[60_000, 3]]);
    await importFiles(db, { files: [fives], symbol: "X", timeframe: "1m" }); // replaces the 1m bars of its range
    expect(await storedTimeframes()).toEqual([[60_000, 2]]);
  });

  it("refuses a --timeframe longer than the file's own step", async () => {
    await expect(importFiles(db, { files: [barsFile("minutes.csv", [T0, T0 + 60_000])], symbol: "X", timeframe: "1h" })).rejects.toThrow(
      /minutes\.csv: bars 1m apart cannot be 1h bars/,
    );
  });

  it("takes --timeframe on the command line", async () => {
    db.close();
    const err: string[] = [];
    const io: CliIo = { out: () => {}, err: (l) => err.push(l), env: {} };
    const data = path.join(dir, "data");
    expect(await runCli(["import", barsFile("one.csv", [T0]), "--symbol", "y", "--timeframe", "1h", "--data-dir", data], io)).toBe(0);
    expect(await runCli(["import", barsFile("two.csv", [T0]), "--symbol", "y", "--timeframe", "2h", "--data-dir", data], io)).toBe(2);
    expect(err.at(-1)).toMatch(/--timeframe must be one of 1s, 1m/);
    db = await openMarketDb(data);
    expect(await storedTimeframes()).toEqual([[3_600_000, 1]]);
  });
});
