import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startCore, type RunningCore } from "../app.ts";
import { silentLogger } from "../log.ts";
import { Simulator } from "../simulator/server.ts";
import type { CliIo } from "./command.ts";
import { runCli } from "./main.ts";
import type { VenueRow } from "./venues.ts";

function capture(env: NodeJS.ProcessEnv = {}): CliIo & { stdout: string[]; stderr: string[] } {
  const stdout: string[] = [];
  const stderr: string[] = [];
  return { stdout, stderr, out: (l) => stdout.push(l), err: (l) => stderr.push(l), env };
}

async function venues(dir: string, env: NodeJS.ProcessEnv = {}): Promise<VenueRow[]> {
  const io = capture(env);
  expect(await runCli(["venues", "--json", "--data-dir", dir], io)).toBe(0);
  return JSON.parse(io.stdout[0]!) as VenueRow[];
}

const dirs: string[] = [];
const tempDir = (): string => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "cli-venues-"));
  dirs.push(dir);
  return dir;
};
afterAll(() => dirs.forEach((d) => fs.rmSync(d, { recursive: true, force: true })));

describe("workstation venues without a core", () => {
  it("lists every venue and variant, real ones off and state null, on a fresh data directory", async () => {
    const rows = await venues(tempDir());
    expect(rows[0]).toEqual({ venue: "simulated", variant: null, name: "Simulated", ws: null, rest: null, enabled: true, source: "built-in", state: null });
    expect(rows.slice(1)).toEqual([
      { venue: "kraken", variant: null, name: "Kraken", ws: "wss://ws.kraken.com/v2", rest: "https://api.kraken.com", enabled: false, source: "built-in", state: null },
      { venue: "coinbase", variant: null, name: "Coinbase", ws: "wss://advanced-trade-ws.coinbase.com", rest: "https://api.coinbase.com", enabled: false, source: "built-in", state: null },
      { venue: "binance", variant: null, name: "Binance", ws: "wss://stream.binance.com:9443/stream", rest: "https://api.binance.com", enabled: false, source: "built-in", state: null },
      { venue: "binance", variant: "us", name: "Binance.US", ws: "wss://stream.binance.us:9443/stream", rest: "https://api.binance.us", enabled: false, source: "built-in", state: null },
      { venue: "binance", variant: "data", name: "Binance market data", ws: "wss://data-stream.binance.vision/stream", rest: "https://data-api.binance.vision", enabled: false, source: "built-in", state: null },
    ]);
  });

  it("shows overrides from the environment, and enable/disable edit the settings", async () => {
    const dir = tempDir();
    const env = { WORKSTATION_FEEDS: JSON.stringify({ venues: { kraken: { ws: "ws://127.0.0.1:9/v2", rest: "http://127.0.0.1:9" } } }) };
    expect((await venues(dir, env)).find((r) => r.venue === "kraken")).toMatchObject({ ws: "ws://127.0.0.1:9/v2", source: "env", enabled: true });
    const io = capture();
    expect(await runCli(["venues", "enable", "binance", "--variant", "us", "--data-dir", dir], io)).toBe(0);
    expect(io.stderr).toEqual(["no core is running; binance-us is enabled from its next start"]);
    expect(await runCli(["venues", "disable", "simulated", "--data-dir", dir], capture())).toBe(0);
    const rows = await venues(dir);
    expect(rows.filter((r) => r.enabled).map((r) => [r.venue, r.variant])).toEqual([["binance", "us"]]);
  });

  it("refuses an unknown venue or variant with one line and exit 2", async () => {
    for (const [argv, message] of [
      [["venues", "enable", "ftx"], /unknown venue "ftx"/],
      [["venues", "enable", "kraken", "--variant", "us"], /kraken has no variant "us"/],
      [["venues", "enable", "binance", "--variant", "eu"], /--variant must be us or data/],
      [["venues", "frob"], /unknown subcommand "frob"/],
    ] as const) {
      const io = capture();
      expect(await runCli([...argv, "--data-dir", tempDir()], io)).toBe(2);
      expect(io.stderr).toHaveLength(1);
      expect(io.stderr[0]).toMatch(message);
    }
  });
});

describe("workstation venues with a running core", () => {
  let sim: Simulator;
  let core: RunningCore;
  let dir: string;
  beforeAll(async () => {
    dir = tempDir();
    sim = await Simulator.start({ venues: ["coinbase"], rate: 100 });
    core = await startCore({ dataDir: dir, log: silentLogger(), port: 0, staticDir: dir, feeds: { venues: { coinbase: { ...sim.urls("coinbase"), enabled: false } }, simulated: true, simulatedRate: 20 } });
  });
  afterAll(async () => {
    await core.stop();
    await sim.close();
  });

  it("prints live states and switches a venue through the core", async () => {
    const before = await venues(dir);
    expect(before.find((r) => r.venue === "coinbase")).toMatchObject({ enabled: false, source: "feeds.json", state: "disabled", ws: sim.urls("coinbase").ws });
    const io = capture();
    expect(await runCli(["venues", "enable", "coinbase", "--json", "--data-dir", dir], io)).toBe(0);
    expect(io.stderr).toEqual([]);
    expect((JSON.parse(io.stdout[0]!) as VenueRow[]).find((r) => r.venue === "coinbase")).toMatchObject({ enabled: true, state: "idle" });
    expect((await core.store.app().getSetting<{ venues: { id: string; enabled: boolean }[] }>("ui.settings"))?.venues).toContainEqual({ id: "coinbase", enabled: true, symbols: [] });
    const text = capture();
    expect(await runCli(["venues", "--data-dir", dir], text)).toBe(0);
    expect(text.stdout[0]).toMatch(/^VENUE\s+VARIANT\s+NAME\s+ENABLED\s+SOURCE\s+STATE\s+WS\s+REST$/);
    expect(text.stdout.find((l) => l.startsWith("coinbase"))).toMatch(/coinbase\s+-\s+Coinbase\s+yes\s+feeds\.json\s+idle/);
  });
});
