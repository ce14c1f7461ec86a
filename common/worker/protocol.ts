/**
 * Messages between core and a strategy host process (Node IPC with structured-clone
 * serialization, so typed arrays cross without JSON). Core sends requests; the worker answers each
 * with exactly one response, optionally preceded by progress. A worker that can no longer be
 * trusted with new work (a sandbox's thread is stuck out of memory) says `retiring` first: core
 * sends it nothing more and starts its replacement; it exits after answering.
 */
import type { ApiErrorBody, Progress } from "../api/index.ts";

/** core → worker. */
export type ToWorker =
  | { type: "request"; id: number; method: string; params: unknown }
  | { type: "cancel"; id: number }
  | { type: "shutdown" };

/** worker → core. */
export type FromWorker =
  | { type: "ready"; pid: number }
  | { type: "response"; id: number; ok: true; result: unknown }
  | { type: "response"; id: number; ok: false; error: ApiErrorBody }
  | { type: "progress"; id: number; progress: Progress }
  | { type: "retiring"; reason: string };
