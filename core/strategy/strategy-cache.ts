/**
 * Prepared strategies remembered in the data directory (`cache/strategies/`): a strategy whose
 * exact source was compiled (and type-checked clean) before, against the same strategy API
 * declarations, compiler versions and app version, is ready at once — no compiler helper process
 * is started and the TypeScript compiler is never loaded. Only clean results are kept: a source
 * with errors is checked again each time (its diagnostics come fresh), and so is a check that hit
 * a limit. A damaged or foreign entry is ignored after one warning line.
 */
import crypto from "node:crypto";
import fs from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";
import { STRATEGY_API_DTS } from "../../common/strategy/dts.ts";
import { VERSION } from "../version.ts";
import { cacheFolder, evictOldest, readCacheJson, writeAtomic } from "./cache-files.ts";
import type { ToolchainOptions } from "./compile.ts";
import { prepareStrategy, type PreparedStrategy } from "./runner.ts";

/** Version of the entry layout. */
export const STRATEGY_CACHE_FORMAT = 1;
const MAX_BYTES = 32 * 1024 * 1024;

interface Entry {
  format: number;
  key: string;
  typechecked: boolean;
  code: string;
  sourceMap: string;
  filename: string;
}

let toolchainStamp: string | null = null;

/** The versions a prepared strategy depends on besides its source: app, strategy API, compilers. */
export function strategyApiStamp(): string {
  if (toolchainStamp === null) {
    const require = createRequire(import.meta.url);
    const versionOf = (pkg: string): string => (JSON.parse(fs.readFileSync(require.resolve(`${pkg}/package.json`), "utf8")) as { version: string }).version;
    const api = crypto.createHash("sha256").update(STRATEGY_API_DTS).digest("hex");
    toolchainStamp = JSON.stringify([STRATEGY_CACHE_FORMAT, VERSION, api, versionOf("typescript"), versionOf("esbuild")]);
  }
  return toolchainStamp;
}

function keyOf(source: string, filename: string): string {
  return crypto.createHash("sha256").update(strategyApiStamp()).update("\0").update(path.basename(filename)).update("\0").update(source).digest("hex");
}

function usable(value: Record<string, unknown>, key: string): Entry | null {
  const e = value as unknown as Entry;
  const ok = e.format === STRATEGY_CACHE_FORMAT && e.key === key && typeof e.code === "string" && typeof e.sourceMap === "string" && typeof e.filename === "string";
  return ok ? e : null;
}

/**
 * {@link prepareStrategy} through the data directory's cache: a hit returns the stored compile
 * (when it was type-checked clean, or no check is asked for); a miss prepares and stores a clean result.
 */
export async function prepareStrategyCached(
  dataDir: string,
  source: string,
  filename: string,
  opts: ToolchainOptions & { typecheck: boolean },
  warn: (line: string) => void,
): Promise<PreparedStrategy> {
  const key = keyOf(source, filename);
  const dir = cacheFolder(dataDir, "strategies");
  const file = path.join(dir, `${key.slice(0, 40)}.json`);
  const stored = readCacheJson(file);
  if (stored.state === "damaged") warn(`warning: type-check cache entry not used: ${stored.why}; checking afresh`);
  const entry = stored.state === "ok" ? usable(stored.value, key) : null;
  if (stored.state === "ok" && !entry) warn("warning: type-check cache entry not used: written by another version or corrupt; checking afresh");
  if (entry && (entry.typechecked || !opts.typecheck)) {
    const sourceHash = crypto.createHash("sha256").update(source).digest("hex");
    return { code: entry.code, sourceMap: entry.sourceMap, filename: entry.filename, source, sourceHash };
  }
  const prepared = await prepareStrategy(source, filename, opts);
  const fresh: Entry = { format: STRATEGY_CACHE_FORMAT, key, typechecked: opts.typecheck, code: prepared.code, sourceMap: prepared.sourceMap, filename: prepared.filename };
  try {
    writeAtomic(file, (tmp) => fs.writeFileSync(tmp, JSON.stringify(fresh), { mode: 0o600 }));
    evictOldest(dir, MAX_BYTES, (f) => fs.statSync(f, { throwIfNoEntry: false })?.size ?? 0, (f) => fs.rmSync(f, { force: true }));
  } catch (err) {
    warn(`warning: type-check result not cached: ${(err as Error).message}`);
  }
  return prepared;
}
