import { describe, expect, it } from "vitest";
import { checkSourceLimits, nestingExceededAt } from "./source-limits.ts";

describe("source limits", () => {
  it("refuses a source over 1 MB, naming the limit", () => {
    const big = `export default 1;\n${"// padding\n".repeat(100_000)}`;
    expect(checkSourceLimits(big, "big.ts")).toEqual({ file: "big.ts", line: 1, column: 1, message: "the strategy is 1,100,018 bytes; the limit is 1 MB (1,048,576 bytes)" });
    expect(checkSourceLimits("export default 1;\n", "small.ts")).toBeNull();
  });

  it("refuses the 300k nested-literal bomb at the line:column where the limit is passed", () => {
    const bomb = `const a = 1;\nexport default ${"[".repeat(300_000)}${"]".repeat(300_000)}`;
    expect(checkSourceLimits(bomb, "bomb.ts")).toEqual({
      file: "bomb.ts",
      line: 2,
      column: 16 + 256,
      message: "brackets, braces and parentheses nest more than 256 levels deep (the limit)",
    });
  });

  it("counts parentheses, braces and template substitutions, and honours a configured depth", () => {
    expect(nestingExceededAt("f((((1))))", 3)).toBe(4);
    expect(nestingExceededAt("f((((1))))", 4)).toBe(-1);
    expect(nestingExceededAt("x = `a${ {b: `c${ d }`} }`", 3)).toBe(-1);
    expect(nestingExceededAt("x = `a${ {b: `c${ d }`} }`", 2)).toBe(15);
  });

  it("does not count brackets in strings, comments, template text or regular expressions", () => {
    const open = "(".repeat(50);
    const src = [`const s = "${open}", t = '${open}';`, `// ${open}`, `/* ${open} */`, `const u = \`${open}\`;`, `const r = /${open}[(]/g;`, "const q = a / b / (c);"].join("\n");
    expect(nestingExceededAt(src, 2)).toBe(-1);
    expect(nestingExceededAt(`return /[${open}]/;\n((()))`, 2)).toBe(`return /[${open}]/;\n((`.length);
  });
});
