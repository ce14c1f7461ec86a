/**
 * Connecting to the queue's Redis (or Valkey): `redis://[user:pass@]HOST:PORT[/DB]` or
 * `rediss://…` (TLS). The first connection fails fast — a clear one-line error within seconds when
 * Redis is unreachable or refuses the credentials, never a hang — and checks the eviction policy
 * (BullMQ needs `noeviction`: anything else may silently drop jobs). Passwords never appear in
 * messages.
 */
import { Redis, type RedisOptions } from "ioredis";
import type { ComputeWorkerInfo } from "../../common/api/compute.ts";

/** Redis unreachable, refusing us, or not a queue URL. */
export class QueueConnectionError extends Error {}

/** Queue names and keys shared by coordinators and workers. */
export const QUEUE_KEYS = {
  /** Children of a flow: a few combinations each. */
  runs: "workstation-runs",
  /** Parents of a flow: one per sweep or walk-forward. */
  flows: "workstation-flows",
  /** The engine version the queue's coordinators run; workers of another are refused. */
  engine: "workstation:engine-version",
  /** Pub/sub channel: a run id to cancel. */
  cancel: "workstation:cancel",
  /** Prefix of each live worker's heartbeat key. */
  worker: "workstation:worker:",
} as const;

/** ioredis options of a `redis://` or `rediss://` URL (throws on anything else). */
export function redisOptions(url: string): RedisOptions {
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    throw new QueueConnectionError(`--queue must be a redis:// or rediss:// URL (got "${redactUrl(url)}")`);
  }
  if (u.protocol !== "redis:" && u.protocol !== "rediss:") throw new QueueConnectionError(`--queue must be a redis:// or rediss:// URL (got "${redactUrl(url)}")`);
  const db = u.pathname.replace(/^\//, "");
  return {
    host: u.hostname.replace(/^\[|\]$/g, "") || "127.0.0.1",
    port: u.port ? Number(u.port) : 6379,
    ...(u.username ? { username: decodeURIComponent(u.username) } : {}),
    ...(u.password ? { password: decodeURIComponent(u.password) } : {}),
    ...(db && /^\d+$/.test(db) ? { db: Number(db) } : {}),
    ...(u.protocol === "rediss:" ? { tls: { servername: u.hostname } } : {}),
  };
}

/** The URL without its password. */
export function redactUrl(url: string): string {
  return url.replace(/\/\/([^:@/]*):[^@/]*@/, "//$1:***@");
}

/**
 * A live connection for BullMQ (retries forever once up) after a fast first check: throws
 * {@link QueueConnectionError} within `timeoutMs` when Redis cannot be reached or refuses us.
 */
export async function connectQueue(url: string, timeoutMs = 5000): Promise<Redis> {
  const base = redisOptions(url);
  const probe = new Redis({ ...base, lazyConnect: true, connectTimeout: timeoutMs, maxRetriesPerRequest: 0, retryStrategy: () => null, enableOfflineQueue: false });
  let lastError: Error | null = null;
  probe.on("error", (err: Error) => (lastError = err));
  let timer: NodeJS.Timeout | undefined;
  try {
    const timeout = new Promise<never>((_, reject) => (timer = setTimeout(() => reject(new Error(`no answer within ${timeoutMs / 1000} s`)), timeoutMs)));
    await Promise.race([probe.connect().then(() => probe.ping()), timeout]);
  } catch (err) {
    const reason = (lastError as Error | null)?.message ?? (err as Error).message;
    throw new QueueConnectionError(`cannot use Redis at ${redactUrl(url)}: ${reason}`, { cause: err });
  } finally {
    clearTimeout(timer);
    probe.disconnect();
  }
  const redis = new Redis({ ...base, maxRetriesPerRequest: null });
  redis.on("error", () => undefined);
  return redis;
}

/** A warning when Redis may evict keys (BullMQ's jobs among them), or null when it is `noeviction` or cannot be read. */
export async function evictionWarning(redis: Redis): Promise<string | null> {
  try {
    const reply = (await redis.config("GET", "maxmemory-policy")) as string[];
    const policy = reply[1];
    if (!policy || policy === "noeviction") return null;
    return `warning: Redis maxmemory-policy is "${policy}"; set it to "noeviction" or queued jobs may be silently dropped`;
  } catch {
    return null;
  }
}

/** The live workers' heartbeats (host, pid, versions, concurrency, last seen), by host and pid. */
export async function liveWorkers(redis: Redis): Promise<ComputeWorkerInfo[]> {
  const keys: string[] = [];
  let cursor = "0";
  do {
    const [next, batch] = await redis.scan(cursor, "MATCH", `${QUEUE_KEYS.worker}*`, "COUNT", 1000);
    cursor = next;
    keys.push(...batch);
  } while (cursor !== "0");
  const values = keys.length > 0 ? await redis.mget(keys) : [];
  const workers = values.flatMap((v) => {
    try {
      const w = v ? (JSON.parse(v) as Partial<ComputeWorkerInfo>) : null;
      if (!w || typeof w.host !== "string" || typeof w.pid !== "number") return [];
      const num = (x: unknown) => (typeof x === "number" ? x : 0);
      return [{ host: w.host, pid: w.pid, version: String(w.version ?? "?"), engineVersion: String(w.engineVersion ?? "?"), concurrency: num(w.concurrency), startedAt: num(w.startedAt), lastSeen: num(w.lastSeen ?? w.startedAt) }];
    } catch {
      return [];
    }
  });
  return workers.sort((a, b) => a.host.localeCompare(b.host) || a.pid - b.pid);
}
