import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DataFileError, readBarsFromFile } from "./index.ts";
import { MAX_LINE_BYTES } from "./layout.ts";

let dir = "";
beforeAll(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), "datafiles-lines-"));
});
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

const HEADER = "time,open,high,low,close,volume";
const ROW = (t: number): string => `${1_700_000_000_000 + t * 60_000},10,11,9,10.5,1`;
/** A valid row padded with leading zeros in its volume to exactly `bytes` bytes. */
const padded = (t: number, bytes: number): string => {
  const row = ROW(t);
  const cut = row.lastIndexOf(",") + 1;
  return row.slice(0, cut) + "0".repeat(bytes - row.length) + row.slice(cut);
};

function write(name: string, lines: string[]): string {
  const file = path.join(dir, name);
  fs.writeFileSync(file, `${lines.join("\n")}\n`);
  return file;
}

async function failure(file: string): Promise<string> {
  const err = await readBarsFromFile(file).then(
    () => null,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(DataFileError);
  return (err as Error).message;
}

describe("long lines", () => {
  it("says the only data row is too long, with the limit, instead of 'no data rows'", async () => {
    const file = write("one-long-row.csv", [HEADER, `${ROW(0)}${"0".repeat(10 * 1024 * 1024)}`]);
    expect(await failure(file)).toBe(`${file}: line 2 is longer than 65536 bytes, the longest line a CSV file may have`);
  });

  it("says a long header is too long, instead of 'the file is empty'", async () => {
    const file = write("long-header.csv", [`${HEADER},${"x".repeat(100_000)}`, ROW(0)]);
    expect(await failure(file)).toMatch(/long-header\.csv: line 1 is longer than 65536 bytes/);
  });

  it("names a long row further down, without echoing it", async () => {
    const file = write("later.csv", [HEADER, ROW(0), ROW(1), padded(2, 200_000), ROW(3)]);
    const message = await failure(file);
    expect(message).toBe(`${file}: line 4 is longer than 65536 bytes, the longest line a CSV file may have`);
    expect((await readBarsFromFile(file, { skipBad: true })).time.length).toBe(3);
  });

  it("reads lines of exactly the limit", async () => {
    const bars = await readBarsFromFile(write("at-limit.csv", [HEADER, padded(0, MAX_LINE_BYTES), ROW(1), padded(2, MAX_LINE_BYTES)]));
    expect(Array.from(bars.volume)).toEqual([1, 1, 1]);
    expect(await failure(write("over-limit.csv", [HEADER, ROW(0), padded(1, MAX_LINE_BYTES + 1)]))).toMatch(/line 3 is longer than 65536 bytes/);
  });

  it("calls a binary file binary", async () => {
    const file = path.join(dir, "binary.csv");
    fs.writeFileSync(file, Buffer.from([0x7f, 0x45, 0x4c, 0x46, 0x02, 0x01, 0x00, 0x00, 0x1b, 0x5d, 0x0a, 0x31, 0x2c, 0x32, 0x0a]));
    expect(await failure(file)).toBe(`${file}: binary data: not a CSV (text) or Parquet file`);
  });
});
