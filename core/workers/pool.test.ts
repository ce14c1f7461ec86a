import { afterEach, describe, expect, it } from "vitest";
import { silentLogger } from "../log.ts";
import { WORKER_EXEC_ARGV, defaultWorkerEntry } from "./entry.ts";
import { WorkerCrashedError, WorkerPool } from "./pool.ts";

let pool: WorkerPool | null = null;

function newPool(size = 1): WorkerPool {
  pool = new WorkerPool({ size, entry: defaultWorkerEntry(), execArgv: WORKER_EXEC_ARGV, log: silentLogger() });
  return pool;
}

afterEach(async () => {
  await pool?.shutdown();
  pool = null;
});

describe("WorkerPool", () => {
  it("answers requests from a worker process started with --no-node-snapshot", async () => {
    const p = newPool();
    const res = await p.request<{ value: unknown; workerPid: number }>("echo", { value: { a: [1, 2] } });
    expect(res.value).toEqual({ a: [1, 2] });
    expect(res.workerPid).not.toBe(process.pid);
  });

  it("rejects unknown worker methods with a typed error", async () => {
    const p = newPool();
    await expect(p.request("nope", {})).rejects.toMatchObject({ code: "unknown_method" });
  });

  it("a request sent to a worker that died before core noticed fails with WorkerCrashedError, not an unhandled EPIPE", async () => {
    const p = newPool();
    await p.warmUp();
    const [pid] = p.status().pids;
    process.kill(pid!, "SIGKILL");
    // Block the event loop while the worker dies, so its pipe is closed before core sees the exit.
    Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 200);
    await expect(p.request("echo", { value: 1 })).rejects.toBeInstanceOf(WorkerCrashedError);
    expect(await p.request("echo", { value: 2 })).toMatchObject({ value: 2 });
  });

  it("replaces a killed worker and fails only the in-flight request", async () => {
    const p = newPool();
    await p.warmUp();
    const [firstPid] = p.status().pids;
    expect(firstPid).toBeTypeOf("number");
    const restarted = new Promise<number>((resolve) => p.once("restart", (_i: number, pid: number) => resolve(pid)));
    const inflight = p.request("echo", { value: 1 });
    process.kill(firstPid!, "SIGKILL");
    await expect(inflight).rejects.toBeInstanceOf(WorkerCrashedError);
    const newPid = await restarted;
    expect(newPid).not.toBe(firstPid);
    const res = await p.request<{ workerPid: number }>("echo", { value: 2 });
    expect(res.workerPid).toBe(newPid);
    expect(p.status()).toMatchObject({ alive: 1, restarts: 1 });
  });

  it("shuts down cleanly: every worker exits", async () => {
    const p = newPool(2);
    await p.warmUp();
    expect(p.status().alive).toBe(2);
    await p.shutdown();
    expect(p.status().alive).toBe(0);
  });
});

describe("WorkerPool cancellation", () => {
  it("refuses a request whose signal is already aborted, and leaves no listener behind on success", async () => {
    const p = newPool();
    const ctrl = new AbortController();
    ctrl.abort();
    await expect(p.request("echo", { value: 1 }, { signal: ctrl.signal })).rejects.toMatchObject({ code: "cancelled" });
    const live = new AbortController();
    const events = await import("node:events");
    for (let i = 0; i < 20; i++) await p.request("echo", { value: i }, { signal: live.signal });
    expect(events.default.getEventListeners(live.signal, "abort")).toHaveLength(0);
  });
});
