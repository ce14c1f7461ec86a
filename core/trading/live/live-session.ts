/**
 * One strategy running on a live account, assembled: the strategy compiled and started in a worker
 * session, warmed up on stored bars or klines (orders disabled), fed by the market bus (bars on the
 * venue's trades), its orders going through the live broker. Used by `workstation live` and by
 * core's live sessions. On a venue with a dead-man's switch (Kraken) the switch is held armed while
 * the session runs (see `dead-man-hold.ts`). Stopping ends the session and cancels or leaves its open orders; the summary
 * is what the strategy did on the account (its orders, fills and position).
 */
import type { Timeframe } from "../../../common/market/bars.ts";
import { TIMEFRAMES } from "../../../common/market/bars.ts";
import type { StrategyParams } from "../../../common/strategy/api.ts";
import type { FeedManager } from "../../feeds/manager.ts";
import { prepareStrategy, resolveLimits } from "../../strategy/runner.ts";
import type { WorkerPool } from "../../workers/pool.ts";
import { attachLiveFeed, type LiveFeed } from "../live-feed.ts";
import { WorkerSessionHost } from "../session-host.ts";
import type { TradingStore } from "../store.ts";
import { warmupBars, type StoredBarSource } from "../warmup.ts";
import { holdDeadMan, type DeadManTiming } from "./dead-man-hold.ts";
import type { LiveBroker } from "./live-broker.ts";
import { LiveRunner, liveResumeEvents } from "./live-runner.ts";

/** What runs. */
export interface LiveSessionSpec {
  id: string;
  source: string;
  filename: string;
  venue: string;
  symbol: string;
  timeframe: Timeframe;
  params: StrategyParams;
  /** The strategy's sub-ledger on the account (its orders and position). */
  ledger: string;
  cash: number;
}

/** What a live session needs. */
export interface LiveSessionDeps {
  broker: LiveBroker;
  store: TradingStore;
  feeds: Pick<FeedManager, "bus" | "acquire" | "candles">;
  pool: WorkerPool;
  log(line: string): void;
  /** Bars of warm-up (default 200; 0: none). */
  warmupBars?: number;
  storedBars?: StoredBarSource;
  onError?(err: Error): void;
  leaveOrdersOnError?(): boolean;
  /** Timing of the venue's dead-man's switch (Kraken), held armed while the session runs. */
  deadMan?: DeadManTiming;
}

/** What a strategy did on a live account. */
export interface LiveSummary {
  account: string;
  ledger: string;
  venue: string;
  symbol: string;
  status: string;
  error: string | null;
  bars: number;
  gaps: number;
  reconciliations: number;
  orders: { total: number; filled: number; open: number; rejected: number; canceled: number; unknown: number };
  fills: number;
  position: { size: number; avgPrice: number; fees: number };
  cancelledAtStop: number;
  leftOpen: string[];
}

/** A running live session. */
export interface LiveSession {
  readonly runner: LiveRunner;
  summary(): LiveSummary;
  /** Stops the strategy, then cancels its open orders (`cancel`) or leaves them working (`leave`). */
  stop(onStop: "cancel" | "leave"): Promise<LiveSummary>;
}

/** Starts `spec` on the broker's account; resolves once the strategy runs (warmed up, reconciled). */
export async function startLiveSession(spec: LiveSessionSpec, deps: LiveSessionDeps): Promise<LiveSession> {
  const strategy = await prepareStrategy(spec.source, spec.filename, { typecheck: false });
  const host = new WorkerSessionHost(deps.pool, { id: spec.id, strategy: { code: strategy.code, sourceMap: strategy.sourceMap, filename: strategy.filename }, symbol: spec.symbol, cash: spec.cash, params: spec.params, limits: resolveLimits() });
  const warmup = await warmupBars(deps.feeds, spec.venue, spec.symbol, spec.timeframe, deps.warmupBars ?? 200, Date.now(), deps.storedBars).catch((err: Error) => {
    deps.log(`starting without warm-up (klines unavailable: ${err.message})`);
    return [];
  });
  await deps.broker.whenReady();
  const releaseDeadMan = await holdDeadMan(deps.broker, deps.log, deps.deadMan);
  const runner = new LiveRunner({
    broker: deps.broker,
    ledger: spec.ledger,
    venue: spec.venue,
    symbol: spec.symbol,
    tfMs: TIMEFRAMES[spec.timeframe],
    host,
    warmup,
    resumeEvents: liveResumeEvents(deps.store, deps.broker.accountId, spec.ledger),
    cash: spec.cash,
    log: deps.log,
    ...(deps.onError ? { onError: deps.onError } : {}),
    ...(deps.leaveOrdersOnError ? { leaveOrdersOnError: deps.leaveOrdersOnError } : {}),
  });
  await runner.start().catch(async (err: unknown) => {
    await releaseDeadMan();
    throw err;
  });
  const release = deps.feeds.acquire(spec.venue, spec.symbol);
  const feed: LiveFeed = attachLiveFeed({ bus: deps.feeds.bus, venue: spec.venue, symbol: spec.symbol, runners: () => [runner], engine: runner.marketSink });
  let cancelledAtStop = 0;
  const summary = (): LiveSummary => summarize(spec, deps, runner, cancelledAtStop);
  return {
    runner,
    summary,
    async stop(onStop) {
      feed.detach();
      release();
      await feed.drained();
      await runner.stop();
      await deps.broker.idle();
      if (onStop === "cancel") cancelledAtStop = await runner.cancelOpen();
      await releaseDeadMan();
      return summary();
    },
  };
}

function summarize(spec: LiveSessionSpec, deps: LiveSessionDeps, runner: LiveRunner, cancelledAtStop: number): LiveSummary {
  const { broker } = deps;
  const orders = broker.allOrders().filter((o) => o.ledger === spec.ledger);
  const count = (...st: string[]) => orders.filter((o) => st.includes(o.status)).length;
  const ledger = broker.account.ledger(spec.ledger, spec.symbol);
  const open = runner.openOrders();
  return {
    account: broker.accountId,
    ledger: spec.ledger,
    venue: spec.venue,
    symbol: spec.symbol,
    status: runner.status,
    error: runner.error?.message ?? null,
    bars: runner.barsSeen,
    gaps: runner.gaps,
    reconciliations: broker.reconciliations,
    orders: { total: orders.length, filled: count("filled"), open: open.length, rejected: count("rejected"), canceled: count("canceled", "expired"), unknown: count("unknown") },
    fills: runner.fills,
    position: { size: ledger.size, avgPrice: ledger.acct.avgPrice, fees: ledger.fees },
    cancelledAtStop,
    leftOpen: open.map((o) => o.id),
  };
}
