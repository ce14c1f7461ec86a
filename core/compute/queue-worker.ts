/**
 * `workstation worker`'s engine: takes child jobs off the queue, fetches and checks their blobs
 * (through the verified local cache; the bars of the last few datasets stay assembled in hand-off
 * files in DIR/compute/bars), and runs their combinations on a local pool of sandboxed
 * strategy processes — the same isolated-vm hosts and limits as a local sweep — so the worker's
 * own event loop stays free for BullMQ's lock renewal. A job of another engine version is refused;
 * a job whose blobs cannot be fetched fails with the reason and is retried; a cancelled run's
 * running jobs are stopped. The worker announces itself (host, pid, versions) with a heartbeat key.
 */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { UnrecoverableError, Worker, type Job } from "bullmq";
import type { Redis } from "ioredis";
import type { BarsFileRef } from "../../common/strategy/bars-file.ts";
import type { SweepRow } from "../../common/strategy/sweep.ts";
import { ENGINE_VERSION } from "../../common/strategy/version.ts";
import { silentLogger } from "../log.ts";
import { runCombosOnFile } from "../strategy/sweep-runner.ts";
import { VERSION } from "../version.ts";
import { WORKER_EXEC_ARGV, defaultWorkerEntry } from "../workers/entry.ts";
import { WorkerPool } from "../workers/pool.ts";
import { BlobCache, type BlobSource } from "./chunk-cache.ts";
import { parseBundle, parseManifest, type StrategyBundle } from "./content.ts";
import { engineMismatch, type SweepJobData } from "./jobs.ts";
import { QUEUE_KEYS, QueueConnectionError, connectQueue, evictionWarning } from "./redis.ts";

/** Options of {@link startQueueWorker}. */
export interface QueueWorkerOptions {
  url: string;
  concurrency: number;
  dataDir: string;
  /** The shared chunk folder read before the chunk server (`--chunks-dir`). */
  chunksDir?: string;
  /** How long a job's lock lasts without renewal: a killed worker's job is retried after about this long. */
  lockMs: number;
  log: (line: string) => void;
}

/** A running queue worker. */
export interface QueueWorker {
  /** Resolves when the worker has stopped (after {@link QueueWorker.close}). */
  closed: Promise<void>;
  close(): Promise<void>;
}

const HEARTBEAT_MS = 10_000;
/** Assembled bars files kept for the next jobs on the same data (least recently used go first). */
const MAX_BARS_FILES = 4;

/** Connects, checks the queue's engine version, and starts taking jobs. */
export async function startQueueWorker(opts: QueueWorkerOptions): Promise<QueueWorker> {
  const redis = await connectQueue(opts.url);
  const warning = await evictionWarning(redis);
  if (warning) opts.log(warning);
  const queueVersion = await redis.get(QUEUE_KEYS.engine);
  if (queueVersion !== null && queueVersion !== ENGINE_VERSION) {
    redis.disconnect();
    throw new QueueConnectionError(`refused: this queue runs engine version ${queueVersion}, this worker runs ${ENGINE_VERSION}`);
  }
  const pool = new WorkerPool({ size: opts.concurrency, entry: defaultWorkerEntry(), execArgv: WORKER_EXEC_ARGV, log: silentLogger() });
  const runner = new JobRunner(new BlobCache(opts.dataDir, { ...(opts.chunksDir ? { chunksDir: opts.chunksDir } : {}), log: opts.log }), pool, opts.dataDir);
  const worker = new Worker<SweepJobData, SweepRow[]>(QUEUE_KEYS.runs, (job, _token, signal) => runner.run(job, signal), {
    connection: redis,
    name: `${os.hostname()}:${process.pid}`,
    concurrency: opts.concurrency,
    lockDuration: opts.lockMs,
    stalledInterval: Math.min(opts.lockMs, 5000),
    maxStalledCount: 2,
  });
  worker.on("failed", (job, err) => opts.log(`job ${job?.id ?? "?"} failed: ${err.message}`));
  worker.on("completed", (job) => opts.log(`job ${job.id ?? "?"} completed: ${job.data.combos.length} combinations`));
  const subscriber = redis.duplicate();
  subscriber.on("error", () => undefined);
  await subscriber.subscribe(QUEUE_KEYS.cancel);
  subscriber.on("message", (_channel, runId: string) => {
    for (const jobId of runner.activeOf(runId)) worker.cancelJob(jobId, "cancelled");
  });
  const stopHeartbeat = heartbeat(redis, opts.concurrency);
  let resolveClosed!: () => void;
  const closed = new Promise<void>((resolve) => (resolveClosed = resolve));
  const close = async () => {
    stopHeartbeat();
    await worker.close();
    subscriber.disconnect();
    await pool.shutdown();
    runner.dispose();
    redis.disconnect();
    resolveClosed();
  };
  opts.log(`worker ${os.hostname()}:${process.pid} (workstation ${VERSION}, engine ${ENGINE_VERSION}) taking jobs, concurrency ${opts.concurrency}`);
  return { closed, close };
}

/** Removes bars files left by workers that are gone (killed before they could clean up). */
function removeStaleBarsFiles(dir: string): void {
  for (const name of fs.readdirSync(dir)) {
    const pid = Number(/^(\d+)-/.exec(name)?.[1]);
    if (Number.isInteger(pid) && pid !== process.pid && processAlive(pid)) continue;
    fs.rmSync(path.join(dir, name), { force: true });
  }
}

