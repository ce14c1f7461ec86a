import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { decodeBars } from "../../common/strategy/bars-file.ts";
import { readBarsFile, releaseShared, takeShared } from "./bars-file.ts";

describe("reused shared buffers", () => {
  it("hands a released buffer back for the same size", () => {
    const a = takeShared(4096);
    releaseShared(a);
    expect(takeShared(4096)).toBe(a);
  });

  it("grows a released buffer in place for a slightly larger request, keeping its bytes", () => {
    const a = takeShared(8000);
    new Uint8Array(a)[7999] = 42;
    releaseShared(a);
    const b = takeShared(8008);
    expect(b).toBe(a);
    expect(b.byteLength).toBe(8008);
    expect(new Uint8Array(b)[7999]).toBe(42);
    expect(new Float64Array(b).length).toBe(1001);
  });

  it("gives a new buffer when a spare is larger or too small to grow", () => {
    const a = takeShared(16_000);
    releaseShared(a);
    const smaller = takeShared(8000);
    expect(smaller).not.toBe(a);
    expect(smaller.byteLength).toBe(8000);
    const far = takeShared(64_000);
    expect(far).not.toBe(a);
    expect(far.byteLength).toBe(64_000);
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
