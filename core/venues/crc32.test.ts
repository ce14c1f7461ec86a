import { describe, expect, it } from "vitest";
import { crc32, crc32Final, crc32Shift, CRC32_START, crc32Update } from "./crc32.ts";

describe("crc32", () => {
  it("matches the IEEE check value", () => {
    expect(crc32("123456789")).toBe(0xcbf43926);
  });

  it("splits an update into a length shift and the text's own contribution", () => {
    let seed = 11;
    const rand = () => ((seed = (seed * 1103515245 + 12345) & 0x7fffffff) / 0x7fffffff);
    for (let n = 0; n < 300; n++) {
      const text = Array.from({ length: Math.floor(rand() * 40) }, () => String.fromCharCode(48 + Math.floor(rand() * 10))).join("");
      const start = n === 0 ? CRC32_START : Math.floor(rand() * 2 ** 32);
      expect(crc32Final(crc32Shift(start, text.length) ^ crc32Update(0, text))).toBe(crc32Final(crc32Update(start, text)));
    }
  });
});
