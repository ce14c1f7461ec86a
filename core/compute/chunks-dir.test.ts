/**
 * The shared chunk folder against a real `redis-server` on a free loopback port: a sweep through
 * the queue whose coordinator writes its chunks to a folder and whose worker reads them there
 * equals the local sweep with 0 bytes sent by the chunk server; a corrupted file in the folder is
 * detected (a warning line) and that chunk is fetched over HTTP.
 */
import type { ChildProcess } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, expect, it } from "vitest";
import type { BarColumns } from "../../common/market/bars.ts";
import { silentLogger } from "../log.ts";
import { prepareStrategy, resolveLimits } from "../strategy/runner.ts";
import { runSweep } from "../strategy/sweep-runner.ts";
import { WORKER_EXEC_ARGV, defaultWorkerEntry } from "../workers/entry.ts";
import { WorkerPool } from "../workers/pool.ts";
import { QueueCoordinator } from "./coordinator.ts";
import { runBlobs } from "./content.ts";
import { runSweepViaQueue } from "./sweep-queue.ts";
import { startRedis, startWorkerProcess, until } from "./testing.ts";

const SOURCE = fs.readFileSync(path.resolve(import.meta.dirname, "../../resources/templates/sma-crossover.ts"), "utf8");
const CONFIG = { cash: 10_000, commission: 0.001, slippageBps: 0 };
const LIMITS = resolveLimits({});
let dir = "";
let redisProc: ChildProcess | undefined;
let worker: { child: ChildProcess; lines: string[] } | undefined;
let coordinator: QueueCoordinator | undefined;

function testBars(n: number): BarColumns {
  const close = Float64Array.from({ length: n }, (_, i) => 100 + 5 * Math.sin(i / 15) + 2 * Math.sin(i / 4));
  return { symbol: "FOLDER-USD", time: Float64Array.from({ length: n }, (_, i) => i * 60_000), open: close, high: close.map((c) => c + 0.5), low: close.map((c) => c - 0.5), close, volume: new Float64Array(n).fill(10) };
}

beforeAll(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), "ws-chunks-dir-"));
  const server = await startRedis(dir);
  redisProc = server.proc;
  const shared = path.join(dir, "shared");
  worker = await startWorkerProcess(server.url, path.join(dir, "w1"), ["--chunks-dir", shared]);
  coordinator = await QueueCoordinator.open({ url: server.url, serve: { host: "127.0.0.1", port: 0 }, chunksDir: shared, log: () => undefined });
}, 60_000);

afterAll(async () => {
  await coordinator?.close();
  worker?.child.kill("SIGKILL");
  redisProc?.kill("SIGKILL");
  fs.rmSync(dir, { recursive: true, force: true });
});

it("runs a queued sweep on chunks read from the shared folder (0 bytes over HTTP), and fetches a corrupted one over HTTP", async () => {
  const strategy = await prepareStrategy(SOURCE, "sma-crossover.ts", { typecheck: false });
  const pool = new WorkerPool({ size: 1, entry: defaultWorkerEntry(), execArgv: WORKER_EXEC_ARGV, log: silentLogger() });
  const bars = testBars(3000);
  const grid = { fast: [3, 5, 8], slow: [20, 30] };
  try {
    const local = await runSweep(pool, strategy, bars, CONFIG, LIMITS, { grid, holdout: 0, concurrency: 1 });
    const queued = await runSweepViaQueue(coordinator!, strategy, bars, CONFIG, LIMITS, { grid, holdout: 0 });
    expect(queued).toEqual(local);
    expect(coordinator!.server.bytesServed).toBe(0);

    const other = testBars(2000);
    const { manifest, blobs } = runBlobs(other, strategy);
    // Same size, other bytes: the coordinator leaves a present file of the right size alone, so only the worker's hash check can catch it.
    fs.writeFileSync(path.join(dir, "shared", manifest), Buffer.alloc(blobs.get(manifest)!.length, "x"));
    const localOther = await runSweep(pool, strategy, other, CONFIG, LIMITS, { grid, holdout: 0, concurrency: 1 });
    expect(await runSweepViaQueue(coordinator!, strategy, other, CONFIG, LIMITS, { grid, holdout: 0 })).toEqual(localOther);
    expect(coordinator!.server.bytesServed).toBeGreaterThan(0);
    await until(() => worker!.lines.some((l) => l.includes(`chunk ${manifest.slice(0, 12)} in the shared folder`) && l.includes("does not match its hash")), "the corruption warning", 5000);
  } finally {
    await pool.shutdown();
  }
}, 120_000);
