import fs from "node:fs";
import { gzipSync } from "node:zlib";
import os from "node:os";
import path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import type { Metrics, SavedBacktestResult, TradeRecord } from "../../common/strategy/results.ts";
import { openAppDb, type AppDb } from "../store/app-db.ts";
import type { BacktestRunRecord } from "./runs.ts";
import { sqliteRunRepository, storedBodyText } from "./runs-sqlite.ts";

let app: AppDb | null = null;
let dir: string | null = null;
afterEach(() => {
  app?.close();
  if (dir) fs.rmSync(dir, { recursive: true, force: true });
  app = null;
  dir = null;
});

const METRICS = { trades: 300, totalReturn: 0.25 } as unknown as Metrics;
const trade: TradeRecord = { entryTime: 0, entryPrice: 1, exitTime: 1, exitPrice: 2, size: 1, side: "long", pnl: 1, fees: 0 };

function record(trades: number): BacktestRunRecord {
  return {
    kind: "backtest",
    strategyName: "big",
    strategySource: "export default 1;",
    strategyHash: "h",
    engineVersion: "1",
    params: {},
    data: { source: "x.csv", symbol: "X", timeframe: null, facts: { hash: "f", bars: 1, from: 0, to: 0, gaps: 0, maxGapMs: 0 } },
    config: {},
    startedAt: 1,
    finishedAt: 2,
    error: null,
    result: { finalEquity: 10, cash: 10, metrics: METRICS, trades: Array.from({ length: trades }, () => trade), orders: [], equityCurve: { time: [0, 60_000], equity: [10, 11] } },
  };
}

function stored(db: AppDb["db"], runId: number): { body: Record<string, unknown>; summary: Record<string, unknown> } {
  const row = db
    .prepare<[number], { body: Buffer; summary: string }>("SELECT b.body, r.summary FROM backtest_results b JOIN backtest_runs r ON r.id = b.run_id WHERE r.id = ?")
    .get(runId)!;
  return { body: JSON.parse(row.body.toString()) as Record<string, unknown>, summary: JSON.parse(row.summary) as Record<string, unknown> };
}

describe("saved runs", () => {
  it("stores a result given as JSON text, or gzipped, exactly as the same result given as objects (a gzipped one as given), over the cap too", () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), "ws-runs-"));
    app = openAppDb(dir);
    const repo = sqliteRunRepository(app.db, { maxResultBytes: 10_000 });
    const raw = (id: number) => app!.db.prepare<[number], { format: string; body: Buffer; summary: string }>("SELECT b.format, b.body, r.summary FROM backtest_results b JOIN backtest_runs r ON r.id = b.run_id WHERE r.id = ?").get(id)!;
    for (const trades of [10, 300]) {
      const objects = record(trades);
      const result = objects.result as SavedBacktestResult;
      const json = JSON.stringify(result);
      const summary = { finalEquity: result.finalEquity, metrics: result.metrics };
      const asText: BacktestRunRecord = { ...objects, result: { json, ...summary } };
      // Gzipped as the worker does: gzip members concatenated.
      const gzip = Buffer.concat([gzipSync(json.slice(0, 100)), gzipSync(json.slice(100))]);
      const asGzip: BacktestRunRecord = { ...objects, result: { gzip, jsonBytes: Buffer.byteLength(json), ...summary } };
      const a = raw(repo.save(objects));
      const b = raw(repo.save(asText));
      expect(b.body.equals(a.body)).toBe(true);
      expect(b.summary).toBe(a.summary);
      const c = raw(repo.save(asGzip));
      expect(c.summary).toBe(a.summary);
      expect(c.format).toBe(trades === 10 ? "json.gz" : "json");
      expect(Buffer.from(storedBodyText(c.format, c.body)).equals(a.body)).toBe(true);
    }
    for (const id of [2, 3, 5, 6]) expect(repo.get(id)!.result).toEqual(repo.get(id <= 3 ? 1 : 4)!.result);
  });

  it("keeps a result over the stored size cap as its summary, with a note; smaller ones in full", () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), "ws-runs-"));
    app = openAppDb(dir);
    const repo = sqliteRunRepository(app.db, { maxResultBytes: 10_000 });
    const small = stored(app.db, repo.save(record(10)));
    expect(small.body.trades).toHaveLength(10);
    expect(small.summary.note).toBeUndefined();

    const big = stored(app.db, repo.save(record(300)));
    expect(big.body).toMatchObject({ finalEquity: 10, cash: 10, metrics: METRICS, trades: [], orders: [], tradeCount: 300, orderCount: 0 });
    expect(big.body.note).toMatch(/^the full result \(\d+ KB of JSON\) is over the 10 KB storage cap; only its summary was kept$/);
    expect(big.summary.note).toBe(big.body.note);
  });

  it("lists runs with their data and total return, and reads one back in full (a capped one as its summary and curve)", () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), "ws-runs-"));
    app = openAppDb(dir);
    const repo = sqliteRunRepository(app.db, { maxResultBytes: 10_000 });
    const small = repo.save({ ...record(2), params: { fast: 5 } });
    const big = repo.save(record(300));
    const list = repo.list(10);
    expect(list.map((r) => r.id)).toEqual([big, small]);
    expect(list[1]).toMatchObject({ kind: "backtest", strategyName: "big", symbol: "X", timeframe: null, totalReturn: 0.25 });

    const full = repo.get(small)!;
    expect(full).toMatchObject({ id: small, params: { fast: 5 }, config: {}, source: "x.csv", bars: { first: 0, last: 0 }, error: null, note: null, rows: null });
    expect(full.result?.trades).toHaveLength(2);
    expect(full.result?.equityCurve).toEqual({ time: [0, 60_000], equity: [10, 11] });

    const capped = repo.get(big)!;
    expect(capped.note).toMatch(/storage cap/);
    expect(capped.result).toMatchObject({ trades: [], metrics: METRICS, equityCurve: { time: [0, 60_000], equity: [10, 11] } });
    expect(repo.get(9999)).toBeNull();
  });
});
