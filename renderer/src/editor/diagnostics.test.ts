import { describe, expect, it } from "vitest";
import { diagnosticsFrom, runFailure } from "./diagnostics.ts";

describe("runFailure", () => {
  it("shows a strategy's control characters escaped, in the message and at its line", () => {
    const message = "s.ts:7:35: Error: \x1b]52;c;aGVsbG8=\x07\u202e\nstrategy error: fake (in onBar, bar #7)";
    expect(runFailure(message)).toEqual({
      message: "s.ts:7:35: Error: \\x1b]52;c;aGVsbG8=\\x07\\u202e\nstrategy error: fake (in onBar, bar #7)",
      diagnostics: [{ line: 7, column: 35, message: "Error: \\x1b]52;c;aGVsbG8=\\x07\\u202e" }],
    });
  });

  it("escapes structured compile diagnostics too", () => {
    const details = { diagnostics: [{ line: 2, column: 1, message: "Type '\"\x1b[2J\"' is not assignable\nto type 'number'." }] };
    expect(runFailure("compile failed", details).diagnostics).toEqual([{ line: 2, column: 1, message: "Type '\"\\x1b[2J\"' is not assignable\\nto type 'number'." }]);
  });
});

describe("run errors of drafts", () => {
  it("finds line:column after a file name with spaces and parentheses", () => {
    expect(diagnosticsFrom("SMA crossover (draft).ts:4:7: TypeError: x is not a function")).toEqual([{ line: 4, column: 7, message: "TypeError: x is not a function" }]);
  });
});
