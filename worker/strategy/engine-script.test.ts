/**
 * The engine bundle kept on disk: a second worker gets the stored bundle without running esbuild,
 * and an edit of any file the bundle was built from (not only the entry) builds it afresh.
 */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { bundleFromSource } from "./engine-script.ts";

let dir = "";
let saved: string | undefined;

beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), "ws-engine-bundle-"));
  saved = process.env.XDG_CACHE_HOME;
  process.env.XDG_CACHE_HOME = path.join(dir, "cache");
  fs.writeFileSync(path.join(dir, "dep.ts"), "export const answer = 41;\n");
  fs.writeFileSync(path.join(dir, "entry.ts"), 'import { answer } from "./dep.ts";\n(globalThis as { out?: number }).out = answer + 1;\n');
});
afterEach(() => {
  if (saved === undefined) delete process.env.XDG_CACHE_HOME;
  else process.env.XDG_CACHE_HOME = saved;
  fs.rmSync(dir, { recursive: true, force: true });
});

const stored = (): string => {
  const folder = path.join(dir, "cache", "workstation", "engine");
  return path.join(folder, fs.readdirSync(folder)[0]!);
};

describe("engine bundle cache", () => {
  it("serves the stored bundle while its inputs are unchanged, and rebuilds after an edit of an import", () => {
    const entry = path.join(dir, "entry.ts");
    const first = bundleFromSource(entry);
    expect(first).toContain("41");
    // Mark the stored bundle: getting the mark back proves esbuild did not run.
    fs.writeFileSync(stored(), fs.readFileSync(stored(), "utf8").replace('"code":"', '"code":"/*stored*/'));
    expect(bundleFromSource(entry)).toBe(`/*stored*/${first}`);
    fs.writeFileSync(path.join(dir, "dep.ts"), "export const answer = 4100;\n");
    const rebuilt = bundleFromSource(entry);
    expect(rebuilt).toContain("4100");
    expect(rebuilt).not.toContain("/*stored*/");
  });

  it("a damaged stored bundle is rebuilt", () => {
    const entry = path.join(dir, "entry.ts");
    const first = bundleFromSource(entry);
    fs.writeFileSync(stored(), "{");
    expect(bundleFromSource(entry)).toBe(first);
  });
});
