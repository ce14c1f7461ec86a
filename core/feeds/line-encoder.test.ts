import { describe, expect, it } from "vitest";
import { encodeFrameBytes, encodeFrameLine, maxLineBytes } from "./line-encoder.ts";

function encode(t: number, frame: string): string | null {
  const buf = Buffer.alloc(maxLineBytes(frame.length) + 8);
  const end = encodeFrameLine(buf, 3, t, frame);
  return end < 0 ? null : buf.toString("latin1", 3, end);
}

describe("encodeFrameLine", () => {
  it("writes exactly what JSON.stringify writes for ASCII frames", () => {
    const frames = [
      "",
      `{"channel":"book","data":[{"price":42964.0,"qty":0.02152773}]}`,
      `quote " backslash \\ slash / del \u007f`,
      Array.from({ length: 32 }, (_, c) => String.fromCharCode(c)).join(""),
      `{"a":"\\u00e9\\n"}`,
    ];
    for (const frame of frames) for (const t of [0, 7, 1700000000123, Number.MAX_SAFE_INTEGER]) expect(encode(t, frame)).toBe(`${JSON.stringify({ t, frame })}\n`);
  });

  it("matches JSON.stringify on random ASCII text", () => {
    let seed = 7;
    const rand = () => ((seed = (seed * 1103515245 + 12345) & 0x7fffffff) / 0x7fffffff);
    for (let n = 0; n < 200; n++) {
      const frame = Array.from({ length: Math.floor(rand() * 80) }, () => String.fromCharCode(Math.floor(rand() * 128))).join("");
      expect(encode(n, frame)).toBe(`${JSON.stringify({ t: n, frame })}\n`);
    }
  });

  it("declines non-ASCII frames and times that are not safe non-negative integers", () => {
    expect(encode(1, "price €")).toBeNull();
    expect(encode(1, "lone \ud800")).toBeNull();
    expect(encode(1.5, "x")).toBeNull();
    expect(encode(-1, "x")).toBeNull();
    expect(encode(2 ** 53, "x")).toBeNull();
  });
});

function encodeBytes(t: number, bytes: Uint8Array): string | null {
  const buf = Buffer.alloc(maxLineBytes(bytes.length) + 8);
  const end = encodeFrameBytes(buf, 3, t, bytes);
  return end < 0 ? null : buf.toString("latin1", 3, end);
}

describe("encodeFrameBytes", () => {
  it("writes the line of the text the bytes decode to, for printable ASCII", () => {
    let seed = 11;
    const rand = () => ((seed = (seed * 1103515245 + 12345) & 0x7fffffff) / 0x7fffffff);
    const frames = [``, `{"channel":"book","data":[{"price":42964.0,"qty":0.02152773}]}`, `quote " backslash \\ slash / del \u007f`];
    for (let n = 0; n < 300; n++) frames.push(Array.from({ length: Math.floor(rand() * 120) }, () => String.fromCharCode(32 + Math.floor(rand() * 96))).join(""));
    for (const [i, frame] of frames.entries()) {
      const t = [0, 9, 1700000000123, Number.MAX_SAFE_INTEGER][i % 4]!;
      expect(encodeBytes(t, Buffer.from(frame))).toBe(`${JSON.stringify({ t, frame })}\n`);
    }
  });

  it("writes each line's own time when times repeat and change, on both paths", () => {
    const frame = `{"a":"b"}`;
    for (const t of [5, 5, 1795511085754, 1795511085754, 1795511085755, 5, 0, 0, 10]) {
      const want = `${JSON.stringify({ t, frame })}\n`;
      expect(encodeBytes(t, Buffer.from(frame))).toBe(want);
      expect(encode(t, frame)).toBe(want);
      expect(encodeBytes(-1, Buffer.from(frame))).toBeNull();
    }
  });

  it("declines non-ASCII and control bytes and bad times, so the caller encodes the text", () => {
    expect(encodeBytes(1, Buffer.from("price €"))).toBeNull();
    expect(encodeBytes(1, Uint8Array.of(120, 0x80))).toBeNull();
    expect(encodeBytes(1, Buffer.from("a\nb"))).toBeNull();
    expect(encodeBytes(1, Uint8Array.of(31))).toBeNull();
    expect(encodeBytes(1.5, Buffer.from("x"))).toBeNull();
    expect(encodeBytes(-1, Buffer.from("x"))).toBeNull();
  });
});
