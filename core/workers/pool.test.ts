import type { ChildProcess } from "node:child_process";
import { afterEach, describe, expect, it } from "vitest";
import { encodeFrames } from "../../common/worker/frames.ts";
import { SESSION_CHANNEL_FD } from "../../common/worker/protocol.ts";
import { silentLogger } from "../log.ts";
import { WORKER_EXEC_ARGV, defaultWorkerEntry } from "./entry.ts";
import { WorkerCrashedError, WorkerPool } from "./pool.ts";

let pool: WorkerPool | null = null;

function newPool(size = 1): WorkerPool {
  pool = new WorkerPool({ size, entry: defaultWorkerEntry(), execArgv: WORKER_EXEC_ARGV, log: silentLogger() });
  return pool;
}

/** A warm one-worker pool, its worker's pid and child process, and the pid of its next replacement. */
async function watchedPool(): Promise<{ p: WorkerPool; firstPid: number | undefined; child: ChildProcess; restarted: Promise<number> }> {
  const p = newPool();
  await p.warmUp();
  const [firstPid] = p.status().pids;
  const restarted = new Promise<number>((resolve) => p.once("restart", (_i: number, pid: number) => resolve(pid)));
  const child = (p as unknown as { slots: { child: ChildProcess }[] }).slots[0]!.child;
  return { p, firstPid, child, restarted };
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

  it("requests made in one turn cross as one message, answered one by one; one cancelled before it left is not sent", async () => {
    const p = newPool();
    await p.warmUp();
    const sent: unknown[] = [];
    const child = (p as unknown as { slots: { child: { send: (m: unknown, cb: unknown) => unknown } }[] }).slots[0]!.child;
    const send = child.send.bind(child);
    child.send = (m, cb) => (sent.push(m), send(m, cb));
    const ctrl = new AbortController();
    const answers = Promise.all([p.request("echo", { value: 1 }), p.request("echo", { value: 2 }, { signal: ctrl.signal }).catch((e: Error) => e.message), p.request("nope", {}).catch((e: { code: string }) => e.code), p.request("echo", { value: 4 })]);
    await Promise.resolve();
    ctrl.abort();
    expect(await answers).toEqual([expect.objectContaining({ value: 1 }), "cancelled", "unknown_method", expect.objectContaining({ value: 4 })]);
    const batches = sent.filter((m) => (m as { type: string }).type === "requests") as { requests: { params: unknown }[] }[];
    expect(batches.map((b) => b.requests.map((r) => r.params))).toEqual([[{ value: 1 }, {}, { value: 4 }]]);
  });

  it("requests made in the same turn go to different idle workers, started or not (a sweep's first batches)", async () => {
    for (const warm of [false, true]) {
      const p = newPool(2);
      if (warm) await p.warmUp();
      const pids = await Promise.all([1, 2].map((value) => p.request<{ workerPid: number }>("echo", { value }).then((r) => r.workerPid)));
      expect(new Set(pids).size).toBe(2);
      await p.shutdown();
    }
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

  it("a worker whose session channel carries garbage is replaced; its request in flight fails, core goes on", async () => {
    const { p, firstPid, child, restarted } = await watchedPool();
    const inflight = p.request("echo", { value: 1 });
    child.stdio[SESSION_CHANNEL_FD]!.emit("data", Buffer.from(encodeFrames(["[not json", "{}"])));
    await expect(inflight).rejects.toBeInstanceOf(WorkerCrashedError);
    expect(await restarted).not.toBe(firstPid);
    expect(await p.request("echo", { value: 2 })).toMatchObject({ value: 2 });
  });

  it("a worker that receives garbage on its session channel asks to be replaced", async () => {
    const { p, firstPid, child, restarted } = await watchedPool();
    (child.stdio[SESSION_CHANNEL_FD] as NodeJS.WritableStream).write(encodeFrames(['{"id":"x"}']));
    expect(await restarted).not.toBe(firstPid);
    expect(await p.request("echo", { value: 2 })).toMatchObject({ value: 2 });
  });

  it("replaces a killed worker and fails only the in-flight request", async () => {
    const { p, firstPid, restarted } = await watchedPool();
    expect(firstPid).toBeTypeOf("number");
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
