/**
 * Core as the scale-out coordinator, against a real `redis-server` on a free loopback port:
 * Settings → Compute (a queue URL, kept redacted), the connection test (workers listed; an
 * unreachable Redis reported within seconds), and a sweep through core's queue, core killed with -9
 * mid-sweep (its workers too) and started again: it re-attaches the run at start-up (listed with its
 * progress until new workers finish it), the saved rows equal the same
 * sweep on core's own pool, and every job ran exactly once. `screen --queue` with a core running is
 * coordinated by the core; CLI sweeps and walk-forwards handed to a core set to a queue run there;
 * a core stopped normally leaves its jobs queued and re-attaches them at its next start.
 */
import type { ChildProcess } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { createInterface } from "node:readline";
import { Queue } from "bullmq";
import { Redis } from "ioredis";
import { afterAll, beforeAll, expect, it } from "vitest";
import type { ApiClient } from "../../common/api/client.ts";
import type { SweepRow } from "../../common/strategy/sweep.ts";
import { connectApi } from "../cli/core-client.ts";
import { runCliCaptured } from "../cli/testing.ts";
import { QUEUE_KEYS } from "./redis.ts";
import { cli, exited, freePort, startRedis, startWorkerProcess, until, writeSweepFixtures } from "./testing.ts";

let dir = "";
let url = "";
let redisProc: ChildProcess | undefined;
const workers: { child: ChildProcess; lines: string[] }[] = [];
const cores: ChildProcess[] = [];
const TEMPLATE = path.resolve(import.meta.dirname, "../../resources/templates/sma-crossover.ts");
const GRID = { spin: [3000], fast: [3, 5, 8, 13, 21], slow: [20, 30] };

/** `workstation serve` on the core data dir, and an API client to it. */
async function startServe(): Promise<{ child: ChildProcess; client: ApiClient }> {
  const child = cli(["serve", "--port", "0", "--workers", "1", "--data-dir", path.join(dir, "core")]);
  cores.push(child);
  const line = await new Promise<string>((resolve, reject) => {
    createInterface({ input: child.stdout! }).once("line", resolve);
    child.once("exit", (code) => reject(new Error(`workstation serve exited with ${code}`)));
  });
  const u = new URL(line.trim());
  return { child, client: await connectApi(Number(u.port), u.searchParams.get("token")!) };
}

/** Job ids the workers completed, one entry per execution. */
const completions = (): string[] => workers.flatMap((w) => w.lines.flatMap((line) => /^job (\S+) completed/.exec(line)?.[1] ?? []));

/** The sweep request of the test. */
const PARAMS = () => ({ source: fs.readFileSync(path.join(dir, "slow.ts"), "utf8"), filename: "slow.ts", data: { symbol: "TEST-USD", timeframe: "1m" as const }, cash: 10_000, commission: 0, slippageBps: 0, typecheck: false, save: true, series: false, grid: GRID, holdout: 0 });

const byIndex = (rows: SweepRow[]): SweepRow[] => [...rows].sort((a, b) => a.index - b.index);

beforeAll(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), "ws-core-queue-"));
  const server = await startRedis(dir);
  url = server.url;
  redisProc = server.proc;
  await writeSweepFixtures(dir, path.join(dir, "core"));
  workers.push(...(await Promise.all([startWorkerProcess(url, path.join(dir, "w1")), startWorkerProcess(url, path.join(dir, "w2"))])));
}, 60_000);

afterAll(() => {
  for (const c of cores) c.kill("SIGKILL");
  for (const w of workers) w.child.kill("SIGKILL");
  redisProc?.kill("SIGKILL");
  fs.rmSync(dir, { recursive: true, force: true });
});

