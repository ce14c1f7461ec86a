import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ApiError } from "../../../common/api/index.ts";
import { loadFeedsConfig } from "../../feeds/config.ts";
import { FeedManager } from "../../feeds/manager.ts";
import { silentLogger } from "../../log.ts";
import { SecretStore, type KeychainBackend } from "../../secrets/keychain.ts";
import { Simulator } from "../../simulator/server.ts";
import { openAppDb, type AppDb } from "../../store/app-db.ts";
import { startLinkedPrivateSim } from "../../venues/binance/private/sim-link.ts";
import type { BinancePrivateSim } from "../../venues/binance/private/simulator.ts";
import { TEST_KEY } from "../../venues/binance/private/testing.ts";
import { WORKER_EXEC_ARGV, defaultWorkerEntry } from "../../workers/entry.ts";
import { WorkerPool } from "../../workers/pool.ts";
import { LiveTradingService, type LiveSpec } from "./live-service.ts";

const SOURCE = `import { defineStrategy } from "workstation";\nexport default defineStrategy({ params: {}, onBar(bar, ctx) { if (ctx.position.size === 0 && ctx.openOrders.length === 0) ctx.buy(0.01); } });\n`;
const SPEC: LiveSpec = { source: SOURCE, filename: "buy-once.ts", venue: "binance", env: "testnet", symbol: "BTC/USDT", timeframe: "1s" };

let pub: Simulator;
let priv: { sim: BinancePrivateSim; urls: { rest: string; wsApi: string }; stop(): Promise<void> };
let pool: WorkerPool;
let feeds: FeedManager;
let dir: string;
let app: AppDb;
const secrets = (() => {
  const data = new Map<string, string>();
  const backend: KeychainBackend = { set: async (a, v) => void data.set(a, v), get: async (a) => data.get(a) ?? null, delete: async (a) => data.delete(a), accounts: async () => [...data.keys()] };
  return new SecretStore(backend);
})();

beforeAll(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), "live-service-"));
  app = openAppDb(dir);
  pub = await Simulator.start({ venues: ["binance"], symbols: { binance: ["BTC/USDT"] }, rate: 100, tradeShare: 0.5 });
  priv = await startLinkedPrivateSim(pub.venues.get("binance")!.markets);
  await secrets.save("binance-testnet", { apiKey: TEST_KEY.apiKey, apiSecret: TEST_KEY.secret });
  pool = new WorkerPool({ size: 1, entry: defaultWorkerEntry(), execArgv: WORKER_EXEC_ARGV, log: silentLogger() });
  feeds = new FeedManager({ config: loadFeedsConfig(dir, { WORKSTATION_FEEDS: JSON.stringify({ venues: { binance: pub.urls("binance") }, simulated: false }) }), log: silentLogger() });
}, 30_000);

afterAll(async () => {
  await feeds.stop();
  await pool.shutdown();
  await priv.stop();
  await pub.close();
  app.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

function service(): LiveTradingService {
  return new LiveTradingService({ appDb: () => app, pool, feeds, log: silentLogger(), processEnv: { WORKSTATION_LIVE_ENDPOINTS: JSON.stringify({ binance: priv.urls }) }, secrets, warmupBars: 0 });
}

async function until(what: string, ok: () => boolean | Promise<boolean>, ms = 30_000): Promise<void> {
  for (const end = Date.now() + ms; !(await ok()); ) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

describe("live sessions in core", () => {
  it("previews the approval, deploys only with the confirmed version, fills, resumes after a restart reconciled without doubling, halts and stops", async () => {
    let live = service();
    const preview = live.preview(SPEC);
    expect(preview).toMatchObject({ strategy: "buy-once.ts", venue: "binance", env: "testnet", account: "live:binance", symbol: "BTC/USDT", timeframe: "1s", approved: false, lastApproved: null, diff: [] });
    expect(preview.version).toMatch(/^[0-9a-f]{12}$/);
    expect(preview.limits.maxOrderNotional).toBe(1_000_000);
    expect(preview.limits.maxPosition).toBeNull();
    await expect(live.deploy(SPEC, "000000000000")).rejects.toThrow(ApiError);
    expect(priv.sim.orderRequests).toHaveLength(0);

    const session = await live.deploy(SPEC, preview.version);
    expect(session).toMatchObject({ live: true, account: "live:binance", env: "testnet", version: preview.version });
    await until("the fill", () => live.sessionViews()[0]!.position > 0);
    expect(await live.orders(false)).toHaveLength(1);
    expect((await live.accounts())[0]).toMatchObject({ id: "live:binance", env: "testnet", mode: "normal" });

    // A changed strategy needs approval again; the preview shows the diff.
    const changed = live.preview({ ...SPEC, source: SOURCE.replace("0.01", "0.02") });
    expect(changed.approved).toBe(false);
    expect(changed.diff.some((l) => l.startsWith("+ ") && l.includes("0.02"))).toBe(true);

    // Core restarts: the session is resumed, reconciled; the strategy sees its position and buys nothing more.
    await live.close();
    live = service();
    await live.resume();
    const resumed = live.sessionViews();
    expect(resumed).toHaveLength(1);
    expect(resumed[0]).toMatchObject({ id: session.id, status: "running", position: 0.01 });
    await until("a few bars", () => live.sessionViews()[0]!.bars >= 2);
    expect(await live.orders(false)).toHaveLength(1);
    expect(priv.sim.orderRequests).toHaveLength(1);

    expect(await live.mode("live:binance", "halt")).toBe("halt");
    expect(await live.mode("live:binance")).toBe("halt");
    const stopped = await live.stop(session.id);
    expect(stopped.status).toBe("stopped");
    await live.close();
  }, 60_000);
});
