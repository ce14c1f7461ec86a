/**
 * The coordinator side of the queue: a sweep (or a walk-forward fold's sweep) becomes a BullMQ
 * flow — a parent job in `workstation-flows` with children of a few combinations each in
 * `workstation-runs`. The bars and the compiled strategy are served as content-addressed blobs by
 * this process's chunk server under a per-run token that is revoked when the run ends. A child
 * whose deterministic id already holds a result is not queued again: the stored rows are reused.
 * Cancelling removes the queued children and tells the workers to stop the running ones.
 */
import crypto from "node:crypto";
import { FlowProducer, Job, Queue } from "bullmq";
import type { Redis } from "ioredis";
import { ApiError } from "../../common/api/index.ts";
import type { BarColumns } from "../../common/market/bars.ts";
import type { SweepRow } from "../../common/strategy/sweep.ts";
import { ENGINE_VERSION } from "../../common/strategy/version.ts";
import type { BacktestConfig, SandboxLimits } from "../../common/strategy/results.ts";
import type { SweepCombo } from "../strategy/sweep-runner.ts";
import { ChunkServer, type ChunkServerOptions } from "./chunk-server.ts";
import { runBlobs, type StrategyBundle } from "./content.ts";
import { sweepJobId, type SweepJobData } from "./jobs.ts";
import { QUEUE_KEYS, QueueConnectionError, connectQueue, evictionWarning } from "./redis.ts";

/** Where the coordinator's queue and chunk server are. */
export interface CoordinatorOptions {
  url: string;
  serve: ChunkServerOptions;
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

  private constructor(redis: Redis, server: ChunkServer, log: (line: string) => void) {
    this.redis = redis;
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
      return new QueueCoordinator(redis, server, opts.log);
    } catch (err) {
      redis.disconnect();
      throw err;
    }
  }

  /** Live workers' heartbeats (host, pid, versions, concurrency). */
  async liveWorkers(): Promise<Record<string, unknown>[]> {
    const keys: string[] = [];
    let cursor = "0";
    do {
      const [next, batch] = await this.redis.scan(cursor, "MATCH", `${QUEUE_KEYS.worker}*`, "COUNT", 1000);
      cursor = next;
      keys.push(...batch);
    } while (cursor !== "0");
    const values = keys.length > 0 ? await this.redis.mget(keys) : [];
    return values.flatMap((v) => (v ? [JSON.parse(v) as Record<string, unknown>] : []));
  }

  /** Runs the combinations on the queue's workers; rows (with their stats) in index order. */
  async runCombos(work: QueuedCombos): Promise<SweepRow[]> {
    const blobs = runBlobs(work.bars, work.strategy);
    const access = this.server.openRun(blobs.blobs);
    const runId = crypto.randomUUID();
    const size = combosPerJob(work.combos.length);
    const jobs: SweepJobData[] = [];
    for (let i = 0; i < work.combos.length; i += size) {
      const { config, limits, split } = work;
      const combos = work.combos.slice(i, i + size);
      jobs.push({ kind: "sweep", runId, engineVersion: ENGINE_VERSION, bundle: blobs.bundle, manifest: blobs.manifest, combos, config, limits, split, source: { url: access.url, token: access.token } });
    }
    const byId = new Map(jobs.map((job) => [sweepJobId(job), job]));
    const results = new Map<string, SweepRow[]>();
    const parentId = `run-${runId}`;
    try {
      const fresh = await this.reuseStored(byId, results);
      const workers = await this.liveWorkers();
      this.log(`queue: ${byId.size} jobs (${results.size} reused from earlier runs), ${workers.length} live worker${workers.length === 1 ? "" : "s"}`);
      if (workers.length === 0) this.log("warning: no live workers on this queue yet; the jobs wait until one starts");
      if (fresh.length > 0) {
        const children = fresh.map((id) => ({ name: "combos", queueName: QUEUE_KEYS.runs, data: byId.get(id)!, opts: { jobId: id, ...JOB_OPTS } }));
        await this.flows.add({ name: "sweep", queueName: QUEUE_KEYS.flows, data: { runId, jobs: byId.size }, opts: { jobId: parentId }, children });
      }
      await this.waitFor(byId, results, work);
    } catch (err) {
      await this.cancel(runId, [...byId.keys()].filter((id) => !results.has(id)));
      throw err;
    } finally {
      access.close();
      await this.removeParent(parentId);
    }
    return [...results.values()].flat().sort((a, b) => a.index - b.index);
  }

  /** Stops the chunk server and closes the connections. */
  async close(): Promise<void> {
    await this.server.close();
    await this.flows.close();
    await this.queue.close();
    this.redis.disconnect();
  }

  /** Puts stored results of jobs already done into `results`; returns the ids to queue (failed ones are removed first; running ones are awaited). */
  private async reuseStored(byId: Map<string, SweepJobData>, results: Map<string, SweepRow[]>): Promise<string[]> {
    const fresh: string[] = [];
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
      }
    }
    return fresh;
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

  private async removeParent(parentId: string): Promise<void> {
    const flows = new Queue(QUEUE_KEYS.flows, { connection: this.redis });
    try {
      await flows.remove(parentId, { removeChildren: false });
    } catch {
      // Best effort.
    } finally {
      await flows.close();
    }
  }
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
