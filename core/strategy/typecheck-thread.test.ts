import { describe, expect, it } from "vitest";
import { typecheckStrategy } from "./typecheck.ts";

const GOOD = `import { defineStrategy } from "workstation";
export default defineStrategy({ params: { n: 3 }, onBar(bar, ctx) { if (bar.close > 0) ctx.log(ctx.params.n); } });
`;

describe("type-checking off the event loop", () => {
  it("keeps the event loop turning while the compiler runs, and reports errors with line:column", async () => {
    let ticks = 0;
    const timer = setInterval(() => ticks++, 1);
    const [good, bad] = await Promise.all([typecheckStrategy(GOOD, "good.ts"), typecheckStrategy(GOOD.replace("ctx.log", "ctx.lgo"), "bad.ts")]);
    clearInterval(timer);
    expect(good).toEqual([]);
    expect(bad).toHaveLength(1);
    expect(bad[0]).toMatchObject({ file: "bad.ts", line: 2 });
    expect(bad[0]!.message).toContain("lgo");
    expect(ticks).toBeGreaterThan(2);
  });
});
