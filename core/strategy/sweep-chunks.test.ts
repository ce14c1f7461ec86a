import { describe, expect, it } from "vitest";
import { sweepChunks } from "./sweep-runner.ts";

const ids = (n: number) => Array.from({ length: n }, (_, i) => i);

describe("sweepChunks", () => {
  it("shrinks the batches towards the end so the lanes finish together, keeping every combination once in order", () => {
    const chunks = sweepChunks(ids(100), 2);
    expect(chunks.map((c) => c.length)).toEqual([25, 19, 14, 11, 8, 6, 5, 3, 3, 2, 1, 1, 1, 1]);
    expect(chunks.flat()).toEqual(ids(100));
  });

  it("caps a batch at 25 and uses a fixed size when given one", () => {
    expect(sweepChunks(ids(200), 1)[0]).toHaveLength(25);
    expect(sweepChunks(ids(7), 2, 3).map((c) => c.length)).toEqual([3, 3, 1]);
    expect(sweepChunks(ids(7), 2, 7)).toEqual([ids(7)]);
  });

  it("gives no batch for no combinations and one-combination batches when there are few", () => {
    expect(sweepChunks([], 2)).toEqual([]);
    expect(sweepChunks(ids(3), 4).map((c) => c.length)).toEqual([1, 1, 1]);
  });
});
