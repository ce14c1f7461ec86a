/**
 * `workstation live` end to end against the simulator (public markets + each venue's private API), with
 * the key in a throw-away OS keyring session: a strategy that buys when flat gets one fill, the
 * position shows under `positions --account live:binance`, a kill -9 of the live process between the
 * venue's execution and its answer, then a restart, reconciles the order with nothing doubled, and
 * SIGINT stops it with a JSON summary. The same strategy runs on Kraken and on Coinbase: one buy,
 * filled, shown by `positions --account live:VENUE`, stopped by SIGINT.
 */
import { spawn, type ChildProcessWithoutNullStreams } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { PositionView } from "../../common/api/trading.ts";
import { Simulator } from "../simulator/server.ts";
import { startLinkedPrivateSim } from "../venues/binance/private/sim-link.ts";
import type { BinancePrivateSim } from "../venues/binance/private/simulator.ts";
import { TEST_KEY } from "../venues/binance/private/testing.ts";
import type { LiveSummary } from "../trading/live/live-session.ts";
import { hasKeyring, startKeyring, type KeyringSession } from "../secrets/testing-keyring.ts";
import { startLinkedCoinbaseSim } from "../venues/coinbase/private/sim-link.ts";
import type { CoinbasePrivateSim } from "../venues/coinbase/private/simulator.ts";
import { CDP_TEST_KEY } from "../venues/coinbase/private/testing.ts";
import { KRAKEN_TEST_KEY, startLinkedKrakenSim } from "../venues/kraken/private/sim-link.ts";
import type { KrakenPrivateSim } from "../venues/kraken/private/simulator.ts";

const keyringAvailable = hasKeyring();

const BIN = path.join(import.meta.dirname, "..", "..", "bin", "workstation");

const dir = fs.mkdtempSync(path.join(os.tmpdir(), "live-run-"));
const dataDir = path.join(dir, "data");
const strategy = path.join(dir, "buy-once.ts");
let pub: Simulator;
let priv: { sim: BinancePrivateSim; urls: { rest: string; wsApi: string }; stop(): Promise<void> };
let kraken: { sim: KrakenPrivateSim; urls: { rest: string; wsAuth: string }; stop(): Promise<void> };
let coinbase: { sim: CoinbasePrivateSim; urls: { rest: string; wsUser: string }; stop(): Promise<void> };
let keyring: KeyringSession | null = null;
let env: NodeJS.ProcessEnv;

beforeAll(async () => {
  if (!keyringAvailable) return;
  fs.writeFileSync(strategy, `import { defineStrategy } from "workstation";\nexport default defineStrategy({ params: {}, onBar(bar, ctx) { if (ctx.position.size === 0 && ctx.openOrders.length === 0) ctx.buy(0.01); } });\n`);
  pub = await Simulator.start({ venues: ["binance", "kraken", "coinbase"], symbols: { binance: ["BTC/USDT"], kraken: ["BTC/USD"], coinbase: ["BTC/USD"] }, rate: 100, tradeShare: 0.5 });
  priv = await startLinkedPrivateSim(pub.venues.get("binance")!.markets);
  kraken = await startLinkedKrakenSim(pub.venues.get("kraken")!.markets);
  coinbase = await startLinkedCoinbaseSim(pub.venues.get("coinbase")!.markets);
  const endpoints = { binance: priv.urls, kraken: { rest: kraken.urls.rest, wsApi: kraken.urls.wsAuth }, coinbase: { rest: coinbase.urls.rest, wsApi: coinbase.urls.wsUser } };
  const feeds = { binance: pub.urls("binance"), kraken: pub.urls("kraken"), coinbase: pub.urls("coinbase") };
  const base: NodeJS.ProcessEnv = { ...process.env, WORKSTATION_LIVE_ENDPOINTS: JSON.stringify(endpoints), WORKSTATION_FEEDS: JSON.stringify({ venues: feeds, simulated: false }) };
  keyring = await startKeyring(BIN, dir, base, [
    { venue: "binance", env: "testnet", apiKey: TEST_KEY.apiKey, secret: TEST_KEY.secret },
    { venue: "kraken", env: "live", apiKey: KRAKEN_TEST_KEY.apiKey, secret: KRAKEN_TEST_KEY.secret },
    { venue: "coinbase", env: "live", apiKey: CDP_TEST_KEY.name, secret: CDP_TEST_KEY.secret },
  ]);
  env = keyring.env;
}, 60_000);

