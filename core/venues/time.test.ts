import { describe, expect, it } from "vitest";
import { parseEpochMs, parseIsoMs } from "./time.ts";

describe("parseIsoMs", () => {
  it("gives the same answers when consecutive timestamps share their date and second", () => {
    const base = Date.UTC(2023, 8, 25, 7, 49, 37);
    expect(parseIsoMs("2023-09-25T07:49:37.708706Z")).toBe(base + 708);
    expect(parseIsoMs("2023-09-25T07:49:37.1+01:00")).toBe(base + 100 - 3_600_000);
    expect(parseIsoMs("2023-09-25T07:49:37Z")).toBe(base);
    expect(parseIsoMs("2023-09-25T07:49:37x")).toBeNull();
    expect(parseIsoMs("2023-09-25T07:49:37.Z")).toBeNull();
    expect(parseIsoMs("2023-09-25T07:49:3aZ")).toBeNull();
    expect(parseIsoMs("2023-09-25T07:49:38Z")).toBe(base + 1000);
    expect(parseIsoMs("2023-09-25T07:49:37.5Z")).toBe(base + 500);
  });

  it("floors microsecond and nanosecond fractions to ms", () => {
    expect(parseIsoMs("2023-09-25T07:49:37.708706Z")).toBe(Date.UTC(2023, 8, 25, 7, 49, 37, 708));
    expect(parseIsoMs("2023-02-09T20:19:35.39625135Z")).toBe(Date.UTC(2023, 1, 9, 20, 19, 35, 396));
    expect(parseIsoMs("2023-02-09T20:19:35.999999999Z")).toBe(Date.UTC(2023, 1, 9, 20, 19, 35, 999));
  });

  it("reads whole seconds, short fractions, offsets and leap days", () => {
    expect(parseIsoMs("1970-01-01T00:00:00Z")).toBe(0);
    expect(parseIsoMs("2024-02-29T23:59:59.5Z")).toBe(Date.UTC(2024, 1, 29, 23, 59, 59, 500));
    expect(parseIsoMs("2023-10-04T09:48:25.123+02:00")).toBe(Date.UTC(2023, 9, 4, 7, 48, 25, 123));
    expect(parseIsoMs("2023-10-04T05:18:25.123-02:30")).toBe(Date.UTC(2023, 9, 4, 7, 48, 25, 123));
  });

  it("agrees with Date.UTC over many dates", () => {
    for (let y = 1971; y < 2100; y += 7) {
      for (let m = 1; m <= 12; m++) {
        const text = `${y}-${String(m).padStart(2, "0")}-28T13:14:15.016Z`;
        expect(parseIsoMs(text)).toBe(Date.UTC(y, m - 1, 28, 13, 14, 15, 16));
      }
    }
  });

  it.each(["", "2023-09-25", "2023-09-25T07:49:37", "2023-13-25T07:49:37Z", "2023-09-25T24:00:00Z", "2023-09-25T07:49:37.Z", "2023-09-25T07:49:37ZZ", "2023-09-25T07:49:37+0200", "abcd-ef-ghTij:kl:mnZ"])(
    "rejects %j",
    (text) => {
      expect(parseIsoMs(text)).toBeNull();
    },
  );
});

describe("parseIsoMs over a range of a frame", () => {
  it("gives the whole text's answer, whatever surrounds the range", () => {
    const texts = ["2023-09-25T07:49:37.708706Z", "2023-09-25T07:49:37Z", "2023-09-25T07:49:37.1+01:00", "2023-10-04T05:18:25.123-02:30", "2023-09-25T07:49:37.Z", "2023-09-25T07:49:37ZZ", "2023-09-25T07:49:37", "2023-13-25T07:49:37Z", "2023-09-25T07:49:3", "1970-01-01T00:00:00Z"];
    for (const text of texts) {
      for (const [before, after] of [['{"t":"', '"}'], ["", "5"], ["99", "Z"], ["", ""]]) {
        const frame = `${before}${text}${after}`;
        expect(parseIsoMs(frame, before!.length, before!.length + text.length), frame).toBe(parseIsoMs(text));
        expect(parseIsoMs(text), text).toBe(parseIsoMs(frame, before!.length, before!.length + text.length));
      }
    }
  });
});

describe("parseEpochMs", () => {
  it("reads ms and cuts µs and ns to ms", () => {
    expect(parseEpochMs("1672515782136")).toBe(1672515782136);
    expect(parseEpochMs("1672515782136999")).toBe(1672515782136);
    expect(parseEpochMs("1672515782136999999")).toBe(1672515782136);
    expect(parseEpochMs("1.5")).toBeNull();
    expect(parseEpochMs("16725157821369")).toBeNull();
  });
});
