import { describe, expect, it } from "vitest";
import { FrameError, FrameReader, encodeFrames, frameListener } from "./frames.ts";

describe("length-prefixed frames", () => {
  it("round-trips texts split at any byte, including inside a length and a multi-byte character", () => {
    const texts = ['{"id":1}', "", "€ and ünïcode", "x".repeat(70_000)];
    const bytes = encodeFrames(texts);
    for (const cut of [1, 2, 3, 5, 9, 13, 14, 15, 40, bytes.length - 1]) {
      const reader = new FrameReader();
      expect([...reader.push(bytes.subarray(0, cut)), ...reader.push(bytes.subarray(cut))]).toEqual(texts);
    }
  });

  it("keeps a partial frame until it is whole", () => {
    const reader = new FrameReader();
    const [a, b] = [encodeFrames(["first"]), encodeFrames(["second"])];
    expect(reader.push(new Uint8Array([...a, ...b.subarray(0, 6)]))).toEqual(["first"]);
    expect(reader.push(b.subarray(6))).toEqual(["second"]);
    expect(reader.push(new Uint8Array(0))).toEqual([]);
  });

  it("refuses a length past the limit instead of buffering for it", () => {
    const reader = new FrameReader(16);
    expect(reader.push(encodeFrames(["x".repeat(16)]))).toEqual(["x".repeat(16)]);
    expect(() => reader.push(encodeFrames(["y".repeat(17)]).subarray(0, 6))).toThrow(FrameError);
  });

  it("a listener hands parsed messages on in order; the first corrupt frame stops it for good", () => {
    const got: unknown[] = [];
    const errors: string[] = [];
    const listen = frameListener((text) => JSON.parse(text) as unknown, (msg) => got.push(msg), (err) => errors.push(err.name));
    listen(encodeFrames(["1", "[2]"]));
    listen(encodeFrames(["3", "{bad", "4"]));
    listen(encodeFrames(["5"]));
    expect(got).toEqual([1, [2]]);
    expect(errors).toEqual(["SyntaxError"]);
  });
});
