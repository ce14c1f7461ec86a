/**
 * A queued sweep survives its coordinator: the CLI coordinating a sweep is killed with -9 mid-run,
 * the same command started again re-attaches to the jobs still queued or running (by their
 * deterministic ids) and reuses the finished ones — its rows equal the local sweep's, and the
 * workers ran every job exactly once. Against a real `redis-server` on a free loopback port.
 */
import type { ChildProcess } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, expect, it } from "vitest";
import { runCliCaptured } from "../cli/testing.ts";
import { cli, lineMatching, startRedis, startWorkerProcess, until, writeSweepFixtures } from "./testing.ts";

let dir = "";
let url = "";
let redisProc: ChildProcess | undefined;
const workers: { child: ChildProcess; lines: string[] }[] = [];

beforeAll(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), "ws-restart-"));
  const server = await startRedis(dir);
  url = server.url;
  redisProc = server.proc;
  await writeSweepFixtures(dir, path.join(dir, "coord"));
  workers.push(...(await Promise.all([startWorkerProcess(url, path.join(dir, "w1")), startWorkerProcess(url, path.join(dir, "w2"))])));
}, 60_000);

afterAll(() => {
  for (const w of workers) w.child.kill("SIGKILL");
  redisProc?.kill("SIGKILL");
  fs.rmSync(dir, { recursive: true, force: true });
});

/** Job ids the workers completed, one entry per execution. */
function completions(): string[] {
  return workers.flatMap((w) => w.lines.flatMap((line) => /^job (\S+) completed/.exec(line)?.[1] ?? []));
}

it("re-attaches after the coordinator is killed with -9: identical rows, and no job ran twice", async () => {
  const grid = '{"spin":[3000],"fast":[3,5,8,13,21],"slow":[20,30]}';
  const argv = ["sweep", path.join(dir, "slow.ts"), "--data", "TEST-USD", "--data-dir", path.join(dir, "coord"), "--grid", grid, "--skip-typecheck", "--no-save", "--json", "--workers", "1"];
  const first = cli([...argv, "--queue", url]);
  await lineMatching(first.stderr!, /^queue: 10 jobs \(0 reused/);
  await until(() => completions().length >= 1, "a first job to complete", 60_000);
  first.kill("SIGKILL");
  const again = await runCliCaptured([...argv, "--queue", url]);
  expect(again.code).toBe(0);
  const reattach = /^queue: 10 jobs \((\d+) reused from earlier runs(?:, (\d+) queued or running re-attached)?\)/m.exec(again.err.join("\n"));
  expect(reattach).not.toBeNull();
  expect(Number(reattach![1]) + Number(reattach![2] ?? 0)).toBeGreaterThan(0);
  const local = await runCliCaptured(argv);
  expect(again.out).toEqual(local.out);
  expect(JSON.parse(again.out.join("\n")).rows).toHaveLength(10);
  const done = completions();
  expect(done).toHaveLength(10);
  expect(new Set(done).size).toBe(10);
}, 240_000);
