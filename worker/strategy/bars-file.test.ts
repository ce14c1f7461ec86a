import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { decodeBars } from "../../common/strategy/bars-file.ts";
import { readBarsFile, releaseShared, reserveShared, takeShared } from "./bars-file.ts";

describe("reused shared buffers", () => {
  it("hands a released buffer back for the same size", () => {
    const a = takeShared(4096);
    releaseShared(a);
    expect(takeShared(4096)).toBe(a);
  });

  it("reuses a spare that fits without wasting more than a quarter, else makes one with room to grow", () => {
    const a = takeShared(16_000);
    expect(a.byteLength).toBe(17_000);
    releaseShared(a);
    expect(takeShared(8_000)).not.toBe(a);
    expect(takeShared(17_008).byteLength).toBeGreaterThanOrEqual(17_008);
    const grown = takeShared(16_048);
    expect(grown).toBe(a);
  });
});

describe("readied buffers", () => {
  it("keeps the buffers a run of that many bars takes, so the run's load and output reuse them", () => {
    const bars = 10_000;
    const [packed, out] = reserveShared(bars);
    expect(takeShared((1 + 6 * bars) * 8)).toBe(packed);
    expect(takeShared(bars * 9)).toBe(out);
  });
});

describe("reading a hand-off file", () => {
  /** A file of stride 5 holding rows 0..4 with time = 100 + row and column k = 10·k + row. */
  function strided(): string {
    const stride = 5;
    const values = new Float64Array(1 + 6 * stride);
    values[0] = stride;
    for (let k = 0; k < 6; k++) for (let r = 0; r < stride; r++) values[1 + k * stride + r] = k === 0 ? 100 + r : 10 * k + r;
    const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "bars-file-")), "b.bin");
    fs.writeFileSync(file, new Uint8Array(values.buffer));
    return file;
  }

  it("reads the rows its reference names from a file with room to grow, dense", () => {
    const file = strided();
    const bars = decodeBars(readBarsFile({ file, symbol: "X", rows: { first: 1, count: 3 } }), "X");
    expect(Array.from(bars.time)).toEqual([101, 102, 103]);
    expect(Array.from(bars.volume)).toEqual([51, 52, 53]);
    expect(decodeBars(readBarsFile({ file, symbol: "X" }), "X").time.length).toBe(5);
  });

  it("refuses rows beyond the file's stride", () => {
    expect(() => readBarsFile({ file: strided(), symbol: "X", rows: { first: 3, count: 3 } })).toThrow(/bad bars hand-off file/);
  });
});
