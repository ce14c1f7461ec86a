/**
 * Core as a scale-out coordinator: the Compute setting decides whether sweeps, walk-forwards and
 * strategy screens run on core's worker pool or through a Redis queue; this service opens (and
 * keeps) the queue coordinators, records queued runs durably so a restarted core re-attaches them
 * at start-up, tests a queue URL within seconds and lists the live workers.
 */
import type { ComputeTestResult, ComputeWorkerInfo, QueuedRunView } from "../../common/api/compute.ts";
import { ApiError, apiSpec } from "../../common/api/index.ts";
import type { CallContext } from "../api/handlers.ts";
import type { KeychainBackend } from "../secrets/keychain.ts";
import { QueueCoordinator } from "./coordinator.ts";
import { InflightRuns, type QueuedMethod } from "./inflight.ts";
import { QUEUE_KEYS, QueueConnectionError, connectQueue, evictionWarning, liveWorkers } from "./redis.ts";
import { ComputeSettingsStore, type QueueTargetConfig } from "./settings.ts";

/** What the compute service needs. */
export interface ComputeServiceOptions {
  dataDir: string;
  keychain: KeychainBackend;
  /** Lines for the core log (warnings of the queue, re-attached runs). */
  log: (line: string) => void;
  /** How long a connection test may take. */
  testTimeoutMs?: number;
}

/** A request handler as the service calls it when re-attaching a run. */
export type ResumeHandler = (params: unknown, ctx: CallContext) => Promise<unknown>;

/** Compute settings, queue coordinators and in-flight queued runs of one core. */
export class ComputeService {
  /** The saved settings. */
  readonly settings: ComputeSettingsStore;
  private readonly inflight: InflightRuns;
  private readonly coordinators = new Map<string, Promise<QueueCoordinator>>();
  private readonly stopCtrl = new AbortController();
  /** Queued runs in flight by record key. */
  private readonly active = new Map<string, QueuedRunView>();
  /** Keys of runs being re-attached at start-up. */
  private readonly resuming = new Set<string>();
  private readonly opts: ComputeServiceOptions;

  constructor(opts: ComputeServiceOptions) {
    this.opts = opts;
    this.settings = new ComputeSettingsStore(opts.dataDir, opts.keychain);
    this.inflight = new InflightRuns(opts.dataDir);
  }

  /** The coordinator of the saved queue, or null when compute is local. */
  async coordinator(): Promise<QueueCoordinator | null> {
    const target = await this.settings.target();
    return target ? this.coordinatorFor(target) : null;
  }

  /** A coordinator of `target` (opened once, kept until core stops); an unusable queue is `unavailable`. */
  coordinatorFor(target: QueueTargetConfig): Promise<QueueCoordinator> {
    const key = JSON.stringify(target);
    let open = this.coordinators.get(key);
    if (!open) {
      open = QueueCoordinator.open({ url: target.url, serve: target.serve, ...(target.chunksDir ? { chunksDir: target.chunksDir } : {}), log: this.opts.log }).catch((err: unknown) => {
        this.coordinators.delete(key);
        throw err instanceof QueueConnectionError ? new ApiError("unavailable", err.message) : err;
      });
      this.coordinators.set(key, open);
    }
    return open;
  }

  /**
   * Runs `queued` on the saved queue (recorded in flight until it settles, so a core that dies
   * re-attaches it at start-up), or `local` when compute is local.
   */
  async run<T>(method: QueuedMethod, params: unknown, local: () => Promise<T>, queued: (coordinator: QueueCoordinator) => Promise<T>): Promise<T> {
    const coordinator = await this.coordinator();
    if (!coordinator) return local();
    const record = this.inflight.track(method, params);
    this.active.set(record.key, { method, startedAt: Date.now(), resumed: this.resuming.has(record.key), done: null, total: null, message: null });
    try {
      const result = await queued(coordinator);
      record.done();
      return result;
    } catch (err) {
      // A core stopping keeps the record: the run is re-attached when it starts again.
      if (!this.stopCtrl.signal.aborted) record.done();
      throw err;
    } finally {
      this.active.delete(record.key);
      this.resuming.delete(record.key);
    }
  }

  /** The queued runs in flight, oldest first. */
  runs(): QueuedRunView[] {
    return [...this.active.values()].sort((a, b) => a.startedAt - b.startedAt);
  }

  /** Starts again the queued runs a previous core left in flight (in the background); returns how many. */
  resume(handler: (method: QueuedMethod) => ResumeHandler): number {
    const runs = this.inflight.list();
    for (const run of runs) {
      const params = apiSpec[run.method].params.safeParse(run.params);
      if (!params.success) continue;
      this.opts.log(`re-attaching the queued ${run.method} started at ${new Date(run.startedAt).toISOString()}`);
      this.resuming.add(run.key);
      const progress = (p: { done: number; total?: number; message?: string }): void => {
        const view = this.active.get(run.key);
        if (view) Object.assign(view, { done: p.done, total: p.total ?? null, message: p.message ?? null });
      };
      const ctx: CallContext = { signal: this.stopCtrl.signal, progress, clientId: "compute-resume" };
      // The handler records the run again under the same key; the record goes once it settles (unless core is stopping).
      const settled = (line: string): void => {
        this.opts.log(line);
        if (!this.stopCtrl.signal.aborted) this.inflight.remove(run.key);
      };
      void handler(run.method)(params.data, ctx).then(
        () => settled(`queued ${run.method} re-attached at start-up finished`),
        (err: Error) => settled(`queued ${run.method} re-attached at start-up failed: ${err.message}`),
      );
    }
    return runs.length;
  }

  /** Connects to `url` (or the saved URL), checks the eviction policy and lists the live workers; never throws. */
  async test(url?: string): Promise<ComputeTestResult> {
    const startedAt = Date.now();
    const result = (r: Partial<ComputeTestResult>): ComputeTestResult => ({ ok: false, error: null, warning: null, engineVersion: null, workers: [], ...r, elapsedMs: Date.now() - startedAt });
    try {
      const target = url ?? (await this.settings.url());
      if (!target) return result({ error: "no queue URL given or saved" });
      const redis = await connectQueue(target, this.opts.testTimeoutMs ?? 5000);
      try {
        const [warning, engineVersion, workers] = await Promise.all([evictionWarning(redis), redis.get(QUEUE_KEYS.engine), liveWorkers(redis)]);
        return result({ ok: true, warning, engineVersion, workers });
      } finally {
        redis.disconnect();
      }
    } catch (err) {
      return result({ error: (err as Error).message });
    }
  }

  /** The live workers on the saved queue (none when no URL is saved). */
  async workers(): Promise<ComputeWorkerInfo[]> {
    const test = await this.test();
    if (!test.ok && test.error !== "no queue URL given or saved") throw new ApiError("unavailable", test.error ?? "the queue cannot be used");
    return test.workers;
  }

  /** Stops: runs in flight keep their records (re-attached at the next start); the coordinators close. */
  async close(): Promise<void> {
    this.stopCtrl.abort();
    const open = [...this.coordinators.values()];
    this.coordinators.clear();
    await Promise.all(open.map((c) => c.then((x) => x.close()).catch(() => undefined)));
  }

  /**
   * Marks the service as stopping, before core's calls are aborted: their in-flight records stay
   * and their jobs stay on the queue, so the next start re-attaches them.
   */
  beginStop(): void {
    for (const open of this.coordinators.values()) void open.then((c) => c.detach(), () => undefined);
    this.stopCtrl.abort();
  }
}
