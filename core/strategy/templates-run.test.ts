// Every bundled template (the editor's menu and resources/templates) gives a sensible first run on
// the simulated market's history: it trades, no order is rejected, and a position is a real
// fraction of the account (not one unit of a $100,000 account).
import fs from "node:fs";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import type { Candle } from "../../common/api/market.ts";
import { TEMPLATES } from "../../common/strategy/templates.ts";
import { silentLogger } from "../log.ts";
import { historyBefore } from "../services/simulated-history.ts";
import { WORKER_EXEC_ARGV, defaultWorkerEntry } from "../workers/entry.ts";
import { WorkerPool } from "../workers/pool.ts";
import { backtestOnPool, prepareStrategy, resolveLimits } from "./runner.ts";

const FOLDER = path.resolve(import.meta.dirname, "../../resources/templates");
const files = fs.readdirSync(FOLDER).filter((f) => f.endsWith(".ts"));
const sources: [string, string][] = [...TEMPLATES.map((t) => [`menu ${t.id}`, t.source] as [string, string]), ...files.map((f) => [f, fs.readFileSync(path.join(FOLDER, f), "utf8")] as [string, string])];

const end = Date.UTC(2025, 0, 1);
const recent: Candle[] = [{ t: end, open: "43000.0", high: "43000.0", low: "43000.0", close: "43000.0", volume: "1" }];
const cols = historyBefore("BTC/USD", recent, 3);
const bars = { symbol: "BTC/USD", ...Object.fromEntries(Object.entries(cols).map(([k, v]) => [k, Float64Array.from(v)])) } as Parameters<typeof backtestOnPool>[2];
const CASH = 100_000;
const pool = new WorkerPool({ size: 1, entry: defaultWorkerEntry(), execArgv: WORKER_EXEC_ARGV, log: silentLogger() });

afterAll(() => pool.shutdown());

describe("bundled templates on the simulated market", () => {
  it.each(sources)("%s trades a real share of the account without rejections", async (name, source) => {
    const strategy = await prepareStrategy(source, `${name.replace(/\W+/g, "-")}.ts`, { typecheck: false });
    const r = await backtestOnPool(pool, strategy, bars, { cash: CASH, commission: 0.001, slippageBps: 0 }, resolveLimits({ timeoutMs: 30_000 }));
    expect(r.trades.length).toBeGreaterThan(0);
    expect(r.orders.filter((o) => o.status === "rejected")).toEqual([]);
    const first = r.trades[0]!;
    expect(first.size * first.entryPrice).toBeGreaterThan(CASH * 0.5);
    expect(Number.isFinite(r.metrics.totalReturn)).toBe(true);
  }, 60_000);
});
