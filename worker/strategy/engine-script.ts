/**
 * The engine's source as one script for the sandbox: `common/strategy/engine/sandbox-entry.ts`
 * bundled with esbuild on first use (once per worker process) and kept in memory. A packaged app
 * may ship the bundle prebuilt as `strategy-engine.js` next to the worker entry instead. Run from
 * the source tree, the bundle is also kept on disk (the user's cache folder, owner-only) with the
 * size and mtime of every file it was built from, so a new worker process starts without running
 * esbuild until one of those files changes; esbuild itself is loaded only then (it is ~10 ms of a
 * worker's start otherwise).
 */
import crypto from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import { createRequire } from "node:module";
import path from "node:path";
import { fileURLToPath } from "node:url";
import type * as Esbuild from "esbuild";
import type { BuildOptions } from "esbuild";

let cached: string | null = null;

/** How the engine is bundled for the sandbox; `scripts/bundle-node.ts` prebuilds it with the same options. */
export const ENGINE_BUILD_OPTIONS = {
  bundle: true,
  format: "iife",
  platform: "neutral",
  target: "es2022",
  legalComments: "none",
  logLevel: "silent",
} as const satisfies BuildOptions;

/** The engine's bundle entry in the source tree. */
export const ENGINE_ENTRY = fileURLToPath(new URL("../../common/strategy/engine/sandbox-entry.ts", import.meta.url));

/** A bundle on disk and the files it was built from: `[absolute path, size, mtimeMs]`. */
interface StoredBundle {
  inputs: [string, number, number][];
  code: string;
}

function bundleCacheFile(entry: string): string {
  const base = process.env.XDG_CACHE_HOME || path.join(os.homedir(), ".cache");
  const key = crypto.createHash("sha1").update(entry).digest("hex").slice(0, 16);
  return path.join(base, "workstation", "engine", `${key}.json`);
}

function storedBundle(file: string): string | null {
  try {
    const stored = JSON.parse(fs.readFileSync(file, "utf8")) as StoredBundle;
    const fresh = stored.inputs.every(([p, size, mtimeMs]) => {
      const st = fs.statSync(p, { throwIfNoEntry: false });
      return st !== undefined && st.size === size && st.mtimeMs === mtimeMs;
    });
    return fresh && typeof stored.code === "string" ? stored.code : null;
  } catch {
    return null; // absent or damaged: bundle afresh
  }
}

/** Bundles `entry` for the sandbox, through the on-disk bundle cache. */
export function bundleFromSource(entry: string): string {
  const cacheFile = bundleCacheFile(entry);
  const hit = storedBundle(cacheFile);
  if (hit !== null) return hit;
  const { buildSync } = createRequire(import.meta.url)("esbuild") as typeof Esbuild;
  const out = buildSync({ ...ENGINE_BUILD_OPTIONS, entryPoints: [entry], write: false, metafile: true });
  const code = out.outputFiles[0]!.text;
  try {
    const inputs = Object.keys(out.metafile.inputs).map((rel): [string, number, number] => {
      const abs = path.resolve(rel);
      const st = fs.statSync(abs);
      return [abs, st.size, st.mtimeMs];
    });
    fs.mkdirSync(path.dirname(cacheFile), { recursive: true, mode: 0o700 });
    const tmp = `${cacheFile}.${process.pid}.tmp`;
    fs.writeFileSync(tmp, JSON.stringify({ inputs, code } satisfies StoredBundle), { mode: 0o600 });
    fs.renameSync(tmp, cacheFile);
  } catch {
    // Not cached (read-only home, ...): the next worker bundles again.
  }
  return code;
}

/** The engine script text. */
export function engineScript(): string {
  if (cached !== null) return cached;
  const prebuilt = fileURLToPath(new URL("./strategy-engine.js", import.meta.url));
  cached = fs.existsSync(ENGINE_ENTRY) ? bundleFromSource(ENGINE_ENTRY) : fs.readFileSync(prebuilt, "utf8");
  return cached;
}
