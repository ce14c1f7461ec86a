import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startCore } from "../app.ts";
import { silentLogger } from "../log.ts";
import { openAppDb } from "../store/app-db.ts";
import { runCliCaptured, type CliRun } from "../cli/testing.ts";
import { connectApi } from "../cli/core-client.ts";

/** A strategy whose first bar never ends (until the sandbox is disposed or times out). */
const SPIN = `import { defineStrategy } from "workstation";
export default defineStrategy({ params: {}, onBar() { for (;;) { /* spin */ } } });
`;

const TEMPLATE = path.join(import.meta.dirname, "../../resources/templates/sma-crossover.ts");
let dir = "";
beforeAll(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), "strategy-screen-"));
});
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

async function cli(...argv: string[]): Promise<CliRun> {
  return runCliCaptured([...argv, "--data-dir", dir]);
}

describe("strategy screens", () => {
  it("backtest a strategy per symbol on the pool, ranked by the out-of-sample metric; a failure is a row", { timeout: 120_000 }, async () => {
    expect((await cli("universe", "synth", "--symbols", "3", "--bars", "400", "--seed", "5")).code).toBe(0);
    const universe = "synthetic:SYN0001/USD,synthetic:SYN0002/USD,synthetic:SYN0003/USD,synthetic:NOPE";
    const r = await cli("screen", "--strategy", TEMPLATE, "--universe", universe, "--timeframe", "1h", "--holdout", "0.25", "--metric", "totalReturn", "--workers", "1", "--json");
    expect(r.code).toBe(0);
    const rows = (JSON.parse(r.out[0]!) as { rows: Record<string, unknown>[] }).rows;
    expect(rows.map((row) => row.symbol).slice(3)).toEqual(["NOPE"]);
    expect(rows[3]!.error).toMatch(/NOPE/);
    const oos = rows.slice(0, 3).map((row) => row.oos_totalReturn as number);
    expect(oos.every((v) => typeof v === "number")).toBe(true);
    expect([...oos].sort((a, b) => b - a)).toEqual(oos);
    expect(rows[0]).toHaveProperty("totalReturn");
    expect(rows[0]).toHaveProperty("oos_trades");
    const app = openAppDb(dir);
    const id = Number(app.db.prepare("INSERT INTO strategies (name, created_at, updated_at) VALUES ('cross', 0, 0)").run().lastInsertRowid);
    app.db.prepare("INSERT INTO strategy_versions (strategy_id, version, source, created_at) VALUES (?, 1, ?, 0)").run(id, fs.readFileSync(TEMPLATE, "utf8"));
    app.close();
    const saved = await cli("screen", "--strategy", "cross", "--universe", "synthetic:SYN0002/USD", "--timeframe", "1h", "--workers", "1", "--json");
    const savedRow = (JSON.parse(saved.out[0]!) as { rows: Record<string, unknown>[] }).rows[0]!;
    expect(savedRow).toMatchObject({ symbol: "SYN0002/USD", totalReturn: expect.any(Number), trades: expect.any(Number) });
    expect(savedRow).not.toHaveProperty("oos_totalReturn");
    expect((await cli("screen", "--strategy", "nosuch", "--universe", universe, "--timeframe", "1h")).err[0]).toMatch(/no file or saved strategy named "nosuch"/);
    const unknown = await cli("screen", "--strategy", TEMPLATE, "--universe", universe, "--timeframe", "1h", "--metric", "alpha", "--workers", "1");
    expect(unknown.err[0]).toMatch(/unknown metric "alpha"/);
  });

  it("through a running core print exactly what they print in process (table and --json)", { timeout: 120_000 }, async () => {
    expect((await cli("universe", "synth", "--symbols", "2", "--bars", "300", "--seed", "3")).code).toBe(0);
    const universe = "synthetic:SYN0001/USD,synthetic:SYN0002/USD,synthetic:NOPE";
    const screen = ["screen", "--strategy", TEMPLATE, "--universe", universe, "--timeframe", "1h", "--holdout", "0.3", "--workers", "1"];
    const local = [await cli(...screen), await cli(...screen, "--json")];
    const core = await startCore({ dataDir: dir, log: silentLogger(), port: 0, workerCount: 1, feeds: { venues: {}, simulated: false, simulatedRate: 0 } });
    // Counts the backtests core's own workers run, to see the screens go through the core.
    const call = core.pool.call.bind(core.pool);
    let coreRuns = 0;
    core.pool.call = ((...a: Parameters<typeof call>) => {
      coreRuns += 1;
      return call(...a);
    }) as typeof core.pool.call;
    try {
      const viaCore = [await cli(...screen), await cli(...screen, "--json")];
      expect(coreRuns).toBeGreaterThanOrEqual(4);
      expect(viaCore.map((r) => r.code)).toEqual([0, 0]);
      expect(viaCore.map((r) => r.out)).toEqual(local.map((r) => r.out));
      expect(JSON.parse(viaCore[1]!.out[0]!).rows).toHaveLength(3);
    } finally {
      await core.stop();
    }
  });

  it("cancelled through the API stop the worker: the next screen runs at once on the same single worker", { timeout: 120_000 }, async () => {
    expect((await cli("universe", "synth", "--symbols", "2", "--bars", "300", "--seed", "4")).code).toBe(0);
    const core = await startCore({ dataDir: dir, log: silentLogger(), port: 0, workerCount: 1, feeds: { venues: {}, simulated: false, simulatedRate: 0 } });
    const api = await connectApi(core.port, core.token);
    try {
      const request = core.pool.request.bind(core.pool);
      let reached: () => void = () => undefined;
      const started = new Promise<void>((resolve) => (reached = resolve));
      core.pool.request = ((...a: Parameters<typeof request>) => {
        reached();
        return request(...a);
      }) as typeof core.pool.request;
      const abort = new AbortController();
      const universe = "synthetic:SYN0001/USD,synthetic:SYN0002/USD";
      const spinning = api.call("screen.run", { universe, timeframe: "1h", strategy: { source: SPIN }, timeoutMs: 3_000_000 }, { signal: abort.signal });
      await started;
      abort.abort();
      await expect(spinning).rejects.toMatchObject({ code: "cancelled" });
      const source = fs.readFileSync(TEMPLATE, "utf8");
      const after = await api.call("screen.run", { universe, timeframe: "1h", strategy: { source }, timeoutMs: 3_000_000 });
      expect(after.rows.map((r) => r.error)).toEqual([undefined, undefined]);
    } finally {
      api.close();
      await core.stop();
    }
  });
});
