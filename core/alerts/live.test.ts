/**
 * The live path against `alerts test`: the simulator's Kraken feed runs through the real feed code
 * while being recorded (raw frames to a file, trades to the market store); the alert service
 * evaluates it live, is stopped mid-session and restarted (catching up from the store), and the
 * recording is then replayed through `alerts test`'s code. Fires must match one for one, none twice,
 * the ones missed while stopped marked late — for a strategy rule (a saved strategy in a sandboxed
 * worker) as for the others.
 */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { AlertTrade } from "../../common/alerts/engine.ts";
import type { KeyedFire } from "../../common/alerts/types.ts";
import { parseRule } from "../../common/alerts/rule.ts";
import { ANY_SYMBOL, MarketBus } from "../feeds/bus.ts";
import { VenueFeed } from "../feeds/feed.ts";
import { PROTOCOLS } from "../feeds/protocols.ts";
import { FileRecorder } from "../feeds/recorder.ts";
import { storeTradeHistory } from "../services/alerts.ts";
import { Simulator } from "../simulator/server.ts";
import { openAppDb, type AppDb } from "../store/app-db.ts";
import { Store } from "../store/index.ts";
import { silentLogger } from "../log.ts";
import { loadStrategy, saveStrategyVersion } from "../strategy/library.ts";
import { WORKER_EXEC_ARGV, defaultWorkerEntry } from "../workers/entry.ts";
import { WorkerPool } from "../workers/pool.ts";
import { replayAlerts } from "./replay.ts";
import { libraryHosts } from "./strategy-hosts.ts";
import { AlertService, type AlertFeed } from "./service.ts";

let sim: Simulator;
let dir: string;

beforeAll(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), "alerts-live-"));
  sim = await Simulator.start({ venues: ["kraken"], symbols: { kraken: ["BTC/USD"] }, rate: 400, tradeShare: 0.5, seed: 7 });
});

