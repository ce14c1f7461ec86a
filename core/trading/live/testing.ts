/**
 * Test support for core's live sessions: an in-memory OS keychain, a worker pool and a feed manager
 * on a public simulator venue with its private simulator beside it, a throw-away app database, a
 * live service over them, and a poll-until helper.
 */
import { spawn } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import type { VenueId } from "../../../common/market/events.ts";
import { loadFeedsConfig } from "../../feeds/config.ts";
import { FeedManager } from "../../feeds/manager.ts";
import { silentLogger } from "../../log.ts";
import { SecretStore, type KeychainBackend } from "../../secrets/keychain.ts";
import { Simulator } from "../../simulator/server.ts";
import type { SimMarket } from "../../simulator/market.ts";
import { openAppDb, type AppDb } from "../../store/app-db.ts";
import { WORKER_EXEC_ARGV, defaultWorkerEntry } from "../../workers/entry.ts";
import { WorkerPool } from "../../workers/pool.ts";
import { LiveTradingService } from "./live-service.ts";

/** A strategy that buys 0.01 whenever it is flat with no open order. */
export const BUY_ONCE_SOURCE = `import { defineStrategy } from "workstation";\nexport default defineStrategy({ params: {}, onBar(bar, ctx) { if (ctx.position.size === 0 && ctx.openOrders.length === 0) ctx.buy(0.01); } });\n`;

/** A {@link SecretStore} over a Map (no OS keychain). */
export function memorySecrets(): SecretStore {
  const data = new Map<string, string>();
  const backend: KeychainBackend = { set: async (a, v) => void data.set(a, v), get: async (a) => data.get(a) ?? null, delete: async (a) => data.delete(a), accounts: async () => [...data.keys()] };
  return new SecretStore(backend);
}

/** What a live-service test runs on. */
export interface LiveBed {
  dir: string;
  app: AppDb;
  pool: WorkerPool;
  feeds: FeedManager;
  close(): Promise<void>;
}

/** A data directory, its app database, one worker and a feed manager on `venue` at `urls` (a public simulator's). */
export function liveBed(prefix: string, venue: string, urls: unknown): LiveBed {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
  const app = openAppDb(dir);
  const pool = new WorkerPool({ size: 1, entry: defaultWorkerEntry(), execArgv: WORKER_EXEC_ARGV, log: silentLogger() });
  const feeds = new FeedManager({ config: loadFeedsConfig(dir, { WORKSTATION_FEEDS: JSON.stringify({ venues: { [venue]: urls }, simulated: false }) }), log: silentLogger() });
  return {
    dir,
    app,
    pool,
    feeds,
    async close() {
      await feeds.stop();
      await pool.shutdown();
      app.close();
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** Polls `ok` every 50 ms until true; throws naming `what` after `ms`. */
export async function until(what: string, ok: () => boolean | Promise<boolean>, ms = 30_000): Promise<void> {
  for (const end = Date.now() + ms; !(await ok()); ) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** What a live-service bed is built from: a venue of the public simulator and its linked private simulator. */
export interface LiveServiceBedOptions<P> {
  venue: VenueId;
  symbol: string;
  /** The keychain account and the test key saved there. */
  keyAccount: string;
  key: { apiKey: string; apiSecret: string };
  startPrivate(markets: ReadonlyMap<string, SimMarket>): Promise<P & { stop(): Promise<void> }>;
  /** The private simulator's `WORKSTATION_LIVE_ENDPOINTS` entry. */
  endpoints(priv: P): { rest: string; wsApi: string };
}

/** A {@link LiveBed} with the public and private simulators running and a factory of live services on them. */
export interface LiveServiceBed<P> extends LiveBed {
  pub: Simulator;
  priv: P;
  secrets: SecretStore;
  service(): LiveTradingService;
}

/** Starts the simulators and the bed of `o`. */
export async function liveServiceBed<P>(o: LiveServiceBedOptions<P>): Promise<LiveServiceBed<P>> {
  const pub = await Simulator.start({ venues: [o.venue], symbols: { [o.venue]: [o.symbol] }, rate: 100, tradeShare: 0.5 });
  const priv = await o.startPrivate(pub.venues.get(o.venue)!.markets);
  const secrets = memorySecrets();
  await secrets.save(o.keyAccount, o.key);
  const bed = liveBed(`live-${o.venue}-`, o.venue, pub.urls(o.venue));
  const processEnv = { WORKSTATION_LIVE_ENDPOINTS: JSON.stringify({ [o.venue]: o.endpoints(priv) }) };
  return {
    ...bed,
    pub,
    priv,
    secrets,
    service: () => new LiveTradingService({ appDb: () => bed.app, pool: bed.pool, feeds: bed.feeds, log: silentLogger(), processEnv, secrets, warmupBars: 0, dataDir: bed.dir }),
    async close() {
      await bed.close();
      await priv.stop();
      await pub.close();
    },
  };
}

/** A child process holding (or refused) a live account lock; `line` is its first output line. */
export interface LockChild {
  pid: number;
  line: string;
  kill(): Promise<void>;
}

/** Starts `fixtures/account-lock-child.ts` on `dataDir`/`account` and waits for its first line. */
export async function lockChild(dataDir: string, account: string): Promise<LockChild> {
  const child = spawn(process.execPath, ["--no-node-snapshot", path.join(import.meta.dirname, "fixtures/account-lock-child.ts"), dataDir, account], { stdio: ["ignore", "pipe", "inherit"] });
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  const line = await new Promise<string>((resolve, reject) => {
    let out = "";
    child.stdout.on("data", (d: Buffer) => {
      out += d.toString();
      if (out.includes("\n")) resolve(out.split("\n")[0]!);
    });
    child.once("exit", () => reject(new Error(`the lock child exited: ${out}`)));
  });
  return {
    pid: child.pid!,
    line,
    async kill() {
      child.kill("SIGKILL");
      await exited;
    },
  };
}
