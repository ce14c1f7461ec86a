/**
 * The coordinator side of the queue: a sweep (or a walk-forward fold's sweep) becomes a BullMQ
 * flow — a parent job in `workstation-flows` with children of a few combinations each in
 * `workstation-runs`. The bars and the compiled strategy are served as content-addressed blobs by
 * this process's chunk server under a per-run token that is revoked when the run ends. A child
 * whose deterministic id already holds a result is not queued again: the stored rows are reused;
 * one still queued or running (left by a coordinator that died) is re-attached, not queued twice.
 * Cancelling removes the queued children and tells the workers to stop the running ones.
 */
import crypto from "node:crypto";
import { FlowProducer, Job, Queue } from "bullmq";
import type { Redis } from "ioredis";
import { ApiError } from "../../common/api/index.ts";
import type { ComputeWorkerInfo } from "../../common/api/compute.ts";
import type { BarColumns } from "../../common/market/bars.ts";
import type { SweepRow } from "../../common/strategy/sweep.ts";
import { ENGINE_VERSION } from "../../common/strategy/version.ts";
import type { BacktestConfig, SandboxLimits } from "../../common/strategy/results.ts";
import type { SweepCombo } from "../strategy/sweep-runner.ts";
import { ChunkServer, type ChunkServerOptions } from "./chunk-server.ts";
import type { BlobSource } from "./chunk-cache.ts";
import { writeChunkFolder } from "./chunk-folder.ts";
import { runBlobs, sha256, type StrategyBundle } from "./content.ts";
import { sweepJobId, type SweepJobData } from "./jobs.ts";
import { QUEUE_KEYS, QueueConnectionError, connectQueue, evictionWarning, liveWorkers } from "./redis.ts";

/** Where the coordinator's queue and chunk server are. */
export interface CoordinatorOptions {
  url: string;
  serve: ChunkServerOptions;
  /** A shared chunk folder the run's blobs are also written to (workers with `--chunks-dir` read them there). */
  chunksDir?: string;
  /** Lines for people (stderr). */
  log: (line: string) => void;
}

/** Combinations to run through the queue and what they share. */
export interface QueuedCombos {
  strategy: StrategyBundle;
  bars: BarColumns;
  config: BacktestConfig;
  limits: SandboxLimits;
  split: number;
  combos: SweepCombo[];
  signal?: AbortSignal;
  onProgress?: (done: number, total: number) => void;
}

const POLL_MS = 250;
const JOB_OPTS = { attempts: 3, backoff: { type: "fixed", delay: 1000 }, removeOnComplete: { age: 7 * 86400 }, removeOnFail: { age: 86400 }, ignoreDependencyOnFailure: true };

/** Combinations per child job: a few, more on big grids (at most 16). */
export function combosPerJob(total: number): number {
  return Math.max(1, Math.min(16, Math.ceil(total / 64)));
}

/** Sends work through a Redis queue and serves its data; one per coordinating process. */
export class QueueCoordinator {
  private readonly redis: Redis;
  private readonly queue: Queue;
  private readonly flows: FlowProducer;
  /** The chunk server (its bytes counter is the data moved). */
  readonly server: ChunkServer;
  private readonly log: (line: string) => void;
  private readonly chunksDir: string | undefined;
  /** Set when the process stops: runs that end then leave their jobs on the queue for a later re-attach. */
  private detached = false;

  private constructor(redis: Redis, server: ChunkServer, log: (line: string) => void, chunksDir: string | undefined) {
    this.redis = redis;
    this.chunksDir = chunksDir;
    this.queue = new Queue(QUEUE_KEYS.runs, { connection: redis });
    this.flows = new FlowProducer({ connection: redis });
    this.server = server;
    this.log = log;
  }

  /** Connects (a clear error within seconds when Redis is unreachable), checks the engine version and starts the chunk server. */
  static async open(opts: CoordinatorOptions): Promise<QueueCoordinator> {
    const redis = await connectQueue(opts.url);
    try {
      const warning = await evictionWarning(redis);
      if (warning) opts.log(warning);
      await claimEngineVersion(redis);
      const server = await ChunkServer.start(opts.serve);
      return new QueueCoordinator(redis, server, opts.log, opts.chunksDir);
    } catch (err) {
      redis.disconnect();
      throw err;
    }
  }

