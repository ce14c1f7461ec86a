/**
 * Where tests find the shared market data files that live outside the repository (too large, or
 * not ours to commit): `$WORKSTATION_SHARED_DATA` when set, else `../shared/data` beside the
 * checkout (where CI puts it). Tests that need one name it in their title and skip without it.
 */
import fs from "node:fs";
import path from "node:path";

/** The repository root. */
const ROOT = path.resolve(import.meta.dirname, "..", "..");

/** The shared data directory: `$WORKSTATION_SHARED_DATA`, else `<checkout>/../shared/data`. */
export function sharedDataDir(env: NodeJS.ProcessEnv = process.env): string {
  const fromEnv = env.WORKSTATION_SHARED_DATA;
  return fromEnv ? path.resolve(fromEnv) : path.resolve(ROOT, "..", "shared", "data");
}

/** A shared data file's path and whether it is there (a test skips when it is not). */
export function sharedDataFile(name: string): { file: string; present: boolean } {
  const file = path.join(sharedDataDir(), name);
  return { file, present: fs.existsSync(file) };
}

/** The data file of Oracle's daily bars 1995–2014 (Yahoo layout) the tests read. */
export const ORCL_DAILY = "orcl-1995-2014.txt";
