/**
 * One live broker per venue account across processes: whoever trades `live:<venue>` of a data
 * directory (a `workstation live` process, or the running core) holds `<dataDir>/live-<venue>.lock.json`
 * (owner-only) naming its pid, process start time and kind. It is taken atomically (written whole to
 * a private file and hard-linked into place, which fails if a lock exists), like the core lock. A
 * lock is live while its process exists and, where `/proc` tells, started at the recorded time (a
 * reused pid is not the holder); a stale lock is replaced. The other process is refused with who
 * holds the account.
 */
import crypto from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import { isProcessAlive } from "../../platform/lock.ts";

/** Contents of an account lock. */
export interface AccountLock {
  account: string;
  pid: number;
  /** `/proc/<pid>/stat` start time (clock ticks since boot), null where there is no `/proc`. */
  procStart: string | null;
  holder: "cli" | "core";
  since: number;
}

/** Another live process trades the account. */
export class AccountLockedError extends Error {
  override name = "AccountLockedError";
  readonly lock: AccountLock;

  constructor(lock: AccountLock) {
    super(
      lock.holder === "cli"
        ? `${lock.account} is traded by \`workstation live\` (pid ${lock.pid}): stop it (Ctrl-C) before trading this account in core`
        : `${lock.account} is traded by the running core (pid ${lock.pid}; live sessions in the Trading panel): stop them there, or run this strategy in core with Deploy → Live`,
    );
    this.lock = lock;
  }
}

/** Path of an account's lock in a data directory. */
export function accountLockPath(dataDir: string, account: string): string {
  return path.join(dataDir, `${account.replace(/[^a-z0-9-]/gi, "-")}.lock.json`);
}

/** The start time of a process from `/proc` (field 22 of its stat), or null. */
function procStart(pid: number): string | null {
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, "utf8");
    return stat.slice(stat.lastIndexOf(")") + 2).split(" ")[19] ?? null;
  } catch {
    return null;
  }
}

function readLock(file: string): { text: string; lock: AccountLock | null } | null {
  let text: string;
  try {
    text = fs.readFileSync(file, "utf8");
  } catch {
    return null;
  }
  try {
    const lock = JSON.parse(text) as Partial<AccountLock> | null;
    return { text, lock: lock && typeof lock.pid === "number" && typeof lock.account === "string" ? (lock as AccountLock) : null };
  } catch {
    return { text, lock: null };
  }
}

/** Whether the lock's process still runs (the same process: its start time matches where known). */
export function isAccountLockLive(lock: AccountLock): boolean {
  if (!isProcessAlive(lock.pid)) return false;
  const now = procStart(lock.pid);
  return lock.procStart === null || now === null || now === lock.procStart;
}

function tryCreate(file: string, lock: AccountLock): boolean {
  const tmp = `${file}.${crypto.randomBytes(6).toString("hex")}.tmp`;
  fs.writeFileSync(tmp, JSON.stringify(lock), { mode: 0o600, flag: "wx" });
  try {
    fs.linkSync(tmp, file);
    return true;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === "EEXIST") return false;
    throw err;
  } finally {
    fs.rmSync(tmp, { force: true });
  }
}

/** The live holder of an account, or null. */
export function accountHolder(dataDir: string, account: string): AccountLock | null {
  const lock = readLock(accountLockPath(dataDir, account))?.lock ?? null;
  return lock && isAccountLockLive(lock) ? lock : null;
}

/**
 * Takes the account for this process; throws {@link AccountLockedError} when another live process
 * holds it. Taking it again from the process that holds it succeeds. Returns the release.
 */
export function acquireAccountLock(dataDir: string, account: string, holder: AccountLock["holder"]): () => void {
  const file = accountLockPath(dataDir, account);
  const mine: AccountLock = { account, pid: process.pid, procStart: procStart(process.pid), holder, since: Date.now() };
  for (let attempt = 0; !tryCreate(file, mine); attempt++) {
    const current = readLock(file);
    if (current?.lock && isAccountLockLive(current.lock)) {
      if (current.lock.pid !== process.pid) throw new AccountLockedError(current.lock);
      fs.writeFileSync(file, JSON.stringify(mine), { mode: 0o600 });
      break;
    }
    if (attempt > 20) throw new Error(`could not take ${file}: other processes keep racing for it`);
    if (current && readLock(file)?.text === current.text) fs.rmSync(file, { force: true });
  }
  return () => {
    const now = readLock(file)?.lock;
    if (now && now.pid === process.pid && now.since === mine.since) fs.rmSync(file, { force: true });
  };
}
