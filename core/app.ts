/**
 * Core's composition root: data directory, logger, lock file, worker pool, API handlers and the
 * loopback server. Platform pieces are passed in, so tests start a real core on a temp folder.
 */
import crypto from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import type { CoreInfo } from "../common/api/index.ts";
import type { ApiHandlers } from "./api/handlers.ts";
import type { ApiSession } from "./api/session.ts";
import { attachApiSocket } from "./api/ws-transport.ts";
import type { Logger } from "./log.ts";
import { acquireLock, removeLock, writeLock } from "./platform/lock.ts";
import { restrictFileModes } from "./platform/private-files.ts";
import { startHttpServer } from "./server/http-server.ts";
import { DEFAULT_MAX_UPLOAD_BYTES } from "./server/uploads.ts";
import { newToken } from "./server/security.ts";
import { createFeedManager } from "./feeds/index.ts";
import { SIMULATED_FEED } from "./feeds/manager.ts";
import type { FeedsConfig, VenueSwitch } from "./feeds/config.ts";
import { AlertService } from "./alerts/service.ts";
import { libraryHosts } from "./alerts/strategy-hosts.ts";
import { loadStrategy } from "./strategy/library.ts";
import { alertsHandlers, managerAlertFeed, storeTradeHistory } from "./services/alerts.ts";
import { marketHandlers } from "./services/market.ts";
import { screenerHandlers } from "./screener/service.ts";
import { sqliteInstrumentCache } from "./services/instrument-cache.ts";
import { venueHandlers } from "./services/venues.ts";
import { recordVenueFeeds } from "./services/recording.ts";
import { SimulatedHistory } from "./services/simulated-history.ts";
import { keychainAiKeys } from "./assistant/keys.ts";
import { assistantHandlers } from "./services/assistant.ts";
import { storeHandlers } from "./services/store.ts";
import { strategyHandlers } from "./services/strategy.ts";
import { robustnessHandlers } from "./robustness/service.ts";
import { systemHandlers } from "./services/system.ts";
import { tradingHandlers } from "./services/trading.ts";
import { liveHandlers } from "./services/live.ts";
import { LiveTradingService } from "./trading/live/live-service.ts";
import { storeBarSource } from "./trading/warmup.ts";
import { TradingService } from "./trading/service.ts";
import { uiHandlers } from "./services/ui.ts";
import { ChartUiState, uiChartHandlers } from "./services/ui-chart.ts";
import { UiState } from "./services/ui-state.ts";
import { StrategyLibrary } from "./services/ui-strategies.ts";
import { CloudSyncService, cloudHandlers } from "./cloud/service.ts";
import { osKeychain, SecretStore, type KeychainBackend } from "./secrets/keychain.ts";
import { computeHandlers } from "./compute/handlers.ts";
import { ComputeService, type ResumeHandler } from "./compute/service.ts";
import { Store } from "./store/index.ts";
import { VERSION } from "./version.ts";
import { WORKER_EXEC_ARGV, defaultWorkerEntry } from "./workers/entry.ts";
import { WorkerPool } from "./workers/pool.ts";

/** Options of {@link startCore}. */
export interface CoreOptions {
  dataDir: string;
  log: Logger;
  /** 0 = any free port. */
  port: number;
  /** Reuse a token (a supervised restart); a new one is generated otherwise. */
  token?: string;
  /** Reuse a session id across supervised restarts. */
  sessionId?: string;
  staticDir?: string;
  workerCount?: number;
  /** Market feeds; default: the built-in venues with `<dataDir>/feeds.json` or `WORKSTATION_FEEDS` overrides. */
  feeds?: FeedsConfig;
  /** Where the Compute queue URL with credentials is kept; default: the OS keychain. */
  keychain?: KeychainBackend;
}

/** A running core. */
export interface RunningCore {
  url: string;
  port: number;
  token: string;
  info: CoreInfo;
  pool: WorkerPool;
  /** The data directory's stores (opened lazily). */
  store: Store;
  stop(): Promise<void>;
}

