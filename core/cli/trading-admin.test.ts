import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { Pricing } from "../../common/strategy/engine/pricing.ts";
import { openAppDb } from "../store/app-db.ts";
import { TradingEngine } from "../trading/engine.ts";
import { REPLAY_RISK_LIMITS } from "../trading/risk.ts";
import { SqliteTradingStore } from "../trading/store.ts";
import { runCliCaptured, type CliRun } from "./testing.ts";

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) fs.rmSync(d, { recursive: true, force: true });
});

async function cli(dir: string, ...argv: string[]): Promise<CliRun> {
  return runCliCaptured([...argv, "--data-dir", dir]);
}

/** A data directory whose paper:kraken account bought 2 BTC at 100 and has a session stored as `status`. */
function dataDir(session: "running" | "stopped"): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "trading-admin-"));
  dirs.push(dir);
  const app = openAppDb(dir);
  const store = new SqliteTradingStore(app.db);
  const engine = new TradingEngine({ store, limits: REPLAY_RISK_LIMITS, fillModel: "next-trade", pricing: new Pricing({ commission: 0, slippageBps: 0 }), startingBalances: { USD: 1000 } });
  engine.place({ venue: "kraken", symbol: "BTC/USD", side: "buy", type: "market", size: 2, price: null, tif: "GTC" }, "manual", { createdTime: 0 });
  engine.onTrade("kraken", "BTC/USD", { ts: 1, price: 100, size: 5, receiveTime: 1 });
  store.saveSession({ id: "s1", status: session, body: { venue: "kraken", symbol: "BTC/USD" } });
  app.close();
  return dir;
}

describe("workstation trading reset and failed-orders without a core", () => {
  it("asks for --yes, then resets the stored account", async () => {
    const dir = dataDir("stopped");
    const unconfirmed = await cli(dir, "trading", "reset", "--account", "paper:kraken");
    expect(unconfirmed.code).toBe(2);
    expect(unconfirmed.err.join("\n")).toMatch(/add --yes to confirm/);
    expect(JSON.parse((await cli(dir, "positions", "--json")).out[0]!)[0]).toMatchObject({ size: 2 });
    expect((await cli(dir, "trading", "reset", "--account", "paper:kraken", "--yes")).out).toEqual(["paper:kraken reset: USD 1000"]);
    expect((JSON.parse((await cli(dir, "positions", "--json")).out[0]!) as { size: number }[]).filter((p) => p.size !== 0)).toEqual([]);
    expect(JSON.parse((await cli(dir, "fills", "--json")).out[0]!)).toHaveLength(1);
  });

  it("refuses an unknown account and an account with a session stored as running", async () => {
    const dir = dataDir("running");
    const unknown = await cli(dir, "trading", "reset", "--account", "paper:binance", "--yes");
    expect([unknown.code, unknown.err.join("\n")]).toEqual([1, expect.stringMatching(/no paper account paper:binance/)]);
    const busy = await cli(dir, "trading", "reset", "--account", "paper:kraken", "--yes");
    expect([busy.code, busy.err.join("\n")]).toEqual([1, expect.stringMatching(/session s1 is stored as running on paper:kraken/)]);
  });

  it("stores the failed-orders setting", async () => {
    const dir = dataDir("stopped");
    expect((await cli(dir, "trading", "failed-orders", "--json")).out).toEqual(['{"policy":"cancel"}']);
    expect((await cli(dir, "trading", "failed-orders", "leave")).out).toEqual(["failed strategy orders: leave"]);
    expect((await cli(dir, "trading", "failed-orders")).out).toEqual(["failed strategy orders: leave"]);
    expect((await cli(dir, "trading", "failed-orders", "sometimes")).code).toBe(2);
  });
});
