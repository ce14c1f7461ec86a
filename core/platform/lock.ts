/**
 * The core lock file `<dataDir>/core.lock.json` (owner-only): says which core owns the data
 * directory and where its API listens, so a second core refuses to start and CLI commands that
 * need the store talk to the running core instead of opening the databases themselves.
 *
 * Taking it is atomic: the claim is written whole to a private file and hard-linked into place,
 * which fails if a lock exists, so of two cores started together exactly one wins. A starting core
 * claims with port 0 and rewrites the lock with its port once it listens. A lock is live only if its
 * process exists and its port answers `GET /api/instance` with the lock's instance id (a PID alone
 * can belong to an unrelated process after a reboot or a crash). A stale lock is removed under a
 * short-lived takeover file, and only if it is still the very lock judged stale.
 */
import fs from "node:fs";
import path from "node:path";
import { INSTANCE_PATH } from "../server/security.ts";

/** Contents of the lock file. */
export interface CoreLock {
  pid: number;
  /** 0 while the core is starting (it has not bound its port yet). */
  port: number;
  token: string;
  url: string;
  instanceId: string;
  startedAt: number;
}

/** How long a claim without a port (a core starting) counts as live. */
const STARTING_GRACE_MS = 30_000;
/** How long a takeover file counts as held; an older one was left by a process that died taking over. */
const TAKEOVER_STALE_MS = 10_000;
/** How long to keep trying to take the lock while other processes race for a stale one. */
const ACQUIRE_DEADLINE_MS = 10_000;
/** How long the instance probe waits for an answer. */
const PROBE_TIMEOUT_MS = 2_000;

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

function parseLock(text: string): CoreLock | null {
  try {
    const lock = JSON.parse(text) as Partial<CoreLock> | null;
    if (!lock || typeof lock.pid !== "number" || typeof lock.port !== "number" || typeof lock.token !== "string") return null;
    return lock as CoreLock;
  } catch {
    return null;
  }
}

function readText(file: string): string | null {
  try {
    return fs.readFileSync(file, "utf8");
  } catch {
    return null;
  }
}

/** What the port of a lock answered. */
export type InstanceProbe = { kind: "instance"; instanceId: string } | { kind: "refused" } | { kind: "other" } | { kind: "timeout" };

/** Asks `127.0.0.1:port` which core instance listens there (no token is sent). */
export async function probeInstance(port: number, timeoutMs = PROBE_TIMEOUT_MS): Promise<InstanceProbe> {
  // Loaded only when there is a lock to probe: node:http is a large part of a CLI command's start
  // otherwise. As a CommonJS builtin, not through import(): its ES module facade reads every export,
  // and the lazy getters of fetch's WebSocket classes load undici (~50-70 ms more of the CLI's start).
  const http = process.getBuiltinModule("node:http");
  return new Promise((resolve) => {
    const req = http.get({ host: "127.0.0.1", port, path: INSTANCE_PATH, headers: { host: `127.0.0.1:${port}` }, timeout: timeoutMs }, (res) => {
      let body = "";
      res.setEncoding("utf8");
      res.on("data", (chunk: string) => {
        body += chunk;
        if (body.length > 4096) req.destroy();
      });
      res.on("error", () => resolve({ kind: "other" }));
      res.on("end", () => {
        const id = res.statusCode === 200 ? (parseJson(body) as { instanceId?: unknown } | null)?.instanceId : undefined;
        resolve(typeof id === "string" ? { kind: "instance", instanceId: id } : { kind: "other" });
      });
    });
    req.on("timeout", () => {
      req.destroy();
      resolve({ kind: "timeout" });
    });
    req.on("error", (err: NodeJS.ErrnoException) => resolve(err.code === "ECONNREFUSED" ? { kind: "refused" } : { kind: "other" }));
  });
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return null;
  }
}

/**
 * Whether a lock belongs to a core that is running: its process exists, and its port answers with
 * its instance id (or it is still starting, or its port is busy and does not answer in time).
 */
export async function isLockLive(lock: CoreLock, now = Date.now()): Promise<boolean> {
  if (!isProcessAlive(lock.pid)) return false;
  if (lock.port === 0) return now - lock.startedAt < STARTING_GRACE_MS;
  const probe = await probeInstance(lock.port);
  if (probe.kind === "timeout") return true;
  if (probe.kind === "instance") return probe.instanceId === lock.instanceId;
  // A lock from before instance ids: anything answering on its port is taken as the core.
  return typeof lock.instanceId !== "string" && probe.kind === "other";
}

