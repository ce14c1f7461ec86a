import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { startCore } from "../app.ts";
import { silentLogger } from "../log.ts";
import { leaseBars } from "./bars-cache.ts";
import { importFiles } from "./import.ts";
import { Store } from "./index.ts";
import { openMarketDb } from "./market-db.ts";
import { runCliCaptured, type CliRun } from "../cli/testing.ts";

const fixture = (name: string): string => path.join(import.meta.dirname, "../datafiles/fixtures", name);
let dir = "";
beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), "store-cli-"));
});
afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

async function cli(...argv: string[]): Promise<CliRun> {
  return runCliCaptured([...argv, "--data-dir", dir]);
}

describe("store commands", () => {
  it("import, query, export and data work directly on the store", async () => {
    const imported = await cli("import", fixture("orcl-head.csv"), "--symbol", "orcl");
    expect(imported.code).toBe(0);
    expect(JSON.parse(imported.out[0]!)).toMatchObject({ symbol: "ORCL", venue: "local", rows: 39 });
    expect(imported.err.join("\n")).toMatch(/Yahoo-style daily OHLCV/);
    const q = await cli("query", "SELECT symbol, count(*) AS n FROM bars GROUP BY 1", "--json");
    expect(JSON.parse(q.out[0]!).rows).toEqual([["ORCL", "39"]]);
    const out = path.join(dir, "out");
    const exported = await cli("export", "--symbol", "orcl", "--out", out, "--from", "1995-01-05", "--to", "789696000000");
    expect(JSON.parse(exported.out[0]!)).toMatchObject({ kind: "bars", rows: 3 });
    const added = await cli("data", "add-parquet", out, "--symbol", "orcl-pq");
    expect(JSON.parse(added.out[0]!)).toMatchObject({ symbol: "ORCL-PQ", kind: "bars", files: 3 });
    const symbols = await cli("data", "symbols");
    expect(symbols.out.map((l) => JSON.parse(l).symbol)).toEqual(["ORCL", "ORCL-PQ"]);
  });

  it("prepares imported and registered bars before closing, so the next open serves them warm", async () => {
    expect((await cli("import", fixture("orcl-head.csv"), "--symbol", "orcl")).code).toBe(0);
    const out = path.join(dir, "out");
    expect((await cli("export", "--symbol", "orcl", "--out", out)).code).toBe(0);
    expect((await cli("data", "add-parquet", out, "--symbol", "orcl-pq")).code).toBe(0);
    const db = await openMarketDb(dir);
    try {
      for (const symbol of ["ORCL", "ORCL-PQ"]) {
        const lease = await leaseBars(db, { symbol, timeframe: "1d" });
        lease.release();
        expect({ symbol, warm: lease.warm, bars: lease.bars }).toEqual({ symbol, warm: true, bars: 39 });
      }
    } finally {
      db.close();
    }
  });

  it("reports bad input with the line and exit codes", async () => {
    const bad = await cli("import", fixture("unsorted.csv"), "--symbol", "x");
    expect(bad.code).toBe(1);
    expect(bad.err.at(-1)).toMatch(/workstation import: .*unsorted\.csv: line 3: /);
    expect((await cli("import", fixture("trades.csv"))).code).toBe(2);
    expect((await cli("export", "--symbol", "X", "--out", dir, "--from", "yesterday")).code).toBe(2);
    await cli("import", fixture("trades.csv"), "--symbol", "x");
    const write = await cli("query", "INSERT INTO trades SELECT * FROM trades");
    expect(write).toMatchObject({ code: 1 });
    expect(write.err[0]).toMatch(/read-only/);
  });

  it("goes through the running core when one owns the data directory", async () => {
    const core = await startCore({ dataDir: dir, log: silentLogger(), port: 0, staticDir: dir });
    try {
      const imported = await cli("import", fixture("trades.csv"), "--symbol", "btc/usd", "--venue", "Kraken");
      expect(JSON.parse(imported.out[0]!)).toMatchObject({ symbol: "BTC/USD", venue: "kraken", rows: 4 });
      const db = await core.store.market();
      const rows = (await db.conn.runAndReadAll("SELECT count(*)::INTEGER FROM trades")).getRows();
      expect(rows).toEqual([[4]]);
      const q = await cli("query", "DELETE FROM trades");
      expect(q.err[0]).toMatch(/read-only/);
    } finally {
      await core.stop();
    }
  });

  it("answers a query the same in process and through core, and neither reads core's lock file", async () => {
    await cli("import", fixture("trades.csv"), "--symbol", "btc/usd", "--venue", "Kraken");
    const sql = "SELECT symbol, price, size FROM trades ORDER BY ts, price";
    const bypass = (file: string): string => `SELECT * FROM '${file}', (WITH "${file}" AS (SELECT 1) SELECT 1)`;
    const direct = await cli("query", sql, "--json");
    const core = await startCore({ dataDir: dir, log: silentLogger(), port: 0, staticDir: dir });
    try {
      const lock = path.join(dir, "core.lock.json");
      const viaCore = await cli("query", sql, "--json");
      expect({ ...JSON.parse(viaCore.out[0]!), elapsedMs: 0 }).toEqual({ ...JSON.parse(direct.out[0]!), elapsedMs: 0 });
      for (const attempt of [bypass(lock), `SELECT content FROM read_text('${lock}')`]) {
        const refused = await cli("query", attempt);
        expect(refused.code).toBe(1);
        expect(refused.out).toEqual([]);
        expect(refused.err.join("\n")).not.toMatch(/token|port/);
      }
    } finally {
      await core.stop();
    }
  });
});

describe("readying workers for cached bars", () => {
  it("tells core the most bars a cached series holds after a preparation and when a store opens with a kept cache", async () => {
    const seen: number[] = [];
    const store = new Store(dir, { onBarsCached: (bars) => seen.push(bars) });
    const db = await store.market();
    expect(seen).toEqual([]);
    const imported = await importFiles(db, { files: [fixture("orcl-head.csv")], symbol: "ORCL" });
    await store.prepareBars(db, { symbol: imported.symbol, venue: imported.venue });
    expect(seen).toEqual([39]);
    await store.close();
    const again = new Store(dir, { onBarsCached: (bars) => seen.push(bars) });
    await again.market();
    expect(seen).toEqual([39, 39]);
    await again.close();
  });
});
