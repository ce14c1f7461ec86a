import { describe, expect, it } from "vitest";
import { escapeControls } from "./escape.ts";

describe("escapeControls", () => {
  it("makes terminal escape sequences visible", () => {
    expect(escapeControls("\x1b]52;c;aGVsbG8=\x07")).toBe("\\x1b]52;c;aGVsbG8=\\x07");
    expect(escapeControls("\x1b]0;title\x1b\\ \x1b[2J\x1b[H")).toBe("\\x1b]0;title\\x1b\\ \\x1b[2J\\x1b[H");
    expect(escapeControls("a\x00b\x08c\x7fd")).toBe("a\\x00b\\x08c\\u007fd");
  });

  it("escapes line ends, so text cannot fake a line, unless the newlines are kept", () => {
    expect(escapeControls("ok\nstrategy error: fake\r")).toBe("ok\\nstrategy error: fake\\r");
    expect(escapeControls("one\ntwo\r\n", { keepNewlines: true })).toBe("one\ntwo\\r\n");
  });

  it("escapes C1 controls, line separators and bidi controls, keeps tabs and other text", () => {
    expect(escapeControls("\u009b2J\u0085")).toBe("\\u009b2J\\u0085");
    expect(escapeControls("a\u2028b\u2029c")).toBe("a\\u2028b\\u2029c");
    expect(escapeControls("\u202egnp.exe \u2066x\u2069 \u200f")).toBe("\\u202egnp.exe \\u2066x\\u2069 \\u200f");
    expect(escapeControls("BTC/USD\tÄpfel € 日本 😀 \\x1b")).toBe("BTC/USD\tÄpfel € 日本 😀 \\x1b");
  });

  it("keeps a JSON text valid and equal in value", () => {
    const value = { log: "\x1b[31mred\u009b\u2028\u202e\x7f", n: 1 };
    const escaped = escapeControls(JSON.stringify(value), { keepNewlines: true });
    expect(escaped).not.toMatch(/[\u007f-\u009f\u2028\u202e]/);
    expect(JSON.parse(escaped)).toEqual(value);
  });

  it("is idempotent", () => {
    const once = escapeControls("\x1b\n\u009b");
    expect(escapeControls(once)).toBe(once);
  });
});
