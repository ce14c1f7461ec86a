/**
 * Messages between core and a strategy host process (Node IPC with structured-clone
 * serialization, so typed arrays cross without JSON). Core sends requests (those made in the same
 * turn go as one message); the worker answers each with exactly one response, optionally preceded
 * by progress. A worker that can no longer be
 * trusted with new work (a sandbox's thread is stuck out of memory) says `retiring` first: core
 * sends it nothing more and starts its replacement; it exits after answering.
 *
 * Live sessions' requests (`session.*`) take a second channel when the worker has one: a pipe
 * (the child's fd {@link SESSION_CHANNEL_FD}) read by the worker's session thread, which runs the
 * session isolates. Each direction carries length-prefixed JSON frames (`frames.ts`): core sends
 * {@link WorkerRequestMessage}s (those made in one turn in one write), the thread answers each with
 * a `response` of {@link FromWorker}. A response may also come over IPC: when the worker's memory
 * watchdog (on its main thread) ends a session step the session thread cannot return from.
 */

/** The file descriptor of the session channel in a strategy host process. */
export const SESSION_CHANNEL_FD = 4;
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
