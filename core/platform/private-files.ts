/**
 * Owner-only files. Everything core and the CLI write into a data directory (databases and their
 * WAL/journal files, logs, caches, archives, the lock) holds a trader's data or secrets, so it is
 * created 0600 (folders 0700) whatever the mode of a data directory that already existed: a
 * process-wide umask of 0o077 covers files that libraries create (DuckDB's WAL, SQLite's journals,
 * DuckDB's COPY output), and the helpers here give explicit modes where the code creates a file.
 */
import fs from "node:fs";
import { isMainThread } from "node:worker_threads";

/** Mode of every file core creates. */
export const PRIVATE_FILE_MODE = 0o600;
/** Mode of every folder core creates. */
export const PRIVATE_DIR_MODE = 0o700;

/**
 * Adds 0o077 to the process umask (a stricter one is kept), so files that libraries create are
 * owner-only; children (strategy workers) inherit it. A no-op on Windows and in worker threads.
 */
export function restrictFileModes(): void {
  if (process.platform === "win32" || !isMainThread) return;
  const previous = process.umask(0o077);
  process.umask(previous | 0o077);
}

/** Creates `file` empty with mode 0600 if it does not exist (SQLite then gives its WAL and journals the same mode). */
export function createPrivateFile(file: string): void {
  try {
    fs.closeSync(fs.openSync(file, fs.constants.O_CREAT | fs.constants.O_EXCL | fs.constants.O_WRONLY, PRIVATE_FILE_MODE));
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== "EEXIST") throw err;
  }
}

/** Takes group and other permissions off existing files (databases created by an earlier version); missing files are skipped. */
export function makePrivate(...files: string[]): void {
  if (process.platform === "win32") return;
  for (const file of files) {
    try {
      const mode = fs.statSync(file).mode & 0o777;
      if ((mode & 0o077) !== 0) fs.chmodSync(file, mode & 0o700);
    } catch {
      // Missing, or not ours to change: nothing to tighten.
    }
  }
}
