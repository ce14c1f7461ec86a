import { describe, expect, it } from "vitest";
import { problemList, useProblems } from "./problems.ts";

describe("problemList", () => {
  it("merges type and run errors in line order, each once", () => {
    const list = problemList(
      [{ line: 9, column: 3, message: "Type 'string' is not assignable" }, { line: 2, column: 1, message: "Cannot find name 'x'" }],
      [{ line: 5, column: 7, message: "TypeError: boom" }, { line: 2, column: 1, message: "Cannot find name 'x'" }],
    );
    expect(list.map((p) => [p.line, p.source])).toEqual([[2, "run"], [5, "run"], [9, "type"]]);
  });

  it("orders errors on one line by column", () => {
    const list = problemList([{ line: 4, column: 9, message: "b" }, { line: 4, column: 2, message: "a" }], []);
    expect(list.map((p) => p.message)).toEqual(["a", "b"]);
  });
});

describe("useProblems.requestReveal", () => {
  it("makes every click a new request, the same line included", () => {
    useProblems.getState().requestReveal(3, 1);
    const first = useProblems.getState().reveal;
    useProblems.getState().requestReveal(3, 1);
    expect(useProblems.getState().reveal).toEqual({ line: 3, column: 1, seq: (first?.seq ?? 0) + 1 });
  });
});
