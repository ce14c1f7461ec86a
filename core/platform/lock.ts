/**
 * The core lock file `<dataDir>/core.lock.json` (owner-only): says which process owns the data
 * directory and where its API listens, so a second core refuses to start and CLI commands that
 * need the store talk to the running core instead of opening the databases themselves.
 */
import fs from "node:fs";
import path from "node:path";

/** Contents of the lock file. */
export interface CoreLock {
  pid: number;
  port: number;
  token: string;
  url: string;
  instanceId: string;
  startedAt: number;
}

/** Path of the lock file inside a data directory. */
export function lockPath(dataDir: string): string {
  return path.join(dataDir, "core.lock.json");
}

/** True when a process with this pid exists. */
export function isProcessAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === "EPERM";
  }
}

/** Reads the lock of a live core; a stale lock (dead pid, unreadable file) reads as none. */
export function readLiveLock(dataDir: string): CoreLock | null {
  let lock: CoreLock;
  try {
    lock = JSON.parse(fs.readFileSync(lockPath(dataDir), "utf8")) as CoreLock;
  } catch {
    return null;
  }
  if (typeof lock.pid !== "number" || typeof lock.port !== "number" || typeof lock.token !== "string") return null;
  return isProcessAlive(lock.pid) ? lock : null;
}

/** Writes the lock atomically with mode 0600. */
export function writeLock(dataDir: string, lock: CoreLock): void {
  const file = lockPath(dataDir);
  const tmp = `${file}.${process.pid}.tmp`;
  fs.writeFileSync(tmp, JSON.stringify(lock), { mode: 0o600 });
  fs.renameSync(tmp, file);
}

/** Removes the lock if it is still ours. */
export function removeLock(dataDir: string, pid: number = process.pid): void {
  try {
    const lock = JSON.parse(fs.readFileSync(lockPath(dataDir), "utf8")) as CoreLock;
    if (lock.pid === pid) fs.unlinkSync(lockPath(dataDir));
  } catch {
    // Already gone or unreadable: nothing of ours to remove.
  }
}