function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === "EPERM";
  }
}

/** Announces the worker (with the time of the beat) every {@link HEARTBEAT_MS} under a key that expires when it stops; returns the stop function. */
function heartbeat(redis: Redis, concurrency: number): () => void {
  const key = `${QUEUE_KEYS.worker}${os.hostname()}:${process.pid}`;
  const info = { host: os.hostname(), pid: process.pid, version: VERSION, engineVersion: ENGINE_VERSION, concurrency, startedAt: Date.now() };
  const beat = () => void redis.set(key, JSON.stringify({ ...info, lastSeen: Date.now() }), "PX", HEARTBEAT_MS * 3).catch(() => undefined);
  beat();
  const timer = setInterval(beat, HEARTBEAT_MS);
  return () => {
    clearInterval(timer);
    void redis.del(key).catch(() => undefined);
  };
}

/** Runs one job: blobs from the cache, bars assembled into a hand-off file once per manifest. */
class JobRunner {
  private readonly bars = new Map<string, Promise<BarsFileRef>>();
  private readonly bundles = new Map<string, StrategyBundle>();
  private readonly active = new Map<string, string>();
  /** Running jobs per manifest (a bars file in use is never removed). */
  private readonly users = new Map<string, number>();

  private readonly cache: BlobCache;
  private readonly pool: WorkerPool;

  private readonly barsDir: string;

  constructor(cache: BlobCache, pool: WorkerPool, dataDir: string) {
    this.cache = cache;
    this.pool = pool;
    this.barsDir = path.join(dataDir, "compute", "bars");
    fs.mkdirSync(this.barsDir, { recursive: true, mode: 0o700 });
    removeStaleBarsFiles(this.barsDir);
  }

  /** Ids of this worker's running jobs of `runId`. */
  activeOf(runId: string): string[] {
    return [...this.active].flatMap(([jobId, run]) => (run === runId ? [jobId] : []));
  }

  async run(job: Job<SweepJobData, SweepRow[]>, signal: AbortSignal | undefined): Promise<SweepRow[]> {
    const data = job.data;
    const refused = engineMismatch(data.engineVersion, ENGINE_VERSION);
    if (refused) throw new UnrecoverableError(refused);
    this.active.set(job.id!, data.runId);
    try {
      const bundle = await this.bundle(data.bundle, data.source);
      this.users.set(data.manifest, (this.users.get(data.manifest) ?? 0) + 1);
      try {
        const bars = await this.barsFile(data.manifest, data.source);
        const base = { ...bundle, bars, config: data.config, limits: data.limits, split: data.split };
        return await runCombosOnFile(this.pool, base, data.combos, { concurrency: 1, batchSize: data.combos.length, ...(signal ? { signal } : {}) });
      } finally {
        this.users.set(data.manifest, this.users.get(data.manifest)! - 1);
        this.evict();
      }
    } catch (err) {
      if (signal?.aborted) throw new UnrecoverableError("cancelled");
      throw err;
    } finally {
      this.active.delete(job.id!);
    }
  }

  /** Removes the least recently used bars files no job is using, down to {@link MAX_BARS_FILES}. */
  private evict(): void {
    for (const [hash, ref] of this.bars) {
      if (this.bars.size <= MAX_BARS_FILES) return;
      if ((this.users.get(hash) ?? 0) > 0) continue;
      this.bars.delete(hash);
      this.users.delete(hash);
      void ref.then((r) => fs.rmSync(r.file, { force: true })).catch(() => undefined);
    }
  }

  /** Removes the assembled bars files. */
  dispose(): void {
    for (const ref of this.bars.values()) void ref.then((r) => fs.rmSync(r.file, { force: true })).catch(() => undefined);
  }

  private async bundle(hash: string, source: BlobSource): Promise<StrategyBundle> {
    const known = this.bundles.get(hash);
    if (known) return known;
    const bundle = parseBundle(await this.cache.get(hash, source));
    if (this.bundles.size >= 64) this.bundles.clear();
    this.bundles.set(hash, bundle);
    return bundle;
  }

  private barsFile(manifestHash: string, source: BlobSource): Promise<BarsFileRef> {
    let ref = this.bars.get(manifestHash);
    if (!ref) {
      ref = this.assemble(manifestHash, source);
      ref.catch(() => this.bars.delete(manifestHash));
    }
    this.bars.delete(manifestHash);
    this.bars.set(manifestHash, ref);
    return ref;
  }

  /** Writes the manifest's verified chunks, in order, into a private hand-off file. */
  private async assemble(manifestHash: string, source: BlobSource): Promise<BarsFileRef> {
    const manifest = parseManifest(await this.cache.get(manifestHash, source));
    const file = path.join(this.barsDir, `${process.pid}-${manifestHash.slice(0, 16)}.bin`);
    const fd = fs.openSync(file, "w", 0o600);
    try {
      for (const chunk of manifest.chunks) fs.writeSync(fd, await this.cache.get(chunk.hash, source));
    } finally {
      fs.closeSync(fd);
    }
    return { file, symbol: manifest.symbol };
  }
}
