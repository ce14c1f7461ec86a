import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { helperPids } from "./toolchain-pool.ts";
import { typecheckStrategy } from "./typecheck.ts";

const GOOD = `import { defineStrategy } from "workstation";
export default defineStrategy({ params: { n: 3 }, onBar(bar, ctx) { if (bar.close > 0) ctx.log(ctx.params.n); } });
`;

/** A type-level bomb: the permutations of a union of `n` members (10 takes minutes and gigabytes). */
const typeBomb = (n: number) => {
  const members = "abcdefghijkl".slice(0, n).split("").map((c) => `'${c}'`).join(" | ");
  return `type U = ${members};
type Perm<T, K = T> = [T] extends [never] ? [] : K extends K ? [K, ...Perm<Exclude<T, K>>] : never;
const x: Perm<U> = null!;
export default x;
`;
};

/** Settles to "pending" unless `p` has already settled. */
const stateOf = (p: Promise<unknown>) => Promise.race([p.then(() => "settled", () => "settled"), new Promise((r) => setImmediate(() => r("pending")))]);

describe("type-checking", () => {
  it("reports type errors with line:column", async () => {
    const [good, bad] = await Promise.all([typecheckStrategy(GOOD, "good.ts"), typecheckStrategy(GOOD.replace("ctx.log", "ctx.lgo"), "bad.ts")]);
    expect(good).toEqual([]);
    expect(bad).toHaveLength(1);
    expect(bad[0]).toMatchObject({ file: "bad.ts", line: 2 });
    expect(bad[0]!.message).toContain("lgo");
  });

  it("ends a type bomb at its deadline with one diagnostic", async () => {
    const diags = await typecheckStrategy(typeBomb(10), "bomb.ts", { limits: { deadlineMs: 500 } });
    expect(diags).toEqual([{ file: "bomb.ts", line: 1, column: 1, message: "type check exceeded 0.5 s" }]);
  });

  it("ends a type bomb that exhausts its heap with one diagnostic naming the limit", async () => {
    const diags = await typecheckStrategy(typeBomb(10), "bomb.ts", { limits: { heapMb: 96 } });
    expect(diags).toEqual([{ file: "bomb.ts", line: 1, column: 1, message: "type check ran out of memory (heap limit 96 MB)" }]);
  });

  it("runs a harmless check while a bomb is being checked (the event loop keeps turning), and cancels the bomb", async () => {
    const abort = new AbortController();
    const bomb = typecheckStrategy(typeBomb(10), "bomb.ts", { limits: { deadlineMs: 120_000 }, signal: abort.signal });
    expect(await typecheckStrategy(GOOD, "good.ts")).toEqual([]);
    expect(await stateOf(bomb)).toBe("pending");
    abort.abort();
    await expect(bomb).rejects.toThrow("cancelled");
  });

  it("fails only the check whose helper process is killed; the next check works", async () => {
    const bomb = typecheckStrategy(typeBomb(10), "bomb.ts", { limits: { deadlineMs: 120_000 } });
    for (const pid of helperPids()) process.kill(pid, "SIGKILL");
    await expect(bomb).rejects.toThrow("type check failed: its helper process died (SIGKILL)");
    expect(await typecheckStrategy(GOOD, "good.ts")).toEqual([]);
  });

  it("refuses a source over 1 MB without running the compiler", async () => {
    const diags = await typecheckStrategy(`${GOOD}${" ".repeat(1024 * 1024)}`, "big.ts", { limits: { deadlineMs: 1 } });
    expect(diags).toHaveLength(1);
    expect(diags[0]!.message).toContain("the limit is 1 MB");
  });
});

describe("type-checking reads nothing from disk but the strategy and the compiler's library", () => {
  it("does not follow a /// <reference path> to another file", async () => {
    const secret = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "ws-tc-")), "secret.ts");
    fs.writeFileSync(secret, "secretToken123;\n");
    const diags = await typecheckStrategy(`/// <reference path="${secret}" />\n${GOOD}`, "ref.ts");
    expect(diags.map((d) => d.message).join("\n")).not.toContain("secretToken123");
    expect(diags.some((d) => d.message.includes("not found") || d.message.includes("TS6053"))).toBe(true);
  });
});
