import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { archiveDir, archiveOldTrades, recoverArchive } from "./archive.ts";
import { loadTrades } from "./columns.ts";
import { Store } from "./index.ts";
import { type MarketDb } from "./market-db.ts";

const DAY = 86_400_000;
const NOW = Date.UTC(2024, 5, 30, 12);
let dir = "";
let store: Store;

beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), "archive-"));
  store = new Store(dir);
});
afterEach(async () => {
  await store.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

async function seed(db: MarketDb): Promise<void> {
  await db.conn.run(
    `INSERT INTO trades SELECT 'kraken', 'BTC/USD', ${NOW} - 10 * ${DAY} + i * 3600000, (60000.5 + i)::DECIMAL(38,18), 0.25, 'buy', i::VARCHAR FROM range(240) t(i)`,
  );
  await db.conn.run(`INSERT INTO instruments VALUES ('kraken', 'BTC/USD', 'trades', 'recorded', NULL, ${NOW - 10 * DAY}, ${NOW}, 0)`);
}

describe("retention", () => {
  it("moves old trades to Parquet and reads both transparently", async () => {
    const db = await store.market();
    await seed(db);
    const before = await loadTrades(db, { symbol: "BTC/USD" });
    store.updateSettings({ archiveAfterDays: 3 });
    const moved = await store.runRetention(NOW);
    expect(moved).toBeGreaterThan(100);
    const left = Number((await db.conn.runAndReadAll("SELECT count(*)::DOUBLE FROM trades")).getRows()[0]![0]);
    expect(left).toBe(240 - moved);
    expect(fs.existsSync(path.join(archiveDir(dir), "trades/venue=kraken/symbol=BTC-USD"))).toBe(true);
    const after = await loadTrades(db, { symbol: "BTC/USD" });
    expect(Array.from(after.time)).toEqual(Array.from(before.time));
    expect(Array.from(after.price)).toEqual(Array.from(before.price));
    const exact = await db.conn.runAndReadAll(`SELECT price::VARCHAR FROM read_parquet('${archiveDir(dir)}/trades/**/*.parquet', hive_partitioning = false) ORDER BY ts LIMIT 1`);
    expect(exact.getRows()[0]).toEqual(["60000.500000000000000000"]);
    expect(await archiveOldTrades(db, 3, NOW)).toBe(0);
  });

  it("discards files of an archive run whose delete never committed", async () => {
    const db = await store.market();
    await seed(db);
    const orphan = path.join(archiveDir(dir), ".pending", "crashed-run", "venue=kraken", "symbol=BTC-USD", "date=2024-06-20");
    fs.mkdirSync(orphan, { recursive: true });
    fs.writeFileSync(path.join(orphan, "part.parquet"), "not really parquet");
    await recoverArchive(db);
    expect(fs.existsSync(path.join(archiveDir(dir), ".pending", "crashed-run"))).toBe(false);
    expect(fs.existsSync(path.join(archiveDir(dir), "trades"))).toBe(false);
    expect((await loadTrades(db, { symbol: "BTC/USD" })).time.length).toBe(240);
  });
});
