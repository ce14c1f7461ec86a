/**
 * The `compute.*` part of the API map: where core runs sweeps, walk-forwards and strategy screens —
 * its local worker pool, or `workstation worker`s through a Redis queue (scale-out) — the
 * connection test and the live workers. A queue URL's password never comes back from core: views
 * show it as `***`.
 */
import { z } from "zod";
import { method } from "./define.ts";

/** Where core runs its compute work. */
export type ComputeMode = "local" | "queue";

/** A live `workstation worker`, as its heartbeat in Redis describes it. */
export interface ComputeWorkerInfo {
  host: string;
  pid: number;
  /** The workstation version the worker runs. */
  version: string;
  engineVersion: string;
  concurrency: number;
  /** UTC ms the worker started and last announced itself. */
  startedAt: number;
  lastSeen: number;
}

/** The Compute settings as clients see them. */
export interface ComputeSettingsView {
  mode: ComputeMode;
  /** The queue URL with its password shown as `***`, or null when none is saved. */
  url: string | null;
  /** Whether the saved URL carries credentials (kept in the OS keychain). */
  credentials: boolean;
  /** Where core's chunk server listens (`HOST:PORT`), or null for loopback on a free port. */
  serveData: string | null;
  /** The URL workers use to reach the chunk server, or null for the bound address. */
  advertise: string | null;
  /** A shared folder the run's chunks are also written to (workers with `--chunks-dir` read them there), or null. */
  chunksDir: string | null;
}

/** What a connection test found. */
export interface ComputeTestResult {
  ok: boolean;
  /** Why the queue cannot be used (unreachable, refused credentials, bad URL). */
  error: string | null;
  /** A warning that does not stop runs (an eviction policy other than noeviction). */
  warning: string | null;
  /** The engine version the queue's coordinators run, or null when none recorded one. */
  engineVersion: string | null;
  workers: ComputeWorkerInfo[];
  elapsedMs: number;
}

/** A run core is sending through the queue. */
export interface QueuedRunView {
  method: "strategy.sweep" | "robustness.walkforward" | "screen.run";
  startedAt: number;
  /** Re-attached at core start-up (left in flight by a core that stopped): no caller waits for it. */
  resumed: boolean;
  /** Progress of a re-attached run (null for others: their caller gets it). */
  done: number | null;
  total: number | null;
  message: string | null;
}

const queueUrl = z.string().min(1).max(2048);
const listen = z.string().min(1).max(300);
const advertise = z.string().min(1).max(2048);
const chunksDir = z.string().min(1).max(4096);

/** A queue to run one request through (the CLI's `--queue`, `--serve-data`, `--advertise`). */
export const queueTarget = z.object({ url: queueUrl, serveData: listen.optional(), advertise: advertise.optional(), chunksDir: chunksDir.optional() });

/** Requests served by core's compute service. */
export const computeApi = {
  "compute.settings.get": method(z.object({})).returns<ComputeSettingsView>(),
  /** `url` omitted keeps the saved URL; `serveData`/`advertise` null clears them. */
  "compute.settings.set": method(
    z.object({ mode: z.enum(["local", "queue"]), url: queueUrl.optional(), serveData: listen.nullable().optional(), advertise: advertise.nullable().optional(), chunksDir: chunksDir.nullable().optional() }),
  ).returns<ComputeSettingsView>(),
  /** Connects to `url` (or the saved URL), checks the eviction policy and lists the workers; answers within seconds. */
  "compute.test": method(z.object({ url: queueUrl.optional() })).returns<ComputeTestResult>(),
  /** The live workers on the saved queue. */
  "compute.workers": method(z.object({})).returns<ComputeWorkerInfo[]>(),
  /** The runs core is sending through the queue now (re-attached ones with their progress). */
  "compute.runs": method(z.object({})).returns<QueuedRunView[]>(),
};