it("runs UI sweeps through the queue set in Settings → Compute, and re-attaches them after a kill -9 of core", async () => {
  const first = await startServe();
  const withPassword = `redis://default:s3cret-pw@127.0.0.1:${url.split(":").at(-1)}`;
  const view = await first.client.call("compute.settings.set", { mode: "queue", url: withPassword }).catch((err: Error) => err);
  // No keychain in this test session: a URL with a password is refused rather than stored in clear.
  if (view instanceof Error) expect(view.message).toMatch(/keychain/);
  else expect(view.url).toBe(`redis://default:***@127.0.0.1:${url.split(":").at(-1)}`);
  // The reference: the same sweep on core's own worker pool (Compute: local pool, the default).
  const localRows = byIndex((await first.client.call("strategy.sweep", { ...PARAMS(), save: false })).rows);
  expect(await first.client.call("compute.settings.set", { mode: "queue", url })).toMatchObject({ mode: "queue", url, credentials: false });
  expect(fs.readFileSync(path.join(dir, "core", "compute", "settings.json"), "utf8")).not.toContain("s3cret");
  const test = await first.client.call("compute.test", {});
  expect(test).toMatchObject({ ok: true, error: null, warning: null });
  expect(test.workers).toHaveLength(2);
  expect(test.workers[0]).toMatchObject({ concurrency: 1, host: os.hostname() });
  const startedAt = Date.now();
  const down = await first.client.call("compute.test", { url: `redis://127.0.0.1:${await freePort()}` });
  expect(down).toMatchObject({ ok: false, error: expect.stringMatching(/ECONNREFUSED/) });
  expect(Date.now() - startedAt).toBeLessThan(8000);

  void first.client.call("strategy.sweep", PARAMS()).catch(() => undefined);
  await until(() => completions().length >= 1, "a first job to complete", 60_000);
  expect(fs.readdirSync(path.join(dir, "core", "compute", "inflight"))).toHaveLength(1);
  first.child.kill("SIGKILL");
  await exited(first.child);
  first.client.close();
  // The workers go too, so the restarted core's re-attached run waits for new ones and can be seen.
  for (const w of workers) w.child.kill("SIGKILL");
  await Promise.all(workers.map((w) => exited(w.child)));

  const second = await startServe();
  try {
    const resumed = async () => (await second.client.call("compute.runs", {})).find((r) => r.resumed && r.total === 10);
    await until(async () => (await resumed()) !== undefined, "the sweep to be re-attached at start-up", 60_000);
    expect(await resumed()).toMatchObject({ method: "strategy.sweep", message: expect.stringMatching(/^\d+\/10 combinations/) });
    workers.push(...(await Promise.all([startWorkerProcess(url, path.join(dir, "w3")), startWorkerProcess(url, path.join(dir, "w4"))])));
    await until(() => !fs.existsSync(path.join(dir, "core", "compute", "inflight")) || fs.readdirSync(path.join(dir, "core", "compute", "inflight")).length === 0, "the re-attached sweep to finish", 120_000);
    const runs = await second.client.call("strategy.runs", { limit: 10 });
    expect(runs.filter((r) => r.kind === "sweep")).toHaveLength(1);
    const saved = await second.client.call("strategy.run", { id: runs[0]!.id });
    expect(byIndex(saved.rows ?? [])).toEqual(localRows);
    // No job ran twice. A worker killed with SIGKILL can finish a job (its result is in Redis, and
    // the rows above include it) before its "completed" line reaches the test, so up to one line
    // per killed worker may be missing; never more than ten.
    const done = completions();
    expect(new Set(done).size).toBe(done.length);
    expect(done.length).toBeGreaterThanOrEqual(10 - 2);
    expect(done.length).toBeLessThanOrEqual(10);
    expect(await second.client.call("compute.runs", {})).toEqual([]);
  } finally {
    second.client.close();
    second.child.kill("SIGTERM");
    await exited(second.child);
  }
}, 300_000);

