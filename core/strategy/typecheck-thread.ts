/**
 * Runs strategy type-checks on one long-lived worker thread (its parsed library files stay
 * cached between checks). The thread is unref'd, so it never keeps a process alive; if it dies,
 * pending checks fail with a clear error and the next check starts a new thread.
 */
import fs from "node:fs";
import { fileURLToPath } from "node:url";
import { Worker } from "node:worker_threads";
import type { CompileDiagnostic } from "./compile.ts";

/** A request to the type-check thread. */
export interface TypecheckRequest {
  id: number;
  source: string;
  filename: string;
}

/** The thread's answer to one request. */
export type TypecheckReply = { id: number; diagnostics: CompileDiagnostic[] } | { id: number; error: string };

interface Pending {
  resolve: (diagnostics: CompileDiagnostic[]) => void;
  reject: (err: Error) => void;
}

let worker: Worker | null = null;
let nextId = 1;
const pending = new Map<number, Pending>();

function threadEntry(): string {
  for (const name of ["./typecheck-worker.ts", "./typecheck-worker.js"]) {
    const file = fileURLToPath(new URL(name, import.meta.url));
    if (fs.existsSync(file)) return file;
  }
  throw new Error("type-check thread entry not found (typecheck-worker.ts or typecheck-worker.js)");
}

function failAll(message: string): void {
  for (const p of pending.values()) p.reject(new Error(message));
  pending.clear();
  worker = null;
}

function thread(): Worker {
  if (worker) return worker;
  const w = new Worker(threadEntry());
  w.unref();
  w.on("message", (reply: TypecheckReply) => {
    const p = pending.get(reply.id);
    if (!p) return;
    pending.delete(reply.id);
    if (pending.size === 0) w.unref();
    if ("error" in reply) p.reject(new Error(reply.error));
    else p.resolve(reply.diagnostics);
  });
  w.on("error", (err) => failAll(`type-check thread failed: ${err.message}`));
  w.on("exit", (code) => {
    if (worker === w) failAll(`type-check thread exited (code ${code})`);
  });
  worker = w;
  return w;
}

/** Type-checks a strategy on the worker thread. */
export function typecheckOffThread(source: string, filename: string): Promise<CompileDiagnostic[]> {
  const w = thread();
  const id = nextId++;
  return new Promise((resolve, reject) => {
    pending.set(id, { resolve, reject });
    w.ref();
    w.postMessage({ id, source, filename } satisfies TypecheckRequest);
  });
}
