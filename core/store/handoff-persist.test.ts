import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { DuckDBInstance } from "@duckdb/node-api";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { fileColumns } from "../../common/strategy/bars-file.ts";
import { leaseBars } from "./bars-cache.ts";
import { loadBars, type CandleRequest } from "./candles.ts";
import { HANDOFF_FOLDER, MARKET_DB_FILE, MARKET_MIGRATIONS, openMarketDb, type MarketDb } from "./market-db.ts";
import { addParquetSource } from "./sources.ts";

const T0 = 1_700_000_000_000;
const MIN = 60_000;
const REQ: CandleRequest = { symbol: "X", timeframe: "1m" };
let dir = "";
let data = "";
let db: MarketDb | null = null;

beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), "handoff-persist-"));
  data = path.join(dir, "data");
});
afterEach(() => {
  db?.close();
  db = null;
  fs.rmSync(dir, { recursive: true, force: true });
});

async function open(): Promise<MarketDb> {
  db = await openMarketDb(data);
  return db;
}

function close(): void {
  db?.close();
  db = null;
}

/** Stores minute bars of symbol X with the given closes. */
async function storeBars(m: MarketDb, closes: number[], symbol = "X"): Promise<void> {
  const values = closes.map((c, i) => `('local', '${symbol}', ${MIN}, ${T0 + i * MIN}, ${c}, ${c + 1}, ${c - 1}, ${c}, 1)`).join(", ");
  await m.conn.run(`INSERT INTO bars VALUES ${values}`);
  await m.conn.run(`INSERT OR REPLACE INTO instruments VALUES ('local', '${symbol}', 'bars', 'import', ${MIN}, ${T0}, ${T0 + closes.length * MIN}, 0)`);
  m.generations.bump("local", symbol);
}

/** Leases `req`, checks the file against `loadBars`, releases; returns what the lease said and the closes. */
async function read(m: MarketDb, req: CandleRequest = REQ): Promise<{ warm: boolean; file: string; closes: number[] }> {
  const lease = await leaseBars(m, req);
  try {
    const bytes = fs.readFileSync(lease.ref.file);
    const bars = fileColumns(new Float64Array(bytes.buffer, bytes.byteOffset, bytes.length / 8).slice(), lease.ref);
    expect(bars).toEqual(await loadBars(m, req));
    return { warm: lease.warm, file: lease.ref.file, closes: Array.from(bars.close) };
  } finally {
    lease.release();
  }
}

const cacheFiles = (): string[] => fs.readdirSync(path.join(data, HANDOFF_FOLDER)).sort();

