/**
 * The file bars cache: a second read of the same file is a hit (no CSV parsed), an ordinary edit
 * is a silent miss, and every case that must never give a wrong answer — a file rewritten in place
 * with the same size and mtime, a corrupt, truncated or other-version entry, a corrupt bars file —
 * is a fresh read with exactly one warning line.
 */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { fileColumns } from "../../common/strategy/bars-file.ts";
import { fileBars, type FileBars } from "./file-bars-cache.ts";

let dir = "";
let dataDir = "";
let csv = "";

function writeCsv(closes: number[]): void {
  const rows = ["timestamp,open,high,low,close,volume"];
  closes.forEach((c, i) => rows.push(`${1_700_000_000 + i * 60},${c.toFixed(4)},${(c + 1).toFixed(4)},${(c - 1).toFixed(4)},${c.toFixed(4)},10`));
  fs.writeFileSync(csv, `${rows.join("\n")}\n`);
}

async function read(): Promise<{ bars: FileBars; warnings: string[]; closes: number[] }> {
  const warnings: string[] = [];
  const bars = await fileBars(dataDir, { file: csv }, () => undefined, (line) => warnings.push(line));
  const values = new Float64Array(new Uint8Array(fs.readFileSync(bars.ref.file)).buffer);
  return { bars, warnings, closes: Array.from(fileColumns(values, bars.ref).close) };
}

function entryFile(ext: "json" | "bin"): string {
  const folder = path.join(dataDir, "cache", "file-bars");
  return path.join(folder, fs.readdirSync(folder).find((n) => n.endsWith(`.${ext}`))!);
}

beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), "ws-file-bars-"));
  dataDir = path.join(dir, "data");
  csv = path.join(dir, "bars.csv");
  writeCsv([100.1, 100.2, 100.3, 100.4]);
});
afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

describe("file bars cache", () => {
  it("reads a file once: the second run is a hit on the same bars, without warnings", async () => {
    const first = await read();
    expect(first.bars.hit).toBe(false);
    expect(first.bars.columns?.time.length).toBe(4);
    const second = await read();
    expect(second.bars).toMatchObject({ hit: true, columns: null, count: 4, symbol: first.bars.symbol, facts: first.bars.facts });
    expect(second.closes).toEqual([100.1, 100.2, 100.3, 100.4]);
    expect(second.warnings).toEqual([]);
  });

  it("an ordinary edit (other size) is read afresh without a warning", async () => {
    await read();
    writeCsv([100.1, 100.2, 100.3, 100.4, 100.5]);
    const again = await read();
    expect(again.bars.hit).toBe(false);
    expect(again.closes).toEqual([100.1, 100.2, 100.3, 100.4, 100.5]);
    expect(again.warnings).toEqual([]);
  });

  it("a file rewritten in place with the same size and mtime is detected: one warning, the new bars", async () => {
    // Whole seconds, so the same mtime can be set again to the nanosecond.
    const stamp = 1_700_000_000;
    fs.utimesSync(csv, stamp, stamp);
    await read();
    const before = fs.statSync(csv, { bigint: true });
    writeCsv([100.9, 100.8, 100.7, 100.6]);
    fs.utimesSync(csv, stamp, stamp);
    const after = fs.statSync(csv, { bigint: true });
    expect([after.size, after.mtimeNs, after.ino]).toEqual([before.size, before.mtimeNs, before.ino]);
    const again = await read();
    expect(again.bars.hit).toBe(false);
    expect(again.closes).toEqual([100.9, 100.8, 100.7, 100.6]);
    expect(again.warnings).toEqual([expect.stringMatching(/^warning: bars cache of bars\.csv not used: the data file was rewritten or touched in place/)]);
    expect((await read()).bars.hit).toBe(true);
  });

  it.each([
    ["a corrupt entry", () => fs.writeFileSync(entryFile("json"), "{not json"), /corrupt or truncated/],
    ["a truncated entry", () => fs.writeFileSync(entryFile("json"), fs.readFileSync(entryFile("json"), "utf8").slice(0, 40)), /corrupt or truncated/],
    ["an entry of another version", () => fs.writeFileSync(entryFile("json"), fs.readFileSync(entryFile("json"), "utf8").replace(/"version":"[^"]*"/, '"version":"0.0.0-other"')), /another version/],
    ["a truncated bars file", () => fs.truncateSync(entryFile("bin"), 100), /missing or truncated/],
    [
      "a corrupt bars file",
      () => {
        const fd = fs.openSync(entryFile("bin"), "r+");
        fs.writeSync(fd, Buffer.alloc(8, 0xff), 0, 8, 8 * 10);
        fs.closeSync(fd);
      },
      /corrupt/,
    ],
  ])("%s is read afresh after one warning line", async (_name, damage, why) => {
    await read();
    damage();
    const again = await read();
    expect(again.bars.hit).toBe(false);
    expect(again.closes).toEqual([100.1, 100.2, 100.3, 100.4]);
    expect(again.warnings).toHaveLength(1);
    expect(again.warnings[0]).toMatch(why);
    expect((await read()).bars.hit).toBe(true);
  });

  it("unusable bars are refused by the check and not cached", async () => {
    const refuse = (): void => {
      throw new Error("refused");
    };
    await expect(fileBars(dataDir, { file: csv }, refuse, () => undefined)).rejects.toThrow("refused");
    expect((await read()).bars.hit).toBe(false);
  });
});
