/**
 * Scale-out benchmark: a 200-combination sweep (SMA crossover template) on 1M synthetic 1-minute
 * bars on the local pool (1 worker, then one per core) against the same sweep through a Redis queue
 * (its own `redis-server` on a free loopback port) with 1, 2 and 4 `workstation worker` processes of
 * concurrency 1, each starting with an empty cache. Prints wall time, the data moved by the chunk
 * server, the overhead per queue job (queue with 1 worker minus local with 1 worker, per job), and
 * the projected speed-up on N machines from that overhead. Each queue run uses another seed, so no
 * stored result is reused. Figures, not a test: `npm run bench:scaleout`. Needs `redis-server`.
 */
import { spawn, type ChildProcess } from "node:child_process";
import fs from "node:fs";
import net from "node:net";
import os from "node:os";
import path from "node:path";
import { createInterface } from "node:readline";
import { fileURLToPath } from "node:url";
import type { BarColumns } from "../common/market/bars.ts";
import { syntheticBars } from "./synthetic-bars.ts";
import type { BacktestConfig } from "../common/strategy/results.ts";
import { QueueCoordinator, combosPerJob } from "../core/compute/coordinator.ts";
import { runSweepViaQueue } from "../core/compute/sweep-queue.ts";
import { silentLogger } from "../core/log.ts";
import { prepareStrategy, resolveLimits } from "../core/strategy/runner.ts";
import { runSweep } from "../core/strategy/sweep-runner.ts";
import { WORKER_EXEC_ARGV, defaultWorkerEntry } from "../core/workers/entry.ts";
import { WorkerPool } from "../core/workers/pool.ts";

const SOURCE = fs.readFileSync(fileURLToPath(new URL("../resources/templates/sma-crossover.ts", import.meta.url)), "utf8");
const MAIN = fileURLToPath(new URL("../core/cli/main.ts", import.meta.url));
const CONFIG: BacktestConfig = { cash: 1_000_000, commission: 0.001, slippageBps: 0 };
const LIMITS = resolveLimits({ memoryMb: 1024, timeoutMs: 600_000 });
const GRID = { fast: [2, 3, 4, 5, 6, 8, 10, 12, 15, 18, 20, 25, 30, 35, 40, 45, 50, 60, 70, 80], slow: [90, 100, 120, 140, 160, 180, 200, 250, 300, 400] };
const COMBOS = GRID.fast.length * GRID.slow.length;
const N = 1_000_000;


function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const srv = net.createServer().listen(0, "127.0.0.1", () => {
      const { port } = srv.address() as net.AddressInfo;
      srv.close(() => resolve(port));
    });
  });
}

function lineMatching(stream: NodeJS.ReadableStream, pattern: RegExp): Promise<void> {
  return new Promise((resolve) => {
    const rl = createInterface({ input: stream });
    rl.on("line", (line) => {
      if (!pattern.test(line)) return;
      rl.close();
      resolve();
    });
  });
}

async function startWorkers(url: string, count: number, root: string): Promise<ChildProcess[]> {
  return Promise.all(
    Array.from({ length: count }, async (_, i) => {
      const child = spawn(process.execPath, ["--no-node-snapshot", MAIN, "worker", "--queue", url, "--concurrency", "1", "--data-dir", path.join(root, `w${count}-${i}`)], { stdio: ["ignore", "ignore", "pipe"] });
      await lineMatching(child.stderr!, /taking jobs/);
      child.stderr!.resume();
      return child;
    }),
  );
}

async function stopWorkers(workers: ChildProcess[]): Promise<void> {
  await Promise.all(workers.map((w) => new Promise<void>((resolve) => (w.once("exit", () => resolve()), w.kill("SIGTERM")))));
}

async function localMs(bars: BarColumns, size: number, strategy: Awaited<ReturnType<typeof prepareStrategy>>): Promise<number> {
  const pool = new WorkerPool({ size, entry: defaultWorkerEntry(), execArgv: WORKER_EXEC_ARGV, log: silentLogger() });
  await pool.warmUp();
  try {
    const t0 = performance.now();
    await runSweep(pool, strategy, bars, CONFIG, LIMITS, { grid: GRID, holdout: 0, concurrency: size });
    return performance.now() - t0;
  } finally {
    await pool.shutdown();
  }
}

async function main(): Promise<void> {
  const bars = syntheticBars(N);
  const cores = os.availableParallelism();
  const strategy = await prepareStrategy(SOURCE, "sma-crossover.ts", { typecheck: false });
  const local1 = await localMs(bars, 1, strategy);
  const localN = await localMs(bars, cores, strategy);
  const root = fs.mkdtempSync(path.join(os.tmpdir(), "ws-bench-scaleout-"));
  const port = await freePort();
  const redis = spawn("redis-server", ["--port", String(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no", "--dir", root], { stdio: ["ignore", "pipe", "ignore"] });
  await lineMatching(redis.stdout!, /Ready to accept connections/);
  redis.stdout!.resume();
  const url = `redis://127.0.0.1:${port}`;
  const coordinator = await QueueCoordinator.open({ url, serve: { host: "127.0.0.1", port: 0 }, log: () => undefined });
  const jobs = Math.ceil(COMBOS / combosPerJob(COMBOS));
  const queued: { workers: number; ms: number; bytes: number }[] = [];
  try {
    for (const count of [1, 2, 4]) {
      const workers = await startWorkers(url, count, root);
      const before = coordinator.server.bytesServed;
      const t0 = performance.now();
      await runSweepViaQueue(coordinator, strategy, bars, { ...CONFIG, seed: count }, LIMITS, { grid: GRID, holdout: 0 });
      queued.push({ workers: count, ms: performance.now() - t0, bytes: coordinator.server.bytesServed - before });
      await stopWorkers(workers);
    }
  } finally {
    await coordinator.close();
    redis.kill("SIGTERM");
    fs.rmSync(root, { recursive: true, force: true });
  }
  const s = (ms: number) => `${(ms / 1000).toFixed(1)} s`;
  console.log(`bars ${N}, grid ${COMBOS} combinations in ${jobs} queue jobs of ${combosPerJob(COMBOS)}, ${cores} cores`);
  console.log(`local pool, 1 worker:      ${s(local1)}`);
  console.log(`local pool, ${cores} workers:     ${s(localN)}`);
  for (const q of queued) console.log(`queue, ${q.workers} worker${q.workers > 1 ? "s" : " "}:          ${s(q.ms)}, ${(q.bytes / 1e6).toFixed(1)} MB moved (${(q.bytes / q.workers / 1e6).toFixed(1)} MB per worker)`);
  const perCombo = local1 / COMBOS;
  const overhead = Math.max(0, (queued[0]!.ms - local1) / jobs);
  const perJob = perCombo * combosPerJob(COMBOS);
  console.log(`per combination ${perCombo.toFixed(0)} ms; overhead per queue job ${overhead.toFixed(0)} ms (queue with 1 worker minus local with 1 worker, per job; includes the one-off data fetch)`);
  const projected = [1, 2, 4, 8, 16].map((m) => `${m} machines x ${cores} cores: ${((m * cores * perJob) / (perJob + overhead) / cores).toFixed(2)}x`);
  console.log(`projected speed-up over one machine's local pool: ${projected.join("; ")}`);
}

await main();
