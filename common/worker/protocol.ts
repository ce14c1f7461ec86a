/**
 * Messages between core and a strategy host process (Node IPC with structured-clone
 * serialization, so typed arrays cross without JSON). Core sends requests (those made in the same
 * turn go as one message); the worker answers each with exactly one response, optionally preceded
 * by progress. A worker that can no longer be
 * trusted with new work (a sandbox's thread is stuck out of memory) says `retiring` first: core
 * sends it nothing more and starts its replacement; it exits after answering.
 */
import type { ApiErrorBody, Progress } from "../api/index.ts";

/** One request to a worker. */
export interface WorkerRequestMessage {
  type: "request";
  id: number;
  method: string;
  params: unknown;
}

/** core → worker. `requests`: several requests made in the same turn (the bars of every session a worker holds), in order. */
export type ToWorker =
  | WorkerRequestMessage
  | { type: "requests"; requests: WorkerRequestMessage[] }
  | { type: "cancel"; id: number }
  | { type: "shutdown" };

/** worker → core. */
export type FromWorker =
  | { type: "ready"; pid: number }
  | { type: "response"; id: number; ok: true; result: unknown }
  | { type: "response"; id: number; ok: false; error: ApiErrorBody }
  | { type: "progress"; id: number; progress: Progress }
  | { type: "retiring"; reason: string };
