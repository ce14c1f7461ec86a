/**
 * The engine's source as one script for the sandbox: `common/strategy/engine/sandbox-entry.ts`
 * bundled with esbuild on first use (once per worker process) and kept in memory. A packaged app
 * may ship the bundle prebuilt as `strategy-engine.js` next to the worker entry instead.
 */
import fs from "node:fs";
import { fileURLToPath } from "node:url";
import { buildSync, type BuildOptions } from "esbuild";

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

function bundleFromSource(entry: string): string {
  const out = buildSync({ ...ENGINE_BUILD_OPTIONS, entryPoints: [entry], write: false });
  return out.outputFiles[0]!.text;
}

/** The engine script text. */
export function engineScript(): string {
  if (cached !== null) return cached;
  const prebuilt = fileURLToPath(new URL("./strategy-engine.js", import.meta.url));
  cached = fs.existsSync(ENGINE_ENTRY) ? bundleFromSource(ENGINE_ENTRY) : fs.readFileSync(prebuilt, "utf8");
  return cached;
}