/** The built renderer folder next to this checkout or package. */
export function defaultStaticDir(): string {
  const candidates = ["../out/renderer", "../renderer", "./renderer"].map((rel) => fileURLToPath(new URL(rel, import.meta.url)));
  return candidates.find((dir) => fs.existsSync(path.join(dir, "index.html"))) ?? candidates[0]!;
}

/** The UI's venue switches, or none when the app database cannot be read (core still starts). */
function venueSwitches(state: UiState, log: Logger): VenueSwitch[] {
  try {
    return state.settings().venues;
  } catch (err) {
    log.error({ err: (err as Error).message }, "venue settings unreadable; venues start as feeds.json and the built-in table say");
    return [];
  }
}

/** The largest upload: `WORKSTATION_MAX_UPLOAD_BYTES` when set to a positive number, else 2 GiB. */
function maxUploadBytes(env: NodeJS.ProcessEnv): number {
  const v = Number(env.WORKSTATION_MAX_UPLOAD_BYTES);
  return Number.isFinite(v) && v > 0 ? v : DEFAULT_MAX_UPLOAD_BYTES;
}

/** A webhook secret named by an alert rule: the keychain entry `alert:<name>`. */
function alertWebhookSecret(name: string): Promise<string | null> {
  return osKeychain().get(`alert:${name}`);
}

/** Starts core; fails if another live core owns the data directory. */
export async function startCore(options: CoreOptions): Promise<RunningCore> {
  restrictFileModes();
  fs.mkdirSync(options.dataDir, { recursive: true, mode: 0o700 });
  const info: CoreInfo = {
    instanceId: crypto.randomUUID(),
    sessionId: options.sessionId ?? crypto.randomUUID(),
    version: VERSION,
    node: process.version,
    pid: process.pid,
    dataDir: options.dataDir,
    startedAt: Date.now(),
  };
  // The lock first (atomically, port 0 = starting), then the stores: of two cores started together one runs.
  await acquireLock(options.dataDir, { pid: process.pid, port: 0, token: "", url: "", instanceId: info.instanceId, startedAt: info.startedAt });
  try {
    return await startLocked(options, info);
  } catch (err) {
    removeLock(options.dataDir, info.instanceId);
    throw err;
  }
}

