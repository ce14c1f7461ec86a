/**
 * Scale-out against a real `redis-server` on a free loopback port (its own, in a temp dir): a sweep
 * through the queue with two workers in separate data directories, on a symbol only the
 * coordinator's store has, prints exactly what the local sweep prints; kill -9 of a worker mid-job
 * still completes with identical rows and leaves no sandbox process behind; Ctrl-C stops queued and
 * running jobs; a worker of another engine version is refused; an unreachable Redis is a clear error
 * within seconds; an eviction policy other than noeviction is a warning. Walk-forwards and strategy
 * screens through the queue print what they print locally.
 */
import type { ChildProcess } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { Queue } from "bullmq";
import { Redis } from "ioredis";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ENGINE_VERSION } from "../../common/strategy/version.ts";
import { runCli } from "../cli/main.ts";
import { QUEUE_KEYS } from "./redis.ts";
import { cli, exited, freePort, lineMatching, startRedis, startWorkerProcess, until, writeSweepFixtures } from "./testing.ts";

const TEMPLATE = path.resolve(import.meta.dirname, "../../resources/templates/sma-crossover.ts");
let dir = "";
let url = "";
let redisProc: ChildProcess;
let redis: Redis;
let queue: Queue;
const workers: ChildProcess[] = [];

async function startWorker(name: string): Promise<ChildProcess> {
  const { child } = await startWorkerProcess(url, path.join(dir, name));
  workers.push(child);
  return child;
}

async function sweep(strategy: string, grid: string, ...extra: string[]): Promise<{ code: number; out: string; err: string }> {
  const out: string[] = [];
  const err: string[] = [];
  const argv = ["sweep", strategy, "--data", "TEST-USD", "--data-dir", path.join(dir, "coord"), "--grid", grid, "--skip-typecheck", "--no-save", "--json", "--workers", "1", ...extra];
  const code = await runCli(argv, { out: (l) => out.push(l), err: (l) => err.push(l), env: {} });
  return { code, out: out.join("\n"), err: err.join("\n") };
}

/** Child processes of `pid` (its sandbox hosts). */
function childrenOf(pid: number): number[] {
  const text = fs.readFileSync(`/proc/${pid}/task/${pid}/children`, "utf8").trim();
  return text === "" ? [] : text.split(/\s+/).map(Number);
}

beforeAll(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), "ws-scaleout-"));
  const server = await startRedis(dir);
  url = server.url;
  redisProc = server.proc;
  redis = new Redis(server.port, "127.0.0.1", { maxRetriesPerRequest: null });
  queue = new Queue(QUEUE_KEYS.runs, { connection: redis });
  await writeSweepFixtures(dir, path.join(dir, "coord"));
  await Promise.all([startWorker("w1"), startWorker("w2")]);
}, 60_000);

afterAll(async () => {
  for (const w of workers) w.kill("SIGKILL");
  await queue?.close();
  redis?.disconnect();
  redisProc?.kill("SIGKILL");
  fs.rmSync(dir, { recursive: true, force: true });
});

