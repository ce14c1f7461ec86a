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

describe("type-checking reads nothing from disk but the strategy and the compiler's library", () => {
  it("does not follow a /// <reference path> to another file", async () => {
    const fs = await import("node:fs");
    const os = await import("node:os");
    const path = await import("node:path");
    const secret = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "ws-tc-")), "secret.ts");
    fs.writeFileSync(secret, "secretToken123;\n");
    const diags = await typecheckStrategy(`/// <reference path="${secret}" />\n${GOOD}`, "ref.ts");
    expect(diags.map((d) => d.message).join("\n")).not.toContain("secretToken123");
    expect(diags.some((d) => d.message.includes("not found") || d.message.includes("TS6053"))).toBe(true);
  });
});
