import { describe, expect, it } from "vitest";
import { bandPath, linePaths, thin } from "./lines.ts";

describe("line chart paths", () => {
  it("scales every series into one box with a shared range, skipping non-finite values", () => {
    const r = linePaths([[0, 5, 10], [10, Number.NaN, 0]], 100, 50);
    expect(r).toEqual({ paths: ["M0.0,50.0L50.0,25.0L100.0,0.0", "M0.0,0.0L100.0,50.0"], min: 0, max: 10 });
    expect(linePaths([[3, 3]], 10, 10).paths[0]).toBe("M0.0,10.0L10.0,10.0");
  });

  it("thins long series evenly, keeping both ends", () => {
    expect(thin([0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10], 3)).toEqual([0, 5, 10]);
    expect(thin([1, 2], 5)).toEqual([1, 2]);
  });

  it("closes a band along the lower path and back along the upper one", () => {
    expect(bandPath("M0,10L5,8L10,6", "M0,4L5,3L10,2")).toBe("M0,10L5,8L10,6L10,2L5,3L0,4Z");
    expect(bandPath("", "M0,1")).toBe("");
  });
});