describe("sweep --queue", () => {
  it("prints exactly the local sweep's output, the bars reaching the workers only as chunks", async () => {
    const grid = '{"fast":[3,5,8],"slow":[20,30]}';
    const local = await sweep(TEMPLATE, grid);
    const queued = await sweep(TEMPLATE, grid, "--queue", url);
    expect(queued.code).toBe(0);
    expect(queued.out).toBe(local.out);
    expect(JSON.parse(queued.out).rows).toHaveLength(6);
    const fetched = ["w1", "w2"].filter((w) => fs.readdirSync(path.join(dir, w, "compute", "blobs")).length > 0);
    expect(fetched.length).toBeGreaterThan(0);
    const again = await sweep(TEMPLATE, grid, "--queue", url);
    expect(again.out).toBe(local.out);
    expect(again.err).toContain("6 jobs (6 reused from earlier runs)");
  }, 120_000);

  it("sweep --holdout --queue has the local sweep's rows, trials, dsr and pbo, and records its holdout look as the local one does", async () => {
    const grid = '{"fast":[3,5,8],"slow":[20,30]}';
    const local = JSON.parse((await sweep(TEMPLATE, grid, "--holdout", "0.25")).out);
    const queued = await sweep(TEMPLATE, grid, "--holdout", "0.25", "--queue", url);
    expect(queued.code).toBe(0);
    const figures = JSON.parse(queued.out);
    expect(local.dsr).not.toBeNull();
    expect(figures.trials).toBe(6);
    expect({ ...figures, holdoutLooks: 0 }).toEqual({ ...local, holdoutLooks: 0 });
    expect(figures.holdoutLooks).toBe(local.holdoutLooks + 1);
    expect(queued.err).toContain("holdout has now been looked at");
  }, 120_000);

  it("walkforward --queue prints exactly the local walk-forward's output", async () => {
    const out: string[][] = [[], []];
    const argv = ["walkforward", TEMPLATE, "--data", "TEST-USD", "--data-dir", path.join(dir, "coord"), "--grid", '{"fast":[3,5],"slow":[20,30]}', "--folds", "3", "--skip-typecheck", "--json", "--workers", "1"];
    const local = await runCli(argv, { out: (l) => out[0]!.push(l), err: () => undefined, env: {} });
    const queued = await runCli([...argv, "--queue", url], { out: (l) => out[1]!.push(l), err: () => undefined, env: {} });
    expect([local, queued]).toEqual([0, 0]);
    expect(JSON.parse(out[1]!.join("\n")).folds).toHaveLength(3);
    expect(out[1]).toEqual(out[0]);
  }, 120_000);

  it("screen --strategy --queue prints exactly the local screen's output", async () => {
    const silent = { out: () => undefined, err: () => undefined, env: {} };
    const coord = ["--data-dir", path.join(dir, "coord")];
    expect(await runCli(["universe", "synth", "--symbols", "3", "--bars", "400", "--seed", "5", ...coord], silent)).toBe(0);
    const universe = "synthetic:SYN0001/USD,synthetic:SYN0002/USD,synthetic:SYN0003/USD,synthetic:NOPE";
    const argv = ["screen", "--strategy", TEMPLATE, "--universe", universe, "--timeframe", "1h", "--holdout", "0.25", "--workers", "1", "--json", ...coord];
    const out: string[][] = [[], []];
    expect(await runCli(argv, { out: (l) => out[0]!.push(l), err: () => undefined, env: {} })).toBe(0);
    expect(await runCli([...argv, "--queue", url], { out: (l) => out[1]!.push(l), err: () => undefined, env: {} })).toBe(0);
    expect(JSON.parse(out[1]!.join("\n")).rows).toHaveLength(4);
    expect(out[1]).toEqual(out[0]);
  }, 120_000);

  it("completes with identical rows when a worker is killed with -9 mid-job, leaving no sandbox process", async () => {
    const grid = '{"spin":[3000],"fast":[3,5,8,13],"slow":[20,30]}';
    const strategy = path.join(dir, "slow.ts");
    const victim = workers[0]!;
    const queued = sweep(strategy, grid, "--queue", url);
    await until(async () => (await queue.getActive()).some((job) => job.processedBy?.endsWith(`:${victim.pid}`)), "a job on the first worker", 60_000);
    const sandboxes = childrenOf(victim.pid!);
    expect(sandboxes.length).toBeGreaterThan(0);
    victim.kill("SIGKILL");
    const result = await queued;
    expect(result.code).toBe(0);
    expect(result.out).toBe((await sweep(strategy, grid)).out);
    await until(() => sandboxes.every((pid) => !fs.existsSync(`/proc/${pid}`)), "the killed worker's sandbox processes to exit", 5000);
    workers[0] = await startWorker("w1");
  }, 180_000);

  it("Ctrl-C stops the queued and running jobs within seconds", async () => {
    const coordinator = cli(["sweep", path.join(dir, "slow.ts"), "--data", "TEST-USD", "--data-dir", path.join(dir, "coord"), "--grid", '{"spin":[20000],"fast":[2,3,4,5,6,7,8,9,10,11]}', "--skip-typecheck", "--no-save", "--queue", url]);
    await lineMatching(coordinator.stderr!, /^queue: 10 jobs/);
    await until(async () => (await queue.getActiveCount()) > 0, "a running job");
    const stoppedAt = Date.now();
    coordinator.kill("SIGINT");
    expect(await exited(coordinator)).toBe(130);
    await until(async () => (await queue.getWaitingCount()) + (await queue.getActiveCount()) === 0, "the run's jobs to stop", 5000);
    expect(Date.now() - stoppedAt).toBeLessThan(8000);
  }, 60_000);

  it("refuses a worker of another engine version", async () => {
    await redis.set(QUEUE_KEYS.engine, "0.0.0-other");
    try {
      const child = cli(["worker", "--queue", url, "--data-dir", path.join(dir, "w3")]);
      const line = lineMatching(child.stderr!, /refused/);
      expect(await exited(child)).toBe(1);
      expect(await line).toContain(`this queue runs engine version 0.0.0-other, this worker runs ${ENGINE_VERSION}`);
    } finally {
      await redis.set(QUEUE_KEYS.engine, ENGINE_VERSION);
    }
  }, 30_000);

  it("fails a job of another engine version at once, and retries one whose chunk server is unreachable, naming the reason", async () => {
    const job = { kind: "sweep", runId: "r", bundle: "a".repeat(64), manifest: "b".repeat(64), combos: [{ index: 0, params: {} }], config: { cash: 1, commission: 0, slippageBps: 0 }, limits: {}, split: 0 };
    const source = { url: `http://127.0.0.1:${await freePort()}`, token: "t" };
    const opts = { attempts: 2, backoff: { type: "fixed", delay: 100 } };
    const old = await queue.add("combos", { ...job, engineVersion: "0.0.0-other", source }, { ...opts, jobId: "test-old-engine" });
    const unreachable = await queue.add("combos", { ...job, engineVersion: ENGINE_VERSION, source }, { ...opts, jobId: "test-unreachable" });
    await until(async () => (await old.getState()) === "failed" && (await unreachable.getState()) === "failed", "both jobs to fail", 20_000);
    const [o, u] = await Promise.all([queue.getJob("test-old-engine"), queue.getJob("test-unreachable")]);
    expect(o!.failedReason).toBe(`refused: the job needs engine version 0.0.0-other, this worker runs ${ENGINE_VERSION}`);
    expect(o!.attemptsMade).toBe(1);
    expect(u!.failedReason).toMatch(/^cannot reach the chunk server at http:\/\/127\.0\.0\.1:\d+: .*ECONNREFUSED/);
    expect(u!.attemptsMade).toBe(2);
    expect(workers.every((w) => w.exitCode === null)).toBe(true);
  }, 30_000);

  it("fails within seconds when Redis is unreachable, and warns about an evicting Redis", async () => {
    const startedAt = Date.now();
    const down = await sweep(TEMPLATE, '{"fast":[3]}', "--queue", `redis://127.0.0.1:${await freePort()}`);
    expect(down.code).toBe(1);
    expect(down.err).toMatch(/cannot use Redis at redis:\/\/127\.0\.0\.1:\d+: connect ECONNREFUSED/);
    expect(Date.now() - startedAt).toBeLessThan(8000);
    await redis.config("SET", "maxmemory-policy", "allkeys-lru");
    try {
      const evicting = await sweep(TEMPLATE, '{"fast":[3,5,8],"slow":[20,30]}', "--queue", url);
      expect(evicting.code).toBe(0);
      expect(evicting.err).toContain('maxmemory-policy is "allkeys-lru"');
    } finally {
      await redis.config("SET", "maxmemory-policy", "noeviction");
    }
  }, 60_000);
});