afterAll(async () => {
  keyring?.close();
  await priv?.stop();
  await kraken?.stop();
  await coinbase?.stop();
  await pub?.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

interface Proc {
  child: ChildProcessWithoutNullStreams;
  out: () => string;
  err: () => string;
  exit: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

function workstation(args: string[]): Proc {
  const child = spawn(BIN, [...args, "--data-dir", dataDir], { env });
  let out = "";
  let err = "";
  child.stdout.on("data", (d: Buffer) => (out += d.toString()));
  child.stderr.on("data", (d: Buffer) => (err += d.toString()));
  const exit = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => child.once("exit", (code, signal) => resolve({ code, signal })));
  return { child, out: () => out, err: () => err, exit };
}

async function until(what: string, ok: () => boolean, p?: Proc, ms = 60_000): Promise<void> {
  for (const end = Date.now() + ms; !ok(); ) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}${p ? `\n${p.err()}` : ""}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

const LIVE = ["live", strategy, "--venue", "binance", "--env", "testnet", "--symbol", "BTC/USDT", "--timeframe", "1s", "--json"];

describe("workstation live runs a strategy on the venue", () => {
  it.skipIf(!keyringAvailable)("buys once, shows the position, survives kill -9 between execution and answer without doubling, stops on SIGINT with a summary", async () => {
    // The first fill: the venue executes, the answer is lost, the stream dropped, and the process killed before it hears of it.
    let first: Proc | null = null;
    priv.sim.onExecuted = () => {
      priv.sim.onExecuted = null;
      priv.sim.dropStreams();
      priv.sim.inject({ kind: "lose-answer" });
      first!.child.kill("SIGKILL");
    };
    first = workstation([...LIVE, "--approve"]);
    expect(await first.exit, first.err()).toMatchObject({ signal: "SIGKILL" });
    expect(first.err()).toMatch(/live: running buy-once on live:binance \(testnet\) BTC\/USDT 1s/);
    expect(priv.sim.orderRequests).toHaveLength(1);

    const second = workstation(LIVE);
    await until("the restarted strategy to run", () => /live: running/.test(second.err()), second);
    const positions = workstation(["positions", "--account", "live:binance", "--json"]);
    expect((await positions.exit).code).toBe(0);
    const pos = (JSON.parse(positions.out()) as PositionView[]).find((p) => p.ledger === "buy-once");
    expect(pos?.size).toBeCloseTo(0.01, 12);
    // A few bars of the restarted strategy: it sees its position (the resumed fill) and buys nothing more.
    await new Promise((r) => setTimeout(r, 3000));
    second.child.kill("SIGINT");
    expect((await second.exit).code, second.err()).toBe(0);
    const summary = JSON.parse(second.out()) as LiveSummary;
    expect(summary).toMatchObject({ account: "live:binance", ledger: "buy-once", status: "stopped", orders: { total: 1, filled: 1, open: 0, unknown: 0 }, fills: 1 });
    expect(summary.bars).toBeGreaterThan(0);
    expect(summary.position.size).toBeCloseTo(0.01, 12);
    expect(priv.sim.orderRequests).toHaveLength(1);
  }, 120_000);

  for (const venue of ["kraken", "coinbase"] as const) {
    it.skipIf(!keyringAvailable)(`runs on ${venue}: the buy fills, positions --account live:${venue} shows it, SIGINT stops it with a summary`, async () => {
      const p = workstation(["live", strategy, "--venue", venue, "--env", "live", "--symbol", "BTC/USD", "--timeframe", "1s", "--approve", "--json"]);
      await until("the strategy to run", () => /live: running/.test(p.err()), p);
      const sim = venue === "kraken" ? kraken.sim : coinbase.sim;
      await until("the order at the venue", () => sim.orderRequests.length === 1, p);
      let pos: PositionView | undefined;
      for (let i = 0; i < 20 && !pos?.size; i++) {
        const positions = workstation(["positions", "--account", `live:${venue}`, "--json"]);
        expect((await positions.exit).code).toBe(0);
        pos = (JSON.parse(positions.out()) as PositionView[]).find((r) => r.ledger === "buy-once");
        if (!pos?.size) await new Promise((r) => setTimeout(r, 250));
      }
      expect(pos).toMatchObject({ account: `live:${venue}`, venue, symbol: "BTC/USD" });
      expect(pos!.size).toBeCloseTo(0.01, 12);
      // Kraken's dead-man's switch is armed while the strategy runs and disarmed when it stops.
      if (venue === "kraken") expect(kraken.sim.deadManAt).toBeGreaterThan(Date.now());
      p.child.kill("SIGINT");
      expect((await p.exit).code, p.err()).toBe(0);
      if (venue === "kraken") expect(kraken.sim.deadManAt).toBe(0);
      // Stdout: the approval summary (first deployment), then the JSON summary on the last line.
      const summary = JSON.parse(p.out().trimEnd().split("\n").at(-1)!) as LiveSummary;
      expect(summary).toMatchObject({ account: `live:${venue}`, ledger: "buy-once", status: "stopped", orders: { total: 1, filled: 1, open: 0, unknown: 0 }, fills: 1 });
      expect(sim.orderRequests).toHaveLength(1);
    }, 90_000);
  }
});
