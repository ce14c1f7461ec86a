import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { ParamsOut } from "../../common/api/index.ts";
import type { TradeEvent } from "../../common/market/events.ts";
import type { CallContext } from "../api/handlers.ts";
import { storeHandlers } from "../services/store.ts";
import { leaseBars } from "./bars-cache.ts";
import { importFiles } from "./import.ts";
import { Store } from "./index.ts";
import { openMarketDb, type MarketDb } from "./market-db.ts";
import { BarsPreparations, prepareBars, type PrepareLog } from "./prepare.ts";
import { Recorder } from "./recorder.ts";

const T0 = 1_700_000_000_000 - (1_700_000_000_000 % 3_600_000);
const MIN = 60_000;
let dir = "";
let db: MarketDb | null = null;

beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), "bars-prepare-"));
});
afterEach(() => {
  db?.close();
  db = null;
  fs.rmSync(dir, { recursive: true, force: true });
});

/** Writes a minute-bars CSV of `n` bars from T0. */
function barsCsv(n: number, name = "bars.csv"): string {
  const file = path.join(dir, name);
  const lines = Array.from({ length: n }, (_, i) => `${(T0 + i * MIN) / 1000},${i},${i + 1},${Math.max(0, i - 1)},${i},1`);
  fs.writeFileSync(file, `timestamp,open,high,low,close,volume\n${lines.join("\n")}\n`);
  return file;
}

async function openDb(handoffCacheBytes?: number): Promise<MarketDb> {
  db = await openMarketDb(path.join(dir, "data"), handoffCacheBytes === undefined ? {} : { handoffCacheBytes });
  return db;
}

const ctx = (): CallContext => ({ signal: new AbortController().signal, progress: () => undefined, clientId: "t" });

describe("bars preparation after a write", () => {
  it("builds the full-range entry at the stored timeframe: the first request and a ranged one are warm", async () => {
    const mdb = await openDb();
    await importFiles(mdb, { files: [barsCsv(100)], symbol: "X" });
    expect(await prepareBars(mdb, { symbol: "X", venue: "local" })).toEqual({ built: true, timeframe: "1m", bars: 100, warm: false });
    expect(mdb.handoffs.venues.get("X")?.venue).toBe("local");
    const whole = await leaseBars(mdb, { symbol: "X", timeframe: "1m" });
    const slice = await leaseBars(mdb, { symbol: "X", timeframe: "1m", from: T0 + 10 * MIN, to: T0 + 20 * MIN });
    expect([whole.warm, slice.warm, slice.bars, slice.ref.file]).toEqual([true, true, 10, whole.ref.file]);
    whole.release();
    slice.release();
    const other = await leaseBars(mdb, { symbol: "X", timeframe: "5m" });
    expect([other.warm, other.bars]).toEqual([false, 20]);
    other.release();
  });

  it("makes a request arriving while it runs wait for it instead of reading again", async () => {
    const mdb = await openDb();
    await importFiles(mdb, { files: [barsCsv(500)], symbol: "X" });
    const preparing = prepareBars(mdb, { symbol: "X", venue: "local" });
    const lease = await leaseBars(mdb, { symbol: "X", timeframe: "1m", from: T0, to: T0 + 50 * MIN });
    expect([lease.warm, lease.bars]).toEqual([true, 50]);
    lease.release();
    expect(await preparing).toMatchObject({ built: true, warm: false });
  });

  it("skips series whose candles come from trades, and series above half the cache cap", async () => {
    const mdb = await openDb(200_000);
    const recorder = new Recorder(mdb, { flushMs: 3_600_000 });
    await recorder.start();
    const trade: TradeEvent = { type: "trade", exchange: "kraken", symbol: "T", price: "1", size: "1", side: "buy", tradeId: "1", ts: T0 };
    recorder.record(trade);
    await recorder.stop();
    expect(await prepareBars(mdb, { symbol: "T", venue: "kraken" })).toMatchObject({ built: false, reason: "candles come from trades" });
    await importFiles(mdb, { files: [barsCsv(100)], symbol: "X" });
    expect(await prepareBars(mdb, { symbol: "X", venue: "local" })).toMatchObject({ built: false });
    expect(mdb.handoffs.size()).toBe(0);
  });

  it("stops when cancelled, leaving nothing cached, and logs failures without throwing", async () => {
    const mdb = await openDb();
    await importFiles(mdb, { files: [barsCsv(100)], symbol: "X" });
    const abort = new AbortController();
    const preparing = prepareBars(mdb, { symbol: "X", venue: "local" }, abort.signal);
    abort.abort();
    await expect(preparing).rejects.toThrow();
    expect(mdb.handoffs.size()).toBe(0);
    const warned: string[] = [];
    const log: PrepareLog = { debug: () => undefined, warn: (obj) => warned.push(String((obj as { err: string }).err)) };
    await new BarsPreparations().schedule(mdb, { symbol: "NONE", venue: "local" }, log);
    expect(warned).toEqual(["no data for NONE on local"]);
  });

  it("runs after store.import and store.addParquet without delaying their answers", async () => {
    const store = new Store(path.join(dir, "data"));
    try {
      const handlers = storeHandlers({ store });
      const params: ParamsOut<"store.import"> = { files: [barsCsv(300)], symbol: "X", skipBad: false };
      const mdb = await store.market();
      await handlers["store.import"](params, ctx());
      expect(mdb.handoffs.flights.busy()).toBe(true);
      const lease = await leaseBars(mdb, { symbol: "X", timeframe: "1m" });
      expect([lease.warm, lease.bars]).toEqual([true, 300]);
      lease.release();
      const pq = path.join(dir, "p.parquet");
      await mdb.conn.run(`COPY (SELECT make_timestamp((${T0} + i * 3600000) * 1000) AS time, i::DOUBLE AS open, i + 1.0 AS high, i - 1.0 AS low, i::DOUBLE AS close, 1.0 AS volume FROM range(48) t(i)) TO '${pq}' (FORMAT parquet)`);
      await handlers["store.addParquet"]({ path: pq, symbol: "P" }, ctx());
      expect(mdb.handoffs.flights.busy()).toBe(true);
      const hourly = await leaseBars(mdb, { symbol: "P", timeframe: "1h" });
      expect([hourly.warm, hourly.bars]).toEqual([true, 48]);
      hourly.release();
    } finally {
      await store.close();
    }
  });
});