  /** Live workers' heartbeats (host, pid, versions, concurrency, last seen). */
  liveWorkers(): Promise<ComputeWorkerInfo[]> {
    return liveWorkers(this.redis);
  }

  /**
   * Runs the combinations on the queue's workers; rows (with their stats) in index order. The run's
   * id derives from its jobs' ids, so the same work started again (after this process died)
   * re-attaches to the jobs still queued or running — they are pointed at this process's chunk
   * server — and reuses the finished ones: nothing runs twice.
   */
  async runCombos(work: QueuedCombos): Promise<SweepRow[]> {
    // A long-lived coordinator (core) renews its claim on the queue's engine version with each run.
    await claimEngineVersion(this.redis);
    const blobs = runBlobs(work.bars, work.strategy);
    if (this.chunksDir !== undefined) writeChunkFolder(this.chunksDir, blobs.blobs);
    const access = this.server.openRun(blobs.blobs);
    const source: BlobSource = { url: access.url, token: access.token, ...(this.chunksDir !== undefined ? { folder: true } : {}) };
    const size = combosPerJob(work.combos.length);
    const jobs: SweepJobData[] = [];
    for (let i = 0; i < work.combos.length; i += size) {
      const { config, limits, split } = work;
      const combos = work.combos.slice(i, i + size);
      jobs.push({ kind: "sweep", runId: "", engineVersion: ENGINE_VERSION, bundle: blobs.bundle, manifest: blobs.manifest, combos, config, limits, split, source });
    }
    const runId = runIdOf(jobs.map(sweepJobId));
    const byId = new Map(jobs.map((job) => [sweepJobId(job), { ...job, runId }]));
    const results = new Map<string, SweepRow[]>();
    try {
      const { fresh, attached } = await this.reuseStored(byId, results, runId, source);
      const workers = await this.liveWorkers();
      const reattached = attached > 0 ? `, ${attached} queued or running re-attached` : "";
      this.log(`queue: ${byId.size} jobs (${results.size} reused from earlier runs${reattached}), ${workers.length} live worker${workers.length === 1 ? "" : "s"}`);
      if (workers.length === 0) this.log("warning: no live workers on this queue yet; the jobs wait until one starts");
      if (fresh.length > 0) {
        const children = fresh.map((id) => ({ name: "combos", queueName: QUEUE_KEYS.runs, data: byId.get(id)!, opts: { jobId: id, ...JOB_OPTS } }));
        const parentId = `run-${runId}-${crypto.randomUUID().slice(0, 8)}`;
        await this.flows.add({ name: "sweep", queueName: QUEUE_KEYS.flows, data: { runId, jobs: byId.size }, opts: { jobId: parentId }, children });
      }
      await this.waitFor(byId, results, work);
    } catch (err) {
      if (!this.detached) await this.cancel(runId, [...byId.keys()].filter((id) => !results.has(id)));
      throw err;
    } finally {
      access.close();
      await this.removeParents(runId);
    }
    return [...results.values()].flat().sort((a, b) => a.index - b.index);
  }

  /** From now on a run that ends early (its caller gone as the process stops) leaves its jobs queued and running, to be re-attached later. */
  detach(): void {
    this.detached = true;
  }

  /** Stops the chunk server and closes the connections. */
  async close(): Promise<void> {
    await this.server.close();
    await this.flows.close();
    await this.queue.close();
    this.redis.disconnect();
  }

  /**
   * Puts stored results of jobs already done into `results`; returns the ids to queue (failed ones
   * are removed first) and how many are still queued or running: those are re-attached (their data
   * now points at this run's chunk server and token; a worker whose fetch failed retries with it).
   */
  private async reuseStored(byId: Map<string, SweepJobData>, results: Map<string, SweepRow[]>, runId: string, source: BlobSource): Promise<{ fresh: string[]; attached: number }> {
    const fresh: string[] = [];
    let attached = 0;
    for (const id of byId.keys()) {
      const job = await Job.fromId<SweepJobData, SweepRow[]>(this.queue, id);
      if (!job) {
        fresh.push(id);
        continue;
      }
      const state = await job.getState();
      if (state === "completed" && Array.isArray(job.returnvalue)) results.set(id, job.returnvalue);
      else if (state === "failed" || state === "completed") {
        await job.remove({ removeChildren: false });
        fresh.push(id);
      } else {
        await job.updateData({ ...job.data, runId, source });
        attached++;
      }
    }
    return { fresh, attached };
  }