describe("bars hand-offs across restarts", () => {
  it("serves a series read before a clean close warm after the next open, without a query", async () => {
    await storeBars(await open(), [10, 11, 12]);
    const first = await read(db!);
    expect(first.warm).toBe(false);
    close();
    expect(cacheFiles()).toEqual([path.basename(first.file), "index.json"].sort());
    const again = await read(await open());
    expect(again).toEqual({ warm: true, file: first.file, closes: [10, 11, 12] });
    expect(cacheFiles()).toEqual([path.basename(first.file)]);
  });

  it("also serves a venue-less request resolved before the close without looking its venue up again", async () => {
    await storeBars(await open(), [1, 2]);
    await read(db!);
    close();
    const m = await open();
    expect(m.handoffs.venues.get("X")?.venue).toBe("local");
    expect((await read(m)).warm).toBe(true);
  });

  it("discards everything when another writer changed the database file between sessions", async () => {
    await storeBars(await open(), [10, 11]);
    await read(db!);
    close();
    const other = await DuckDBInstance.create(path.join(data, MARKET_DB_FILE));
    const conn = await other.connect();
    await conn.run(`UPDATE bars SET close = 99 WHERE ts = ${T0}`);
    conn.closeSync();
    other.closeSync();
    const again = await read(await open());
    expect(again.warm).toBe(false);
    expect(again.closes).toEqual([99, 11]);
  });

  it("reads the index once: a session that does not close cleanly leaves files no index names, removed at the next open", async () => {
    await storeBars(await open(), [10, 11]);
    await read(db!);
    close();
    await open();
    expect(fs.existsSync(path.join(data, HANDOFF_FOLDER, "index.json"))).toBe(false);
    close();
    // As a crash leaves the folder: files, no index.
    fs.rmSync(path.join(data, HANDOFF_FOLDER, "index.json"));
    fs.writeFileSync(path.join(data, HANDOFF_FOLDER, "stray.bin"), "x");
    expect(cacheFiles().length).toBe(2);
    const m = await open();
    expect(cacheFiles()).toEqual([]);
    expect((await read(m)).warm).toBe(false);
  });

  it("keeps a tail-refreshed entry, not one written after its last read", async () => {
    const m = await open();
    await storeBars(m, [10, 11]);
    await storeBars(m, [5, 6], "Y");
    await read(m);
    await read(m, { symbol: "Y", timeframe: "1m" });
    await m.conn.run(`INSERT INTO bars VALUES ('local', 'X', ${MIN}, ${T0 + 2 * MIN}, 12, 13, 11, 12, 1)`);
    m.generations.bump("local", "X", T0 + 2 * MIN);
    expect((await read(m)).closes).toEqual([10, 11, 12]);
    await m.conn.run(`UPDATE bars SET close = 50 WHERE symbol = 'Y'`);
    m.generations.bump("local", "Y");
    close();
    const after = await open();
    expect(await read(after)).toMatchObject({ warm: true, closes: [10, 11, 12] });
    expect(await read(after, { symbol: "Y", timeframe: "1m" })).toMatchObject({ warm: false, closes: [50, 50] });
  });

  it("checks the Parquet files an entry read on use", async () => {
    const m = await open();
    const file = path.join(dir, "pq", "x.parquet");
    fs.mkdirSync(path.dirname(file));
    const write = (on: MarketDb, c: number): Promise<unknown> =>
      on.conn.run(`COPY (SELECT make_timestamp((${T0} + i * ${MIN}) * 1000) AS time, ${c} + i AS open, ${c} + i AS high, ${c} + i AS low, ${c} + i AS close, 1.0 AS volume FROM range(3) t(i)) TO '${file}' (FORMAT parquet)`);
    await write(m, 10);
    await addParquetSource(m, file, "X", "local");
    expect((await read(m)).closes).toEqual([10, 11, 12]);
    close();
    const again = await open();
    expect((await read(again)).warm).toBe(true);
    await write(again, 20);
    const changed = await read(again);
    expect(changed.warm).toBe(false);
    expect(changed.closes).toEqual([20, 21, 22]);
  });

  it("leaves read-only opens out: they keep their files elsewhere and never write an index", async () => {
    await storeBars(await open(), [10, 11]);
    close();
    const ro = await openMarketDb(data, { readOnly: true });
    try {
      const lease = await leaseBars(ro, REQ);
      expect(path.dirname(lease.ref.file)).not.toBe(path.join(data, HANDOFF_FOLDER));
      lease.release();
    } finally {
      ro.close();
    }
    expect(cacheFiles()).toEqual([]);
  });

  it("discards the index when opening migrated the file", async () => {
    await storeBars(await open(), [1, 2, 3]);
    await read(db!);
    close();
    db = await openMarketDb(data, { migrations: [...MARKET_MIGRATIONS, "UPDATE bars SET close = close * 100"] });
    expect(await read(db)).toMatchObject({ warm: false, closes: [100, 200, 300] });
  });

  it("opens and closes when the cache folder is unusable, and ignores a damaged index", async () => {
    await storeBars(await open(), [1, 2]);
    await read(db!);
    close();
    fs.writeFileSync(path.join(data, HANDOFF_FOLDER, "index.json"), "null");
    const damaged = await open();
    expect(await read(damaged)).toMatchObject({ warm: false, closes: [1, 2] });
    close();
    fs.rmSync(path.join(data, "cache"), { recursive: true });
    fs.writeFileSync(path.join(data, "cache"), "not a folder");
    const m = await open();
    expect(await read(m)).toMatchObject({ warm: false, closes: [1, 2] });
    expect((await read(m)).warm).toBe(true);
    expect(() => close()).not.toThrow();
  });

  it("rebuilds a file deleted under it, and a cache folder removed while open", async () => {
    const m = await open();
    await storeBars(m, [1, 2]);
    const first = await read(m);
    fs.rmSync(first.file);
    expect(await read(m)).toMatchObject({ warm: false, closes: [1, 2] });
    fs.rmSync(path.join(data, "cache"), { recursive: true });
    expect(await read(m)).toMatchObject({ warm: false, closes: [1, 2] });
    expect((await read(m)).warm).toBe(true);
    expect(() => close()).not.toThrow();
    expect((await read(await open())).warm).toBe(true);
  });
});
