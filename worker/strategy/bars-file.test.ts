import { describe, expect, it } from "vitest";
import { releaseShared, takeShared } from "./bars-file.ts";

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
