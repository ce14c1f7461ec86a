/**
 * Entry point of a strategy host process. Started by core's worker pool with
 * `--no-node-snapshot` (isolated-vm needs it) and an IPC channel; announces `ready`, answers
 * requests from the method registry, honours cancel, and exits cleanly on `shutdown` or when core
 * goes away (IPC disconnect). A retiring worker (see `retire.ts`) ends itself once its answer is out.
 * When core opened a session channel (`WS_SESSION_CHANNEL=1`), live sessions run on a session
 * thread started from this same file (`session-thread.ts`), and the worker says ready once that
 * thread is.
 */
import { isMainThread } from "node:worker_threads";
import type { FromWorker, ToWorker } from "../common/worker/protocol.ts";
import { errorBody, prepareWorker, workerMethods } from "./registry.ts";
import { endWorkerProcess, workerRetiring } from "./retire.ts";
import { runSessionThread } from "./session-thread.ts";
import { startSessionThread } from "./session-thread-main.ts";

const running = new Map<number, AbortController>();

function send(msg: FromWorker): void {
  if (process.connected) process.send?.(msg);
}

/** Sends a response, then calls `written` once it is written; a retiring worker ends as soon as it is written. */
function respond(msg: FromWorker, written?: () => void): void {
  if (!workerRetiring()) {
    if (process.connected && process.send) process.send(msg, undefined, undefined, written);
    return;
  }
  if (process.connected && process.send) process.send(msg, undefined, undefined, () => endWorkerProcess());
  else endWorkerProcess();
}

/** Calls each of a request's after-reply callbacks (a throwing one does not stop the others). */
function runAfterReply(callbacks: readonly (() => void)[]): void {
  for (const callback of callbacks) {
    try {
      callback();
    } catch {
      // Background work after a reply has no one to report to.
    }
  }
}

/**
 * Runs a request and answers it: a handler that returns a plain value at once, in the same turn;
 * one that returns a promise when it settles, so the requests of one message (the steps of every
 * session this worker holds) are each answered as soon as each is done.
 */
function handleRequest(id: number, method: string, params: unknown): void {
  const handler = workerMethods[method];
  if (!handler) {
    send({ type: "response", id, ok: false, error: { code: "unknown_method", message: `worker has no method "${method}"` } });
    return;
  }
  const ctrl = new AbortController();
  const afterReply: (() => void)[] = [];
  const written = () => runAfterReply(afterReply);
  let result: unknown;
  try {
    result = handler(params, { signal: ctrl.signal, progress: (progress) => send({ type: "progress", id, progress }), afterReply: (fn) => afterReply.push(fn) });
  } catch (err) {
    respond({ type: "response", id, ok: false, error: errorBody(err).toBody() }, written);
    return;
  }
  if (!(result instanceof Promise)) {
    respond({ type: "response", id, ok: true, result }, written);
    return;
  }
  running.set(id, ctrl);
  void result.then(
    (value: unknown) => respond({ type: "response", id, ok: true, result: value }, written),
    (err: unknown) => respond({ type: "response", id, ok: false, error: errorBody(err).toBody() }, written),
  ).finally(() => running.delete(id));
}

function onMessage(msg: ToWorker): void {
  if (msg.type === "request") handleRequest(msg.id, msg.method, msg.params);
  else if (msg.type === "requests") for (const r of msg.requests) handleRequest(r.id, r.method, r.params);
  else if (msg.type === "cancel") running.get(msg.id)?.abort();
  else if (msg.type === "shutdown") {
    for (const ctrl of running.values()) ctrl.abort();
    process.disconnect();
  }
}

/** Sends several answers; the last ends a retiring worker once written. */
function answerAll(msgs: FromWorker[]): void {
  msgs.forEach((msg, i) => (i === msgs.length - 1 ? respond(msg) : send(msg)));
}

async function main(): Promise<void> {
  if (!process.send) {
    process.stderr.write("worker/host must be started by core with an IPC channel\n");
    process.exit(2);
  }
  process.on("message", (msg) => onMessage(msg as ToWorker));
  process.on("disconnect", () => process.exit(0));
  prepareWorker();
  if (process.env.WS_SESSION_CHANNEL === "1") await startSessionThread(new URL(import.meta.url), answerAll);
  send({ type: "ready", pid: process.pid });
}

if (isMainThread) await main();
else runSessionThread();
