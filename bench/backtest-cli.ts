/**
 * Rows of `bench:backtest` measured as a user runs it: the whole `workstation backtest TEMPLATE
 * --data rw_1m.csv --json` process, wall clock, on the 1M-minute random walk (`random-walk.ts`) —
 * cold (fresh data directory: no type-check or bars cache; the CSV already in the OS page cache),
 * repeated, and with a core running on the data directory; backtrader's 44 s on the same file is
 * the peer. Also the vectorised numpy reference (`numpy_sma.py`) when python3 has numpy.
 */
import { spawn, spawnSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import readline from "node:readline";
import { fileURLToPath } from "node:url";
import type { BarColumns } from "../common/market/bars.ts";
import { writeBarsFile } from "../core/strategy/bars-handoff.ts";
import { randomWalkCsv } from "./random-walk.ts";

/** One row: case, time, rate or note. */
export type BenchRow = [string, string, string];

const ROOT = fileURLToPath(new URL("..", import.meta.url));
const CLI = path.join(ROOT, "bin", "workstation");
const TEMPLATE = path.join(ROOT, "resources", "templates", "sma-crossover.ts");
/** backtrader 1.9 on the same file and strategy on this machine (quoted, not run here). */
const BACKTRADER_MS = 44_000;

/** Runs the CLI once; wall clock ms, checking it printed the 1M-bar result. */
function timedBacktest(csv: string, dataDir: string): number {
  const t0 = performance.now();
  const r = spawnSync(CLI, ["backtest", TEMPLATE, "--data", csv, "--json", "--data-dir", dataDir], { encoding: "utf8", maxBuffer: 256 * 1024 * 1024 });
  const ms = performance.now() - t0;
  if (r.status !== 0) throw new Error(`workstation backtest failed (${r.status}): ${r.stderr}`);
  const bars = (JSON.parse(r.stdout) as { bars: number }).bars;
  if (bars !== 1_000_000) throw new Error(`expected 1M bars, got ${bars}`);
  return ms;
}

/** Starts `workstation serve` on `dataDir`; resolves once it printed its URL, with a stop function. */
async function startServe(dataDir: string): Promise<() => Promise<void>> {
  const child = spawn(CLI, ["serve", "--port", "0", "--data-dir", dataDir], { stdio: ["ignore", "pipe", "ignore"], env: { ...process.env, WORKSTATION_LOG_LEVEL: "error" } });
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  const lines = readline.createInterface({ input: child.stdout });
  await new Promise<void>((resolve, reject) => {
    lines.once("line", () => resolve());
    child.once("exit", (code) => reject(new Error(`workstation serve exited (${code}) before it was ready`)));
  });
  return async () => {
    child.kill("SIGTERM");
    await exited;
  };
}

const seconds = (ms: number) => `${(ms / 1000).toFixed(2)} s`;
const vsPeer = (ms: number) => `${(BACKTRADER_MS / ms).toFixed(0)}x backtrader's 44 s`;

/** The CLI wall-clock rows: cold, repeated, with a core running, and the backtrader peer. */
export async function cliRows(): Promise<BenchRow[]> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "ws-bench-cli-"));
  try {
    const csv = path.join(dir, "rw_1m.csv");
    fs.writeFileSync(csv, randomWalkCsv(1_000_000));
    fs.readFileSync(csv); // in the OS page cache, as the target says
    const local = path.join(dir, "local");
    const cold = timedBacktest(csv, local);
    const repeated = Math.min(timedBacktest(csv, local), timedBacktest(csv, local));
    const withCore = path.join(dir, "core");
    const stop = await startServe(withCore);
    let coreFirst: number;
    let coreRepeated: number;
    try {
      coreFirst = timedBacktest(csv, withCore);
      coreRepeated = Math.min(timedBacktest(csv, withCore), timedBacktest(csv, withCore));
    } finally {
      await stop();
    }
    return [
      ["CLI 1M bars from CSV, cold (no type-check or bars cache)", seconds(cold), `${vsPeer(cold)} (target <= 1.5 s)`],
      ["CLI 1M bars from CSV, repeated", seconds(repeated), `${vsPeer(repeated)} (target <= 0.8 s)`],
      ["CLI 1M bars from CSV, core running, first run", seconds(coreFirst), vsPeer(coreFirst)],
      ["CLI 1M bars from CSV, core running, repeated", seconds(coreRepeated), `${vsPeer(coreRepeated)} (target <= 0.8 s)`],
      ["backtrader on the same file (peer, quoted)", seconds(BACKTRADER_MS), ""],
    ];
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

/** The numpy reference on `bars` and its ratio to the engine-only time; a note row when python3 has no numpy. */
export function numpyRow(bars: BarColumns, engineMs: number): BenchRow {
  const probe = spawnSync("python3", ["-c", "import numpy"], { stdio: "ignore" });
  if (probe.status !== 0) return ["numpy reference (vectorised SMA crossover)", "-", "skipped: python3 -c 'import numpy' fails here"];
  const file = path.join(os.tmpdir(), `ws-bench-numpy-${process.pid}.bin`);
  try {
    writeBarsFile(file, bars);
    const r = spawnSync("python3", [fileURLToPath(new URL("./numpy_sma.py", import.meta.url)), file], { encoding: "utf8" });
    if (r.status !== 0) return ["numpy reference (vectorised SMA crossover)", "-", `failed: ${r.stderr.trim().split("\n").at(-1) ?? ""}`];
    const { ms, numpy } = JSON.parse(r.stdout) as { ms: number; numpy: string };
    const rate = (n: number, t: number) => `${((n / t) * 1000 / 1e6).toFixed(2)}M bars/s`;
    return [`numpy ${numpy} reference, same 1M bars (vectorised, cumsum SMAs)`, `${ms.toFixed(0)} ms`, `${rate(bars.time.length, ms)}; engine-only / numpy rate = ${(ms / engineMs).toFixed(2)} (target >= 0.40)`];
  } finally {
    fs.rmSync(file, { force: true });
  }
}
