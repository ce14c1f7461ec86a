/**
 * The engine's source as one script for the sandbox: `common/strategy/engine/sandbox-entry.ts`
 * bundled with esbuild on first use (once per worker process) and kept in memory. A packaged app
 * may ship the bundle prebuilt as `strategy-engine.js` next to the worker entry instead.
 */
import fs from "node:fs";
import { fileURLToPath } from "node:url";
import { buildSync } from "esbuild";

let cached: string | null = null;

function bundleFromSource(entry: string): string {
  const out = buildSync({
    entryPoints: [entry],
    bundle: true,
    format: "iife",
    platform: "neutral",
    target: "es2022",
    write: false,
    legalComments: "none",
    logLevel: "silent",
  });
  return out.outputFiles[0]!.text;
}

/** The engine script text. */
export function engineScript(): string {
  if (cached !== null) return cached;
  const prebuilt = fileURLToPath(new URL("./strategy-engine.js", import.meta.url));
  const source = fileURLToPath(new URL("../../common/strategy/engine/sandbox-entry.ts", import.meta.url));
  cached = fs.existsSync(source) ? bundleFromSource(source) : fs.readFileSync(prebuilt, "utf8");
  return cached;
}