afterAll(async () => {
  await sim.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

function busFeed(bus: MarketBus): AlertFeed {
  return {
    subscribe: (venue, symbol, onTrade) => bus.onEvent(venue, symbol, (e) => e.type === "trade" && onTrade(e)),
    venueNow: () => Date.now(),
    knownSymbol: () => undefined,
    venueProblem: () => null,
  };
}

/** Resolves once a trade at or after venue time `ts` has been published. */
function tradeAfter(bus: MarketBus, ts: number): Promise<void> {
  return new Promise((resolve) => {
    const off = bus.onEvent("kraken", "BTC/USD", (e) => {
      if (e.type === "trade" && e.ts >= ts) {
        off();
        resolve();
      }
    });
  });
}

/** Buys when flat, closes when long: a signal on every bar, which only alternates if its virtual fills reach it. */
const FLIP = `import { defineStrategy } from "workstation";
export default defineStrategy({
  params: { size: 1 },
  onBar(bar, ctx) {
    if (ctx.position.size === 0) ctx.buy(ctx.params.size);
    else ctx.close();
  },
});
`;

const base = { venue: "kraken", symbol: "BTC/USD", timeframe: "1s", deliver: { desktop: true } };
const RULES = [
  { ...base, id: "cross-close", frequency: "once_per_bar_close", condition: { type: "price", op: "crosses", value: "43000.05" } },
  { ...base, id: "cross-intra", frequency: "once_per_bar", condition: { type: "price", op: "crosses", value: "43000.05" } },
  { ...base, id: "ema", frequency: "once_per_bar_close", condition: { type: "indicator", indicator: "ema", args: [2], op: "crosses", than: { indicator: "ema", args: [5] } } },
  { ...base, id: "rsi", frequency: "once_per_bar", condition: { type: "indicator", indicator: "rsi", args: [3], op: "crosses", value: 50 } },
  { ...base, id: "move", frequency: "once_per_bar_close", condition: { type: "move", op: "up", by: "0.001%", bars: 2 } },
  { ...base, id: "flip", frequency: "once_per_bar_close", condition: { type: "strategy", strategy: "Flip" }, message: "{{order.side}} {{order.size}} @ {{order.price}}" },
].map((r) => parseRule(r));

describe("alerts live vs replay", () => {
  it("the live path (with a restart mid-session) fires exactly what alerts test fires on the recording", async () => {
    const file = path.join(dir, "session.jsonl");
    const bus = new MarketBus();
    const raw = new FileRecorder(file);
    bus.onRaw("kraken", (item) => raw.write(item));
    const store = new Store(path.join(dir, "data"));
    const recorder = await store.recorder();
    bus.onEvent("kraken", ANY_SYMBOL, (e) => recorder.record(e));
    const app: AppDb = openAppDb(path.join(dir, "app"));
    saveStrategyVersion(app.db, "Flip", FLIP, null);
    const pool = new WorkerPool({ size: 1, entry: defaultWorkerEntry(), execArgv: WORKER_EXEC_ARGV, log: silentLogger() });
    const hosts = libraryHosts(() => app.db, () => pool);
    const strategies = { exists: (name: string) => loadStrategy(app.db, name) !== null, hosts };
    const quiet = { warn: () => undefined, error: () => undefined };
    const first = new AlertService({ db: () => app.db, feed: busFeed(bus), secret: async () => null, log: quiet, strategies });
    await first.start();
    for (const r of RULES) first.add(r);

    const feed = new VenueFeed({ id: "kraken", protocol: PROTOCOLS.kraken, endpoints: sim.urls("kraken"), bus });
    feed.add("BTC/USD");
    const t0 = Date.now();
    await tradeAfter(bus, t0 + 3000);
    first.stop();
    await first.signalsSettled();
    await tradeAfter(bus, t0 + 5500);
    const history = storeTradeHistory(store);
    const second = new AlertService({
      db: () => app.db, feed: busFeed(bus), secret: async () => null, log: quiet, strategies,
      history: async (v, s, from): Promise<AlertTrade[]> => {
        await recorder.flush();
        return history(v, s, from);
      },
    });
    await second.start();
    await tradeAfter(bus, t0 + 8500);
    feed.stop();
    second.stop();
    await second.signalsSettled();
    await raw.close();
    await store.close();

    const live = second.log({ limit: 10_000 });
    const replayed: KeyedFire[] = [];
    await replayAlerts(RULES, file, "kraken", { fire: (f) => replayed.push(f), pause: () => undefined, remark: () => undefined }, hosts);
    await pool.shutdown();
    app.close();
    // The replay closes the last bar at the end of the file; live, that bar was still forming.
    const lastBar = Math.max(...replayed.map((f) => f.barTime));
    const expected = replayed.filter((f) => !(f.barTime === lastBar && f.time === lastBar + 1000));
    const shape = (f: KeyedFire) => `${f.key} ${f.time} ${String(f.value)} ${f.message}`;
    expect(expected.length).toBeGreaterThan(5);
    const flips = live.filter((f) => f.rule === "flip").sort((a, b) => a.barTime - b.barTime);
    expect(flips.length).toBeGreaterThan(4);
    expect(flips.map((f) => f.message.split(" ")[0])).toEqual(flips.map((_f, i) => (i % 2 === 0 ? "buy" : "sell")));
    // Bars that closed while the service was down came from the catch-up's fresh session, marked late.
    expect(flips.some((f) => f.lateMs !== null)).toBe(true);
    expect(new Set(live.map((f) => f.key)).size).toBe(live.length);
    expect(live.map(shape).sort()).toEqual(expected.map(shape).sort());
    const late = live.filter((f) => f.lateMs !== null);
    expect(late.length).toBeGreaterThan(0);
    for (const f of late) {
      expect(f.time).toBeGreaterThan(t0 + 2000);
      expect(f.lateMs).toBeGreaterThan(0);
    }
  }, 60_000);
});
