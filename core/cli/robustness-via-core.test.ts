/**
 * `walkforward`, `montecarlo` and `sensitivity` with a core running on the data directory: the run
 * goes through the core (a store symbol works although the core holds the DuckDB lock), and stdout
 * is exactly what the same command prints in process once the core has stopped.
 */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type RunningCore, startCore } from "../app.ts";
import { silentLogger } from "../log.ts";
import { connectApi } from "./core-client.ts";
import { runCliCaptured, type CliRun } from "./testing.ts";

const TEMPLATE = path.resolve(import.meta.dirname, "../../resources/templates/sma-crossover.ts");
let dir = "";
let dataDir = "";
let core: RunningCore | null = null;

async function cli(...args: string[]): Promise<CliRun> {
  return runCliCaptured([...args, "--data-dir", dataDir]);
}

beforeAll(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), "ws-robustness-via-core-"));
  dataDir = path.join(dir, "data");
  const csv = path.join(dir, "walk.csv");
  const rows = ["timestamp,open,high,low,close,volume"];
  for (let i = 0; i < 700; i++) {
    const c = (100 + 5 * Math.sin(i / 9) + 2 * Math.sin(i / 4) + (i % 7) * 0.01).toFixed(4);
    rows.push(`${1_700_000_000 + i * 60},${c},${c},${c},${c},1`);
  }
  fs.writeFileSync(csv, `${rows.join("\n")}\n`);
  core = await startCore({ dataDir, log: silentLogger(), port: 0, workerCount: 1, feeds: { venues: {}, simulated: false, simulatedRate: 0 } });
  const client = await connectApi(core.port, core.token);
  await client.call("store.import", { files: [csv], symbol: "WALK", timeframe: "1m" });
  client.close();
}, 60_000);

afterAll(async () => {
  await core?.stop();
  fs.rmSync(dir, { recursive: true, force: true });
});

const RUN = ["--data", "WALK", "--skip-typecheck", "--no-save", "--commission", "0.001"];
const FROM = String((1_700_000_000 + 550 * 60) * 1000);
const COMMANDS: string[][] = [
  ["walkforward", TEMPLATE, ...RUN, "--grid", '{"fast":[3,8],"slow":[20,30]}', "--folds", "2", "--in-sample-ratio", "2", "--workers", "1"],
  ["walkforward", TEMPLATE, ...RUN, "--grid", '{"fast":[3,8],"slow":[20,30]}', "--folds", "2", "--anchored", "--objective", "sharpe", "--workers", "1", "--json"],
  ["montecarlo", TEMPLATE, ...RUN, "--method", "shuffle", "--runs", "200", "--seed", "7"],
  ["montecarlo", TEMPLATE, ...RUN, "--method", "bootstrap", "--runs", "200", "--json"],
  ["sensitivity", TEMPLATE, ...RUN, "--warmup"],
  ["sensitivity", TEMPLATE, ...RUN, "--from", FROM, "--json"],
];

describe("robustness commands through a running core", () => {
  it("print exactly what they print without a core, on the same store symbol", async () => {
    // Counts the backtests core's own workers run, to see each command go through the core.
    const pool = core!.pool;
    const call = pool.call.bind(pool);
    let coreRuns = 0;
    pool.call = ((...a: Parameters<typeof call>) => {
      coreRuns += 1;
      return call(...a);
    }) as typeof pool.call;
    const viaCore: string[][] = [];
    for (const args of COMMANDS) {
      const before = coreRuns;
      const r = await cli(...args);
      expect(r.err.filter((l) => !l.startsWith("["))).toEqual([]);
      expect(r.code).toBe(0);
      expect(coreRuns).toBeGreaterThan(before);
      viaCore.push(r.out);
    }
    const tooFew = await cli("walkforward", TEMPLATE, ...RUN, "--grid", '{"fast":[3]}', "--folds", "400");
    await core!.stop();
    core = null;
    for (const [i, args] of COMMANDS.entries()) {
      const r = await cli(...args);
      expect(r.code).toBe(0);
      expect(r.out).toEqual(viaCore[i]);
    }
    const tooFewLocal = await cli("walkforward", TEMPLATE, ...RUN, "--grid", '{"fast":[3]}', "--folds", "400");
    expect(tooFew.code).toBe(2);
    expect([tooFew.code, tooFew.err]).toEqual([tooFewLocal.code, tooFewLocal.err]);
  }, 240_000);
});