it("screen --queue with a core running goes through the core, printing what the local screen prints", async () => {
  const core = await startServe();
  try {
    await core.client.call("compute.settings.set", { mode: "local" });
    const data = ["--data-dir", path.join(dir, "core")];
    expect((await runCliCaptured(["universe", "synth", "--symbols", "3", "--bars", "400", "--seed", "5", ...data])).code).toBe(0);
    const universe = "synthetic:SYN0001/USD,synthetic:SYN0002/USD,synthetic:SYN0003/USD";
    const argv = ["screen", "--strategy", TEMPLATE, "--universe", universe, "--timeframe", "1h", "--holdout", "0.25", "--json", ...data];
    const before = completions().length;
    const local = await runCliCaptured(argv);
    const queued = await runCliCaptured([...argv, "--queue", url]);
    expect([local.code, queued.code]).toEqual([0, 0]);
    expect(JSON.parse(queued.out.join("\n")).rows).toHaveLength(3);
    expect(queued.out).toEqual(local.out);
    expect(completions().length - before).toBe(3);
  } finally {
    core.client.close();
    core.child.kill("SIGTERM");
    await exited(core.child);
  }
}, 120_000);

it("CLI sweeps and walk-forwards handed to a core set to a queue run on the workers, printing what the core's pool prints", async () => {
  const core = await startServe();
  try {
    const common = ["--data", "TEST-USD", "--data-dir", path.join(dir, "core"), "--grid", '{"fast":[3,5],"slow":[20,30]}', "--skip-typecheck", "--json"];
    const commands = [
      ["sweep", TEMPLATE, ...common, "--no-save"],
      ["walkforward", TEMPLATE, ...common, "--folds", "2"],
    ];
    for (const argv of commands) {
      await core.client.call("compute.settings.set", { mode: "local" });
      const local = await runCliCaptured(argv);
      await core.client.call("compute.settings.set", { mode: "queue", url });
      const before = completions().length;
      const queued = await runCliCaptured(argv);
      expect([local.code, queued.code]).toEqual([0, 0]);
      expect(queued.out).toEqual(local.out);
      expect(completions().length).toBeGreaterThan(before);
    }
  } finally {
    core.client.close();
    core.child.kill("SIGTERM");
    await exited(core.child);
  }
}, 120_000);

it("a core stopped normally mid-sweep leaves its jobs on the queue and re-attaches them at its next start", async () => {
  const grid = { spin: [3001], fast: [3, 5, 8, 13], slow: [20, 30] };
  const first = await startServe();
  await first.client.call("compute.settings.set", { mode: "queue", url });
  const before = completions().length;
  void first.client.call("strategy.sweep", { ...PARAMS(), grid }).catch(() => undefined);
  await until(() => completions().length > before, "a first job to complete", 60_000);
  for (const w of workers) w.child.kill("SIGKILL");
  await Promise.all(workers.map((w) => exited(w.child)));
  first.client.close();
  first.child.kill("SIGTERM");
  expect(await exited(first.child)).toBe(0);
  const redis = new Redis(url, { maxRetriesPerRequest: null });
  const queue = new Queue(QUEUE_KEYS.runs, { connection: redis });
  try {
    expect(await queue.getWaitingCount()).toBeGreaterThan(0);
  } finally {
    await queue.close();
    redis.disconnect();
  }
  expect(fs.readdirSync(path.join(dir, "core", "compute", "inflight"))).toHaveLength(1);

  const second = await startServe();
  try {
    workers.push(...(await Promise.all([startWorkerProcess(url, path.join(dir, "w5")), startWorkerProcess(url, path.join(dir, "w6"))])));
    await until(() => fs.readdirSync(path.join(dir, "core", "compute", "inflight")).length === 0, "the re-attached sweep to finish", 120_000);
    const done = completions().slice(before);
    expect(done).toHaveLength(8);
    expect(new Set(done).size).toBe(8);
    expect(workers.flatMap((w) => w.lines).some((l) => /failed: cancelled/.test(l))).toBe(false);
  } finally {
    second.client.close();
    second.child.kill("SIGTERM");
    await exited(second.child);
  }
}, 240_000);
