/**
 * Core's live sessions survive a kill -9: `workstation serve` (key in a throw-away OS keyring, the
 * simulator's public Binance market and private API) runs a strategy deployed through `live.preview`
 * and `live.deploy`; core is killed with SIGKILL between the venue's execution of the strategy's
 * order and its answer; restarted, it resumes the session after reconciling: one order, filled, the
 * position there, nothing sent again. The CLI's live lists go through core (the same rows as read
 * in-process, positions marked at core's last price); its live kill switch reaches core's broker, and
 * `workstation live` refuses to trade the same account beside it.
 */
import { spawn, type ChildProcessWithoutNullStreams } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import readline from "node:readline";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { connectToRunningCore } from "../../cli/core-client.ts";
import { runCliCaptured } from "../../cli/testing.ts";
import { hasKeyring, startKeyring, type KeyringSession } from "../../secrets/testing-keyring.ts";
import { Simulator } from "../../simulator/server.ts";
import { startLinkedPrivateSim } from "../../venues/binance/private/sim-link.ts";
import type { BinancePrivateSim } from "../../venues/binance/private/simulator.ts";
import { TEST_KEY } from "../../venues/binance/private/testing.ts";
import { liveView } from "./cli-support.ts";

const BIN = path.join(import.meta.dirname, "..", "..", "..", "bin", "workstation");
const SOURCE = `import { defineStrategy } from "workstation";\nexport default defineStrategy({ params: {}, onBar(bar, ctx) { if (ctx.position.size === 0 && ctx.openOrders.length === 0) ctx.buy(0.01); } });\n`;
const available = hasKeyring();
const dir = fs.mkdtempSync(path.join(os.tmpdir(), "live-core-crash-"));
const dataDir = path.join(dir, "data");
let pub: Simulator;
let priv: { sim: BinancePrivateSim; urls: { rest: string; wsApi: string }; stop(): Promise<void> };
let keyring: KeyringSession | null = null;

beforeAll(async () => {
  if (!available) return;
  pub = await Simulator.start({ venues: ["binance"], symbols: { binance: ["BTC/USDT"] }, rate: 100, tradeShare: 0.5 });
  priv = await startLinkedPrivateSim(pub.venues.get("binance")!.markets);
  const base = { ...process.env, WORKSTATION_LOG_LEVEL: "error", WORKSTATION_LIVE_ENDPOINTS: JSON.stringify({ binance: priv.urls }), WORKSTATION_FEEDS: JSON.stringify({ venues: { binance: pub.urls("binance") }, simulated: false }) };
  keyring = await startKeyring(BIN, dir, base, [{ venue: "binance", env: "testnet", apiKey: TEST_KEY.apiKey, secret: TEST_KEY.secret }]);
}, 60_000);

afterAll(async () => {
  keyring?.close();
  await priv?.stop();
  await pub?.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

/** Starts `workstation serve`; resolves once it listens. */
function serve(): Promise<{ child: ChildProcessWithoutNullStreams; exit: Promise<NodeJS.Signals | null> }> {
  const child = spawn(BIN, ["serve", "--port", "0", "--data-dir", dataDir], { env: keyring!.env });
  const exit = new Promise<NodeJS.Signals | null>((resolve) => child.once("exit", (_c, sig) => resolve(sig)));
  return new Promise((resolve, reject) => {
    readline.createInterface({ input: child.stdout }).once("line", () => resolve({ child, exit }));
    child.once("exit", (code) => reject(new Error(`serve exited with ${code}`)));
  });
}

async function until<T>(what: string, read: () => Promise<T>, ok: (v: T) => boolean, ms = 60_000): Promise<T> {
  for (const end = Date.now() + ms; ; ) {
    const v = await read();
    if (ok(v)) return v;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}: ${JSON.stringify(v)}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

describe("core's live sessions and kill -9", () => {
  it.skipIf(!available)("a session killed between execution and answer resumes reconciled after the restart, nothing doubled", async () => {
    const first = await serve();
    priv.sim.onExecuted = () => {
      priv.sim.onExecuted = null;
      priv.sim.dropStreams();
      priv.sim.inject({ kind: "lose-answer" });
      first.child.kill("SIGKILL");
    };
    const client = (await connectToRunningCore(dataDir))!;
    const deployment = { source: SOURCE, filename: "buy-once.ts", venue: "binance", env: "testnet" as const, symbol: "BTC/USDT", timeframe: "1s" as const };
    const preview = await client.call("live.preview", deployment);
    const session = await client.call("live.deploy", { ...deployment, version: preview.version });
    expect(await first.exit).toBe("SIGKILL");
    client.close();
    expect(priv.sim.orderRequests).toHaveLength(1);

    const second = await serve();
    try {
      const again = (await connectToRunningCore(dataDir))!;
      const [resumed] = await until("the resumed session", () => again.call("live.sessions", {}), (s) => s[0]?.status === "running" && s[0].bars >= 2);
      expect(resumed).toMatchObject({ id: session.id, position: 0.01, orders: 1 });
      const orders = await again.call("live.orders", {});
      expect(orders).toMatchObject([{ status: "filled", filledSize: 0.01 }]);
      expect(priv.sim.orderRequests).toHaveLength(1);
      // `orders|positions|fills --account live:binance` go through the running core: the same rows as read in-process, positions marked.
      for (const name of ["orders", "fills", "positions"] as const) {
        const viaCore = await runCliCaptured([name, "--account", "live:binance", "--json", "--data-dir", dataDir], keyring!.env);
        const rows = JSON.parse(viaCore.out.join("")) as Record<string, unknown>[];
        const inProcess = liveView(dataDir, "live:binance")[name] as unknown as Record<string, unknown>[];
        if (name !== "positions") expect(rows).toEqual(inProcess);
        else {
          expect(rows.map((r) => [r.ledger, r.size, r.avgPrice, r.fees])).toEqual(inProcess.map((r) => [r.ledger, r.size, r.avgPrice, r.fees]));
          expect(rows[0]!.last).not.toBeNull();
        }
      }
      // The CLI's kill switch of the live account goes through the running core, whose broker holds it.
      const halt = await runCliCaptured(["trading", "halt", "--account", "live:binance", "--env", "testnet", "--json", "--data-dir", dataDir], keyring!.env);
      expect(halt.out).toEqual(['{"mode":"halt"}']);
      expect((await again.call("live.accounts", {}))[0]).toMatchObject({ id: "live:binance", mode: "halt" });
      // \`workstation live\` refuses to trade the account beside the core that runs it.
      fs.writeFileSync(path.join(dir, "other.ts"), SOURCE);
      const beside = await runCliCaptured(["live", path.join(dir, "other.ts"), "--venue", "binance", "--env", "testnet", "--symbol", "BTC/USDT", "--timeframe", "1s", "--approve", "--data-dir", dataDir], keyring!.env);
      expect(beside.code).toBe(2);
      expect(beside.err.join("\n")).toMatch(/live:binance is traded by the running core \(pid \d+; live sessions in the Trading panel\)/);
      again.close();
    } finally {
      second.child.kill("SIGTERM");
      await second.exit;
    }
  }, 120_000);
});
