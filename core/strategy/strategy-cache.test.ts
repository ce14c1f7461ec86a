/**
 * The type-check cache: a clean result is stored and used as is the next time (no compiler run),
 * a check is not skipped because a compile-only entry exists, a source with type errors is never
 * stored, and a damaged entry is checked afresh after one warning line.
 */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { StrategyCompileError } from "./compile.ts";
import { prepareStrategyCached } from "./strategy-cache.ts";

const GOOD = 'import { defineStrategy } from "workstation";\nexport default defineStrategy({ params: {}, onBar() {} });\n';
const TYPE_ERROR = 'import { defineStrategy } from "workstation";\nexport default defineStrategy({ params: {}, onBar(bar) { const s: string = bar.close; } });\n';

let dataDir = "";
const entries = (): string[] => {
  const dir = path.join(dataDir, "cache", "strategies");
  return fs.existsSync(dir) ? fs.readdirSync(dir).map((n) => path.join(dir, n)) : [];
};

beforeEach(() => {
  dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "ws-strategy-cache-"));
});
afterEach(() => fs.rmSync(dataDir, { recursive: true, force: true }));

describe("type-check cache", () => {
  it("stores a clean result and serves the next run from it", async () => {
    const warnings: string[] = [];
    const first = await prepareStrategyCached(dataDir, GOOD, "good.ts", { typecheck: true }, (l) => warnings.push(l));
    expect(entries()).toHaveLength(1);
    // Mark the stored code: a hit returns it unchanged, so the mark proves no compiler ran.
    const file = entries()[0]!;
    fs.writeFileSync(file, fs.readFileSync(file, "utf8").replace('"code":"', '"code":"/*cached*/'));
    const second = await prepareStrategyCached(dataDir, GOOD, "good.ts", { typecheck: true }, (l) => warnings.push(l));
    expect(second.code).toBe(`/*cached*/${first.code}`);
    expect(second.sourceHash).toBe(first.sourceHash);
    expect(warnings).toEqual([]);
  });

  it("a compile-only entry does not skip a type check that is asked for", async () => {
    await prepareStrategyCached(dataDir, TYPE_ERROR, "bad.ts", { typecheck: false }, () => undefined);
    expect(entries()).toHaveLength(1);
    const err = await prepareStrategyCached(dataDir, TYPE_ERROR, "bad.ts", { typecheck: true }, () => undefined).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(StrategyCompileError);
    expect((err as StrategyCompileError).diagnostics[0]!.message).toMatch(/Type 'number' is not assignable to type 'string'/);
  });

  it("never stores a source with type errors", async () => {
    await expect(prepareStrategyCached(dataDir, TYPE_ERROR, "bad.ts", { typecheck: true }, () => undefined)).rejects.toBeInstanceOf(StrategyCompileError);
    expect(entries()).toEqual([]);
  });

  it("a corrupt entry is checked afresh after one warning line", async () => {
    const first = await prepareStrategyCached(dataDir, GOOD, "good.ts", { typecheck: true }, () => undefined);
    fs.writeFileSync(entries()[0]!, '{"format":1,"key":');
    const warnings: string[] = [];
    const again = await prepareStrategyCached(dataDir, GOOD, "good.ts", { typecheck: true }, (l) => warnings.push(l));
    expect(again.code).toBe(first.code);
    expect(warnings).toEqual([expect.stringMatching(/^warning: type-check cache entry not used: not a valid cache entry/)]);
  });
});
