import fs from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { STRATEGY_API_DTS } from "../../common/strategy/dts.ts";
import { DTS_MODULE, renderDtsModule } from "./dts-gen.ts";
import { StrategyCompileError, compileStrategy } from "./compile.ts";
import { typecheckStrategy } from "./typecheck.ts";
import { onBarOnlyReadsFields } from "../../common/strategy/engine/bar-view.ts";
import { definitionOf } from "../../common/strategy/engine/backtest.ts";
import "../../common/strategy/engine/sandbox-entry.ts";

const TEMPLATES = path.resolve(import.meta.dirname, "../../resources/templates");

describe("strategy API declarations and templates", () => {
  it("the generated d.ts module is up to date with common/strategy/api.ts", () => {
    expect(fs.readFileSync(DTS_MODULE, "utf8")).toBe(renderDtsModule());
    expect(STRATEGY_API_DTS).toContain("export declare function defineStrategy");
  });

  it.each(fs.readdirSync(TEMPLATES).filter((f) => f.endsWith(".ts")))("template %s type-checks and compiles", async (file) => {
    const source = fs.readFileSync(path.join(TEMPLATES, file), "utf8");
    expect(await typecheckStrategy(source, file)).toEqual([]);
    const compiled = await compileStrategy(source, file);
    expect(compiled.code).toContain("__strategyModule");
  });

  it.each([
    ["sma-crossover.ts", true],
    ["breakout.ts", true],
    ["rsi-mean-reversion.ts", false],
  ])("template %s, as compiled, gets the reused bar view: %s (rsi-mean-reversion passes its bar to atr)", async (file, reused) => {
    const compiled = await compileStrategy(fs.readFileSync(path.join(TEMPLATES, file), "utf8"), file);
    const mod = new Function(`${compiled.code}\nreturn __strategyModule;`)() as { default: unknown };
    expect(onBarOnlyReadsFields(definitionOf(mod.default).onBar)).toBe(reused);
  });

  it("infers the state type from setup and reports misuse with line:column", async () => {
    const src = 'import { defineStrategy } from "workstation";\nexport default defineStrategy({ params: { n: 3 },\n  setup: ({ ta }) => ({ m: ta.sma(3) }),\n  onBar(bar, ctx, s) { s.m.nope(); ctx.buy("1"); },\n});\n';
    const diags = await typecheckStrategy(src, "s.ts");
    expect(diags.map((d) => [d.line, d.column])).toEqual([[4, 28], [4, 44]]);
  });

  it("only \"workstation\" may be imported", async () => {
    const err = await compileStrategy('import x from "./other";\nexport default x;\n', "s.ts").catch((e: unknown) => e);
    expect(err).toBeInstanceOf(StrategyCompileError);
    expect((err as StrategyCompileError).diagnostics[0]).toMatchObject({ line: 1, column: 15, message: expect.stringMatching(/may only import "workstation"/) });
  });
});