  /** Polls the jobs until each is done; a finally failed job fails the run with its reason. */
  private async waitFor(byId: Map<string, SweepJobData>, results: Map<string, SweepRow[]>, work: QueuedCombos): Promise<void> {
    const total = work.combos.length;
    const report = () => work.onProgress?.([...results.values()].reduce((n, rows) => n + rows.length, 0), total);
    report();
    while (results.size < byId.size) {
      await sleep(POLL_MS, work.signal);
      const pending = [...byId.keys()].filter((id) => !results.has(id));
      const states = await Promise.all(pending.map((id) => this.queue.getJobState(id)));
      for (const [i, state] of states.entries()) {
        const id = pending[i]!;
        if (state === "unknown") throw new Error(`queue job ${id} disappeared from Redis (removed, or evicted: check maxmemory-policy)`);
        if (state !== "completed" && state !== "failed") continue;
        const job = await Job.fromId<SweepJobData, SweepRow[]>(this.queue, id);
        if (state === "failed") throw new Error(`queue job failed after ${job?.attemptsMade ?? "?"} attempts: ${job?.failedReason ?? "unknown reason"}`);
        results.set(id, job?.returnvalue ?? []);
      }
      report();
    }
  }

  /** Removes the run's queued jobs and tells the workers to stop its running ones. */
  private async cancel(runId: string, ids: string[]): Promise<void> {
    try {
      await this.redis.publish(QUEUE_KEYS.cancel, runId);
      for (const id of ids) {
        const job = await Job.fromId(this.queue, id);
        const state = job ? await job.getState() : "unknown";
        if (job && job.data && (job.data as SweepJobData).runId === runId && state !== "active" && state !== "completed") await job.remove({ removeChildren: false }).catch(() => undefined);
      }
    } catch {
      // Best effort: Redis may be the reason the run failed.
    }
  }

  /** Removes the run's parent jobs: this process's, and those left by a coordinator that died. */
  private async removeParents(runId: string): Promise<void> {
    const flows = new Queue(QUEUE_KEYS.flows, { connection: this.redis });
    try {
      const parents = await flows.getJobs(["waiting-children", "waiting", "prioritized", "delayed"]);
      for (const parent of parents) if ((parent?.data as { runId?: string } | undefined)?.runId === runId) await flows.remove(parent.id!, { removeChildren: false });
    } catch {
      // Best effort.
    } finally {
      await flows.close();
    }
  }
}

/** A run's id: a hash of its jobs' ids, the same each time the same work is started. */
export function runIdOf(jobIds: readonly string[]): string {
  return sha256(jobIds.join("\n")).slice(0, 32);
}

/** Records this coordinator's engine version on the queue; refuses when the queue runs another. */
async function claimEngineVersion(redis: Redis): Promise<void> {
  const set = await redis.set(QUEUE_KEYS.engine, ENGINE_VERSION, "EX", 3600, "NX");
  if (set === "OK") return;
  const current = await redis.get(QUEUE_KEYS.engine);
  if (current !== null && current !== ENGINE_VERSION) {
    throw new QueueConnectionError(`refused: this queue runs engine version ${current}, this coordinator runs ${ENGINE_VERSION}; use another Redis (or db number) for each engine version`);
  }
  await redis.expire(QUEUE_KEYS.engine, 3600);
}

function sleep(ms: number, signal: AbortSignal | undefined): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(new ApiError("cancelled", "cancelled"));
    const onAbort = () => {
      clearTimeout(timer);
      reject(new ApiError("cancelled", "cancelled"));
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener("abort", onAbort);
      resolve();
    }, ms);
    signal?.addEventListener("abort", onAbort, { once: true });
  });
}
