/**
 * `sweep` and `walkforward` with `--universe`: on a 3-member synthetic universe, each member's output
 * (text lines or JSON) is exactly the single-symbol command's on that member; a member that fails is
 * an error entry and the others still run; an unknown universe is named; with a core running on
 * the data directory the members run through it, with the same output.
 */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startCore } from "../app.ts";
import { silentLogger } from "../log.ts";
import { runCliCaptured, type CliRun } from "./testing.ts";

const TEMPLATE = path.resolve(import.meta.dirname, "../../resources/templates/sma-crossover.ts");
const GRID = '{"fast":[5,10],"slow":[30]}';
const SYMBOLS = ["SYN0001/USD", "SYN0002/USD", "SYN0003/USD"];
let dir = "";
/** The local `sweep --universe synthetic --json` output, for the run through a core. */
let localSweep: string[] = [];

beforeAll(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), "ws-universe-runs-"));
  const made = await cli("universe", "synth", "--symbols", "3", "--bars", "400", "--seed", "4");
  expect(made.code).toBe(0);
}, 60_000);
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

function cli(...argv: string[]): Promise<CliRun> {
  return runCliCaptured([...argv, "--data-dir", dir]);
}

const sweep = (...args: string[]): Promise<CliRun> => cli("sweep", TEMPLATE, "--grid", GRID, "--timeframe", "1h", "--skip-typecheck", "--workers", "1", "--no-save", ...args);
const walk = (...args: string[]): Promise<CliRun> => cli("walkforward", TEMPLATE, "--grid", GRID, "--folds", "2", "--timeframe", "1h", "--skip-typecheck", "--workers", "1", ...args);

describe("--universe runs", () => {
  it("sweeps each member: per member exactly the single-symbol JSON, named", async () => {
    const all = await sweep("--universe", "synthetic", "--json");
    expect(all.code).toBe(0);
    expect(all.out).toHaveLength(1);
    localSweep = all.out;
    const members = (JSON.parse(all.out[0]!) as { members: Record<string, unknown>[] }).members;
    expect(members.map((m) => m.symbol)).toEqual(SYMBOLS);
    for (const [i, symbol] of SYMBOLS.entries()) {
      const single = await sweep("--data", symbol, "--json");
      expect(single.code).toBe(0);
      expect(members[i]).toEqual({ venue: "synthetic", symbol, ...(JSON.parse(single.out[0]!) as Record<string, unknown>) });
    }
  }, 120_000);

  it("prints each member's text lines under its name; a failing member is an error and the others run", async () => {
    const all = await sweep("--universe", `synthetic:${SYMBOLS[0]},synthetic:NOPE,synthetic:${SYMBOLS[2]}`);
    expect(all.code).toBe(0);
    const first = await sweep("--data", SYMBOLS[0]!);
    const last = await sweep("--data", SYMBOLS[2]!);
    const bad = await sweep("--data", "NOPE");
    expect(bad.code).toBe(1);
    const badMessage = bad.err.at(-1)!.replace(/^workstation sweep: /, "");
    expect(all.out).toEqual([`== synthetic:${SYMBOLS[0]} ==`, ...first.out, "== synthetic:NOPE ==", `error: ${badMessage}`, `== synthetic:${SYMBOLS[2]} ==`, ...last.out]);
    expect(all.err.at(-1)).toBe("1 of 3 members failed (see their error)");
  }, 120_000);

  it("walks forward each member: per member exactly the single-symbol JSON, a failing member as {venue,symbol,error}", async () => {
    const all = await walk("--universe", `synthetic:${SYMBOLS[1]},synthetic:NOPE,synthetic:${SYMBOLS[0]}`, "--json");
    expect(all.code).toBe(0);
    const members = (JSON.parse(all.out[0]!) as { members: Record<string, unknown>[] }).members;
    expect(members[1]).toEqual({ venue: "synthetic", symbol: "NOPE", error: expect.stringMatching(/NOPE/) });
    for (const [i, symbol] of [[0, SYMBOLS[1]!], [2, SYMBOLS[0]!]] as const) {
      const single = await walk("--data", symbol, "--json");
      expect(single.code).toBe(0);
      expect(members[i]).toEqual({ venue: "synthetic", symbol, ...(JSON.parse(single.out[0]!) as Record<string, unknown>) });
    }
  }, 120_000);

  it("exits 1 when no member ran: every member missing, or every combination / fold of every member failing", async () => {
    const missing = await sweep("--universe", "synthetic:NOPE,synthetic:NOPE2", "--json");
    expect(missing.code).toBe(1);
    expect(JSON.parse(missing.out[0]!)).toEqual({ members: [{ venue: "synthetic", symbol: "NOPE", error: expect.stringMatching(/NOPE/) }, { venue: "synthetic", symbol: "NOPE2", error: expect.stringMatching(/NOPE2/) }] });
    expect(missing.err.at(-1)).toBe("2 of 2 members failed (see their error)");
    const throwing = path.join(dir, "throws.ts");
    fs.writeFileSync(throwing, 'import { defineStrategy } from "workstation";\nexport default defineStrategy({ params: { fast: 1, slow: 2 }, onBar() { throw new Error("boom"); } });\n');
    const single = await cli("sweep", throwing, "--grid", GRID, "--timeframe", "1h", "--skip-typecheck", "--workers", "1", "--no-save", "--data", SYMBOLS[0]!);
    expect(single.code).toBe(1);
    expect(single.out.join("\n")).toMatch(/boom/);
    expect(single.err.at(-1)).toMatch(/^every combination failed: .*boom/);
    const swept = await cli("sweep", throwing, "--grid", GRID, "--timeframe", "1h", "--skip-typecheck", "--workers", "1", "--no-save", "--universe", "synthetic");
    expect(swept.code).toBe(1);
    expect(swept.out).toEqual(SYMBOLS.flatMap((s) => [`== synthetic:${s} ==`, expect.stringMatching(/^error: every combination failed: .*boom/)]));
    const walked = await cli("walkforward", throwing, "--grid", GRID, "--folds", "2", "--timeframe", "1h", "--skip-typecheck", "--workers", "1", "--universe", "synthetic", "--json");
    expect(walked.code).toBe(1);
    const members = (JSON.parse(walked.out[0]!) as { members: Record<string, unknown>[] }).members;
    expect(members).toEqual(SYMBOLS.map((symbol) => ({ venue: "synthetic", symbol, error: expect.stringMatching(/^no fold has an out-of-sample result: .*boom/) })));
  }, 120_000);

  it("names an unknown universe, and refuses --data with --universe", async () => {
    const unknown = await sweep("--universe", "nope", "--json");
    expect(unknown.code).not.toBe(0);
    expect(unknown.err.join("\n")).toMatch(/nope/);
    expect(unknown.out).toEqual([]);
    const both = await sweep("--universe", "synthetic", "--data", SYMBOLS[0]!);
    expect(both.code).toBe(2);
    expect(both.err.join("\n")).toMatch(/--data or --universe, not both/);
  });

  it("runs the members through a running core, with the same output", async () => {
    const core = await startCore({ dataDir: dir, log: silentLogger(), port: 0, workerCount: 1, feeds: { venues: {}, simulated: false, simulatedRate: 0 } });
    try {
      const viaCore = await sweep("--universe", "synthetic", "--json");
      expect(viaCore.code).toBe(0);
      expect(viaCore.out).toEqual(localSweep);
    } finally {
      await core.stop();
    }
  }, 120_000);
});