/** The part of {@link startCore} that runs once the lock is ours. */
async function startLocked(options: CoreOptions, info: CoreInfo): Promise<RunningCore> {
  const log = options.log;
  const token = options.token ?? newToken();
  const pool = new WorkerPool({ size: options.workerCount ?? 1, entry: defaultWorkerEntry(), execArgv: WORKER_EXEC_ARGV, log, spareSandbox: true });
  const store = new Store(options.dataDir, {
    // Commits that must answer a trade (alert fires, orders) never stall on a WAL checkpoint.
    backgroundCheckpoint: true,
    onAlarm: (message) => log.error({ alarm: message }, "recording alarm"),
    // A worker readies its buffers for the largest cached series while idle: the first run on it reads into memory that is there.
    onBarsCached: (bars) => void pool.call("bars.reserve", { bars }).catch((err: Error) => log.warn({ err: err.message }, "worker buffers not readied")),
  });
  const sessions = new Set<ApiSession>();
  // Uploads left by an earlier session were never imported: nothing refers to them.
  const uploadsDir = path.join(options.dataDir, "uploads");
  fs.rmSync(uploadsDir, { recursive: true, force: true });
  const uiState = new UiState(() => store.app());
  const feeds = createFeedManager(options.dataDir, process.env, log, options.feeds, venueSwitches(uiState, log), sqliteInstrumentCache(() => store.app().db, log));
  const offSwitches = uiState.onSettings((s) => feeds.applySwitches(s.venues));
  const stopRecording = recordVenueFeeds(feeds, store, log);
  const simulated = new SimulatedHistory({
    store,
    feed: SIMULATED_FEED,
    symbols: () => feeds.feeds().find((f) => f.feed === SIMULATED_FEED && f.simulated)?.symbols ?? [],
    candles: (symbol, from, to, limit) => feeds.candles(SIMULATED_FEED, symbol, from, to, limit),
    log,
  });
  const ensureSeries = (venue: string | undefined, symbol: string, fresh = false): Promise<void> => simulated.ensure(venue, symbol, fresh);
  const strategies = { exists: (name: string) => loadStrategy(store.app().db, name) !== null, hosts: libraryHosts(() => store.app().db, () => pool) };
  const alerts = new AlertService({ db: () => store.app().db, feed: managerAlertFeed(feeds), history: storeTradeHistory(store), secret: alertWebhookSecret, log, strategies, screens: { app: () => store.app().db, market: () => store.market(), onError: (rule, err) => log.warn({ rule, err: err.message }, "screen alert refresh failed") } });
  void alerts.start().catch((err: unknown) => log.error({ err }, "alerts did not start"));
  const trading = new TradingService({ appDb: () => store.app(), pool, feeds, log, storedBars: storeBarSource(store) });
  const live = new LiveTradingService({ appDb: () => store.app(), pool, feeds, log, processEnv: process.env, storedBars: storeBarSource(store), dataDir: options.dataDir });
  const cloud = new CloudSyncService(() => store.app().db, log, { alerts });
  const compute = new ComputeService({ dataDir: options.dataDir, keychain: options.keychain ?? osKeychain(), log: (line) => log.warn(line) });
  const handlers: ApiHandlers = {
    ...marketHandlers(feeds),
    ...venueHandlers(feeds, uiState, log),
    ...systemHandlers({ info, pool, clientCount: () => sessions.size }),
    ...storeHandlers({ store, log, ensureSeries, uploadsDir }),
    ...uiHandlers({ dataDir: options.dataDir, state: uiState, secrets: new SecretStore(), strategies: new StrategyLibrary(() => store.app().db) }),
    ...uiChartHandlers(new ChartUiState(() => store.app())),
    ...assistantHandlers({ store, pool, handlers: () => handlers, keys: keychainAiKeys(), env: process.env, log }),
    ...strategyHandlers({ pool, store, workers: options.workerCount ?? 1, ensureSeries, compute }),
    ...robustnessHandlers({ pool, store, workers: options.workerCount ?? 1, compute }),
    ...alertsHandlers(alerts),
    ...screenerHandlers({ store, pool, workers: options.workerCount ?? 1, compute, instruments: (venue) => feeds.instruments(venue) }),
    ...computeHandlers(compute),
    ...tradingHandlers(trading, live),
    ...liveHandlers(live),
    ...cloudHandlers(cloud),
  };
  void trading.resume().catch((err: Error) => log.error({ err: err.message }, "paper trading could not resume"));
  void live.resume().catch((err: Error) => log.error({ err: err.message }, "live trading could not resume"));
  const shutDown = async (): Promise<void> => {
    offSwitches();
    alerts.stop();
    stopRecording();
    await trading.close();
    await live.close();
    await cloud.stop();
    await compute.close();
    await feeds.stop();
    await pool.shutdown();
    await store.close();
  };
  const server = await startHttpServer({
    port: options.port,
    token,
    staticDir: options.staticDir ?? defaultStaticDir(),
    log,
    health: () => ({ ok: true, instanceId: info.instanceId, sessionId: info.sessionId, version: info.version }),
    instanceId: info.instanceId,
    uploads: { dir: uploadsDir, maxBytes: maxUploadBytes(process.env) },
    onSocket: (socket) => {
      const session = attachApiSocket(socket, handlers, log, { instanceId: info.instanceId, sessionId: info.sessionId, version: info.version });
      sessions.add(session);
      socket.on("close", () => sessions.delete(session));
    },
  }).catch(async (err: unknown) => {
    await shutDown();
    throw err;
  });
  writeLock(options.dataDir, { pid: process.pid, port: server.port, token, url: server.url, instanceId: info.instanceId, startedAt: info.startedAt });
  log.info({ port: server.port, dataDir: options.dataDir, version: VERSION }, "core listening");
  compute.resume((method) => handlers[method] as ResumeHandler);
  let stopped = false;
  return {
    url: server.url,
    port: server.port,
    token,
    info,
    pool,
    store,
    stop: async () => {
      if (stopped) return;
      stopped = true;
      compute.beginStop();
      await server.close();
      await shutDown();
      removeLock(options.dataDir, info.instanceId);
      log.info("core stopped");
    },
  };
}
