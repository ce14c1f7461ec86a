import { describe, expect, it } from "vitest";
import { StrategyCompileError, compileStrategy, type CompiledStrategy } from "./compile.ts";

const GOOD = `import { defineStrategy } from "workstation";
export default defineStrategy({ params: {}, onBar(bar, ctx) { ctx.log(bar.close); } });
`;
/** The bomb: 300k nested array literals overflow esbuild's (Go) stack. */
const NESTED_BOMB = `export default ${"[".repeat(300_000)}${"]".repeat(300_000)}`;

async function compileError(source: string, opts?: Parameters<typeof compileStrategy>[2]): Promise<StrategyCompileError> {
  const err: unknown = await compileStrategy(source, "bomb.ts", opts).then(
    () => new Error("expected a compile error"),
    (e: unknown) => e,
  );
  if (!(err instanceof StrategyCompileError)) throw err;
  return err;
}

async function expectCompiles(): Promise<void> {
  const compiled: CompiledStrategy = await compileStrategy(GOOD, "good.ts");
  expect(compiled.code).toContain("__strategyModule");
}

describe("compiling hostile sources", () => {
  it("refuses the nested-literal bomb in one line naming the limit and line:column, then compiles normally", async () => {
    const err = await compileError(NESTED_BOMB);
    expect(err.message).toBe("bomb.ts:1:272: error: brackets, braces and parentheses nest more than 256 levels deep (the limit)");
    await expectCompiles();
  });

  it("refuses a source over 1 MB, naming the limit", async () => {
    const err = await compileError(`${GOOD}${" ".repeat(1024 * 1024)}`);
    expect(err.message).toMatch(/^bomb\.ts:1:1: error: the strategy is [\d,]+ bytes; the limit is 1 MB \(1,048,576 bytes\)$/);
  });

  it("recovers when esbuild's service dies (the bomb let through): one line, and the next compile works", async () => {
    const err = await compileError(NESTED_BOMB, { sourceLimits: { maxNestingDepth: Infinity } });
    expect(err.message).toBe("bomb.ts:1:1: error: esbuild crashed compiling this strategy (most likely nesting too deep); simplify it");
    await expectCompiles();
  });

  it("reports a compile past its deadline", async () => {
    const err = await compileError(GOOD, { limits: { deadlineMs: 1 } });
    expect(err.message).toBe("bomb.ts:1:1: error: compile exceeded 0.001 s");
    await expectCompiles();
  });
});
