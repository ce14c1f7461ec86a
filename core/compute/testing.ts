/**
 * Test support for scale-out: a real `redis-server` on a free loopback port (in a temp dir, no
 * persistence), `workstation` CLI child processes, small waits on their output, and a store with
 * test bars and a deliberately slow strategy.
 */
import { spawn, type ChildProcess } from "node:child_process";
import fs from "node:fs";
import net from "node:net";
import path from "node:path";
import { createInterface } from "node:readline";
import { runCli } from "../cli/main.ts";

const MAIN = path.resolve(import.meta.dirname, "../cli/main.ts");

/** A free TCP port on loopback. */
export function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const srv = net.createServer().listen(0, "127.0.0.1", () => {
      const { port } = srv.address() as net.AddressInfo;
      srv.close(() => resolve(port));
    });
  });
}

/** Resolves with the first line of `stream` matching `pattern`. */
export function lineMatching(stream: NodeJS.ReadableStream, pattern: RegExp): Promise<string> {
  return new Promise((resolve) => {
    const rl = createInterface({ input: stream });
    rl.on("line", (line) => {
      if (!pattern.test(line)) return;
      rl.close();
      resolve(line);
    });
  });
}

/** Resolves with the exit code of `child` (null when a signal ended it; at once when it has exited). */
export function exited(child: ChildProcess): Promise<number | null> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve(child.exitCode);
  return new Promise((resolve) => child.once("exit", (code) => resolve(code)));
}

/** `workstation ARGS` as a child process (stdout and stderr piped). */
export function cli(args: string[]): ChildProcess {
  return spawn(process.execPath, ["--no-node-snapshot", MAIN, ...args], { stdio: ["ignore", "pipe", "pipe"] });
}

/** Waits until `check` holds (polling every 100 ms), failing after `ms`. */
export async function until(check: () => Promise<boolean> | boolean, what: string, ms = 10_000): Promise<void> {
  const end = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** A `redis-server` on a free loopback port with its data in `dir`; resolves once it accepts connections. */
export async function startRedis(dir: string): Promise<{ url: string; port: number; proc: ChildProcess }> {
  const port = await freePort();
  const proc = spawn("redis-server", ["--port", String(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no", "--dir", dir], { stdio: ["ignore", "pipe", "inherit"] });
  await lineMatching(proc.stdout!, /Ready to accept connections/);
  return { url: `redis://127.0.0.1:${port}`, port, proc };
}

/** A `workstation worker` on `url` (concurrency 1, 2 s locks) whose stderr lines are kept in `lines`; resolves once it takes jobs. */
export async function startWorkerProcess(url: string, dataDir: string, extra: string[] = []): Promise<{ child: ChildProcess; lines: string[] }> {
  const child = cli(["worker", "--queue", url, "--concurrency", "1", "--lock-ms", "2000", "--data-dir", dataDir, ...extra]);
  const lines: string[] = [];
  createInterface({ input: child.stderr! }).on("line", (line) => lines.push(line));
  await until(() => lines.some((l) => l.includes("taking jobs")) || child.exitCode !== null, "the worker to start", 60_000);
  if (child.exitCode !== null) throw new Error(`the worker exited: ${lines.join("\n")}`);
  return { child, lines };
}

/** The SMA crossover with a busy loop per bar (param `spin`), so a job lasts long enough to be killed or cancelled. */
const SLOW = `import { defineStrategy } from "workstation";
export default defineStrategy({
  params: { fast: 10, slow: 30, spin: 0 },
  setup: ({ params, ta }) => ({ fast: ta.sma(params.fast), slow: ta.sma(params.slow), above: false, x: 0 }),
  onBar(bar, ctx, s) {
    for (let i = 0; i < ctx.params.spin; i++) s.x += i % 7;
    const f = s.fast.update(bar.close), sl = s.slow.update(bar.close);
    if (Number.isNaN(f) || Number.isNaN(sl)) return;
    const above = f > sl;
    if (above && !s.above && ctx.position.size === 0) ctx.buy(ctx.sizeFor(0.9));
    if (!above && s.above && ctx.position.size > 0) ctx.close();
    s.above = above;
  },
});
`;

/** Writes `dir/bars.csv` (3000 minute bars) and `dir/slow.ts`, and imports the bars as TEST-USD into the store of `dataDir`. */
export async function writeSweepFixtures(dir: string, dataDir: string): Promise<void> {
  const rows = ["time,open,high,low,close,volume"];
  for (let i = 0; i < 3000; i++) {
    const c = 100 + 5 * Math.sin(i / 15) + 2 * Math.sin(i / 4);
    rows.push(`${Date.UTC(2024, 0, 1) + i * 60_000},${c},${c + 0.5},${c - 0.5},${c},10`);
  }
  fs.writeFileSync(path.join(dir, "bars.csv"), rows.join("\n"));
  fs.writeFileSync(path.join(dir, "slow.ts"), SLOW);
  const silent = { out: () => undefined, err: () => undefined, env: {} };
  const code = await runCli(["import", path.join(dir, "bars.csv"), "--symbol", "TEST-USD", "--data-dir", dataDir], silent);
  if (code !== 0) throw new Error(`import exited ${code}`);
}
