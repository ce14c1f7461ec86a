/**
 * The deadline of a read-only query: at the time limit (or when the caller cancels) it runs the
 * registered interrupts and rejects `stopped` with the message the caller gets, so the answer
 * never waits for DuckDB to notice the interrupt.
 */
import { QueryStoppedError, type QueryError } from "./query-errors.ts";

/** A running deadline. */
export interface Deadline {
  /** Rejects when the deadline passes or the query is cancelled; never resolves. */
  stopped: Promise<never>;
  /** The reason the query was stopped, once it was. */
  readonly error: QueryError | null;
  /** Runs `interrupt` when the deadline passes (at once if it has). */
  onExpire(interrupt: () => void): void;
  clear(): void;
}

/** Starts a deadline `timeoutMs` from now, also tripped by `signal`. */
export function startDeadline(timeoutMs: number, signal?: AbortSignal): Deadline {
  let error: QueryError | null = null;
  const hooks: (() => void)[] = [];
  let reject: (err: QueryError) => void = () => undefined;
  const stopped = new Promise<never>((_, r) => {
    reject = r;
  });
  stopped.catch(() => undefined);
  const trip = (message: string): void => {
    if (error) return;
    error = new QueryStoppedError(message);
    for (const hook of hooks) hook();
    reject(error);
  };
  const timer = setTimeout(() => trip(`the query ran longer than ${timeoutMs} ms and was stopped`), timeoutMs);
  const onAbort = (): void => trip("the query was cancelled");
  signal?.addEventListener("abort", onAbort, { once: true });
  return {
    stopped,
    get error() {
      return error;
    },
    onExpire: (interrupt) => {
      hooks.push(interrupt);
      if (error) interrupt();
    },
    clear: () => {
      clearTimeout(timer);
      signal?.removeEventListener("abort", onAbort);
    },
  };
}
