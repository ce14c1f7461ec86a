/**
 * Entry point of a strategy host process. Started by core's worker pool with
 * `--no-node-snapshot` (isolated-vm needs it) and an IPC channel; announces `ready`, answers
 * requests from the method registry, honours cancel, and exits cleanly on `shutdown` or when core
 * goes away (IPC disconnect). A retiring worker (see `retire.ts`) ends itself once its answer is out.
 */
import { ApiError } from "../common/api/index.ts";
import type { FromWorker, ToWorker } from "../common/worker/protocol.ts";
import { prepareWorker, workerMethods } from "./registry.ts";
import { endWorkerProcess, workerRetiring } from "./retire.ts";

const running = new Map<number, AbortController>();

function send(msg: FromWorker): void {
  if (process.connected) process.send?.(msg);
}

/** Sends a response; a retiring worker ends as soon as it is written. */
function respond(msg: FromWorker): void {
  if (!workerRetiring()) return send(msg);
  if (process.connected && process.send) process.send(msg, undefined, undefined, () => endWorkerProcess());
  else endWorkerProcess();
}

function errorBody(err: unknown): ApiError {
  if (err instanceof ApiError) return err;
  return new ApiError("internal", err instanceof Error ? err.message : String(err));
}

async function handleRequest(id: number, method: string, params: unknown): Promise<void> {
  const handler = workerMethods[method];
  if (!handler) {
    send({ type: "response", id, ok: false, error: { code: "unknown_method", message: `worker has no method "${method}"` } });
    return;
  }
  const ctrl = new AbortController();
  running.set(id, ctrl);
  try {
    const result = await handler(params, { signal: ctrl.signal, progress: (progress) => send({ type: "progress", id, progress }) });
    respond({ type: "response", id, ok: true, result });
  } catch (err) {
    respond({ type: "response", id, ok: false, error: errorBody(err).toBody() });
  } finally {
    running.delete(id);
  }
}

function onMessage(msg: ToWorker): void {
  if (msg.type === "request") void handleRequest(msg.id, msg.method, msg.params);
  else if (msg.type === "cancel") running.get(msg.id)?.abort();
  else if (msg.type === "shutdown") {
    for (const ctrl of running.values()) ctrl.abort();
    process.disconnect();
  }
}

if (!process.send) {
  process.stderr.write("worker/host must be started by core with an IPC channel\n");
  process.exit(2);
}
process.on("message", (msg) => onMessage(msg as ToWorker));
process.on("disconnect", () => process.exit(0));
prepareWorker();
send({ type: "ready", pid: process.pid });