/** The lock of a live core (see {@link isLockLive}); a stale or unreadable lock reads as none. */
export async function findLiveLock(dataDir: string): Promise<CoreLock | null> {
  const text = readText(lockPath(dataDir));
  const lock = text === null ? null : parseLock(text);
  return lock && (await isLockLive(lock)) ? lock : null;
}

/** The live core of a data directory once it listens; waits (up to `waitMs`) while it is still starting. */
export async function findListeningCore(dataDir: string, waitMs = STARTING_GRACE_MS): Promise<CoreLock | null> {
  const deadline = Date.now() + waitMs;
  for (;;) {
    const lock = await findLiveLock(dataDir);
    if (!lock || lock.port !== 0) return lock;
    if (Date.now() > deadline) throw new Error(`core (pid ${lock.pid}) is still starting on ${dataDir}; try again`);
    await delay(100);
  }
}

function delay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** Another live core owns the data directory. */
export class CoreLockedError extends Error {
  override name = "CoreLockedError";

  constructor(lock: CoreLock) {
    super(
      lock.port === 0
        ? `another core (pid ${lock.pid}) is starting on this data directory`
        : `another core (pid ${lock.pid}) already serves this data directory at http://127.0.0.1:${lock.port}/`,
    );
  }
}

/** Creates the lock file holding `lock`, atomically and whole; false when a lock file exists. */
function tryCreate(file: string, lock: CoreLock): boolean {
  const tmp = `${file}.${lock.instanceId}.tmp`;
  fs.writeFileSync(tmp, JSON.stringify(lock), { mode: 0o600, flag: "wx" });
  try {
    fs.linkSync(tmp, file);
    return true;
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === "EEXIST") return false;
    if (code !== "EPERM" && code !== "ENOTSUP" && code !== "ENOSYS") throw err;
    return createExclusive(file, lock);
  } finally {
    fs.rmSync(tmp, { force: true });
  }
}

/** The fallback where hard links are not supported: an exclusive create, then the content. */
function createExclusive(file: string, lock: CoreLock): boolean {
  let fd: number;
  try {
    fd = fs.openSync(file, "wx", 0o600);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === "EEXIST") return false;
    throw err;
  }
  try {
    fs.writeSync(fd, JSON.stringify(lock));
  } finally {
    fs.closeSync(fd);
  }
  return true;
}

/**
 * Removes the lock file if it still holds exactly `staleText`, under the takeover file so that two
 * processes replacing the same stale lock cannot remove each other's fresh one. Returns false when
 * another process is taking over right now (try again shortly).
 */
function removeStale(file: string, staleText: string | null): boolean {
  const takeover = `${file}.takeover`;
  try {
    fs.closeSync(fs.openSync(takeover, "wx", 0o600));
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== "EEXIST") throw err;
    const age = Date.now() - (fs.statSync(takeover, { throwIfNoEntry: false })?.mtimeMs ?? Date.now());
    if (age > TAKEOVER_STALE_MS) fs.rmSync(takeover, { force: true });
    return false;
  }
  try {
    if (readText(file) === staleText) fs.rmSync(file, { force: true });
    return true;
  } finally {
    fs.rmSync(takeover, { force: true });
  }
}

/**
 * Takes the lock of a data directory for `claim` (port 0 while starting), replacing a stale one;
 * throws {@link CoreLockedError} when a live core holds it.
 */
export async function acquireLock(dataDir: string, claim: CoreLock): Promise<void> {
  const file = lockPath(dataDir);
  const deadline = Date.now() + ACQUIRE_DEADLINE_MS;
  while (!tryCreate(file, claim)) {
    const text = readText(file);
    const current = text === null ? null : parseLock(text);
    if (current && (await isLockLive(current))) throw new CoreLockedError(current);
    if (!removeStale(file, text)) await delay(20);
    if (Date.now() > deadline) throw new Error(`could not take the lock ${file}: other processes keep racing for it`);
  }
}

/** Rewrites our own lock (e.g. with the port once listening), atomically with mode 0600. */
export function writeLock(dataDir: string, lock: CoreLock): void {
  const file = lockPath(dataDir);
  const tmp = `${file}.${lock.instanceId}.tmp`;
  fs.writeFileSync(tmp, JSON.stringify(lock), { mode: 0o600 });
  fs.renameSync(tmp, file);
}

/** Removes the lock if it is still the one of this instance. */
export function removeLock(dataDir: string, instanceId: string): void {
  const text = readText(lockPath(dataDir));
  if (text !== null && parseLock(text)?.instanceId === instanceId) fs.rmSync(lockPath(dataDir), { force: true });
}
