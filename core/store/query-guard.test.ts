import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { exportData } from "./export.ts";
import { importFiles } from "./import.ts";
import { openMarketDb, type MarketDb } from "./market-db.ts";
import { OUTSIDE_MESSAGE } from "./query-errors.ts";
import { openQuerySandbox } from "./query-sandbox.ts";
import { SNAPSHOT_FOLDER } from "./query-snapshot.ts";
import { queryLiveMarket, queryMarketFile, type QueryLimits } from "./query.ts";
import { addParquetSource } from "./sources.ts";
import type { QueryResult } from "../../common/api/store.ts";

const fixture = (name: string): string => path.join(import.meta.dirname, "../datafiles/fixtures", name);
const dir = fs.mkdtempSync(path.join(os.tmpdir(), "ws-guard-"));
const data = path.join(dir, "data");
const outside = path.join(dir, "outside");
const secret = path.join(outside, "secret.csv");
const missing = path.join(outside, "missing.csv");
const token = path.join(data, "core.lock.json");
const limits: QueryLimits = { maxRows: 10, timeoutMs: 20_000 };

beforeAll(async () => {
  fs.mkdirSync(outside, { recursive: true });
  fs.writeFileSync(secret, "key\napi-key-123\n");
  const db = await openMarketDb(data);
  await importFiles(db, { files: [fixture("trades.csv")], symbol: "BTC/USD", venue: "kraken" });
  const pq = path.join(dir, "pq");
  await exportData(db, { symbol: "BTC/USD", out: pq });
  fs.writeFileSync(path.join(pq, "notes.csv"), "a\nnot-a-source\n");
  await addParquetSource(db, pq, "BTC/USD", "archive");
  db.close();
  fs.writeFileSync(token, JSON.stringify({ port: 1, token: "live-token-abc" }));
});

afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

type Run = (sql: string, limits: QueryLimits) => Promise<QueryResult>;
let core: MarketDb | null = null;
const modes: [string, Run, boolean][] = [
  ["in process (no core)", (sql, l) => queryMarketFile(data, sql, l), false],
  ["through core's open database", (sql, l) => queryLiveMarket(core!, sql, l), true],
];

async function failure(run: Run, sql: string, l: QueryLimits = limits): Promise<string> {
  try {
    await run(sql, l);
  } catch (err) {
    return (err as Error).message;
  }
  throw new Error(`not refused: ${sql}`);
}

describe.each(modes)("read-only queries %s", (_mode, run, viaCore) => {
  beforeAll(async () => {
    if (viaCore) core = await openMarketDb(data);
  });
  afterAll(() => {
    core?.close();
    core = null;
  });

  it("read the store's tables, CTEs, generators and the registered Parquet source", async () => {
    expect((await run("SELECT count(*) AS n FROM trades", limits)).rows).toEqual([["4"]]);
    const r = await run("WITH t AS (SELECT i FROM range(3) r(i)) SELECT sum(i) AS s FROM t, bars WHERE false OR true GROUP BY ALL", limits);
    expect(r.columns.map((c) => c.name)).toEqual(["s"]);
    const pq = await run("SELECT venue, symbol, count(*) AS n, min(ts) AS first FROM parquet_trades GROUP BY ALL", limits);
    expect(pq.rows).toEqual([["archive", "BTC/USD", "4", "1700000000123"]]);
    expect((await run("SELECT count(*) AS n FROM parquet_bars", limits)).rows).toEqual([["0"]]);
    if (viaCore) expect(fs.readdirSync(path.join(data, SNAPSHOT_FOLDER))).toEqual([]);
  });

  it("refuses the CTE declared in a subquery that made a file pass as a table", async () => {
    for (const file of [secret, token]) {
      const message = await failure(run, `SELECT * FROM '${file}', (WITH "${file}" AS (SELECT 1) SELECT 1)`);
      expect(message).toMatch(/only the store's tables/);
      expect(message).not.toMatch(/api-key|live-token/);
    }
  });

  it.each([
    [`SELECT * FROM read_csv('${secret}')`],
    [`SELECT content FROM read_text('${secret}')`],
    [`SELECT content FROM read_blob('${token}')`],
    [`SELECT * FROM glob('${outside}/*')`],
    [`SELECT * FROM '${secret}'`],
    [`SELECT * FROM read_parquet('${secret}')`],
    [`SELECT * FROM read_csv('${path.join(dir, "pq", "notes.csv")}')`],
    [`SELECT * FROM read_parquet('${path.join(dir, "pq")}/../outside/secret.csv')`],
    ["SELECT current_setting('allowed_paths') AS s"],
    ["SELECT getenv('HOME') AS h"],
    ["SELECT * FROM duckdb_settings()"],
    ["SELECT path FROM duckdb_databases()"],
    ["SELECT * FROM pragma_database_list"],
    ["SELECT * FROM (SELECT * FROM information_schema.tables)"],
    [`COPY trades TO '${path.join(outside, "x.csv")}'`],
    [`ATTACH '${path.join(outside, "x.duckdb")}' AS x`],
    ["INSTALL httpfs"],
    ["LOAD httpfs"],
    ["SET enable_external_access = true"],
  ])("refuses %s", async (sql) => {
    const message = await failure(run, sql);
    expect(message).not.toMatch(/api-key|live-token|not-a-source/);
    expect(message).toMatch(/only the store's tables|not allowed|read-only|registered Parquet/);
  });

  it("gives the same error for an outside file that exists and one that does not", async () => {
    for (const template of ["SELECT * FROM read_parquet('F')", "SELECT * FROM 'F'", "SELECT * FROM read_csv('F')"]) {
      const there = await failure(run, template.replace("F", secret));
      const gone = await failure(run, template.replace("F", missing));
      expect(there.replace(secret, "F")).toBe(gone.replace(missing, "F"));
    }
  });

  it("stops a query at its deadline with a clear message, and the next query runs", async () => {
    const started = performance.now();
    const slow = "SELECT count(*) FROM range(1000000000) a, range(100) b WHERE a.range * b.range % 7 = 3";
    await expect(run(slow, { maxRows: 10, timeoutMs: 300 })).rejects.toThrow("the query ran longer than 300 ms and was stopped");
    expect(performance.now() - started).toBeLessThan(5000);
    expect((await run("SELECT 42 AS answer", limits)).rows).toEqual([[42]]);
  });

  it("cuts the result at the row cap and refuses one over the byte cap before converting it", async () => {
    const r = await run("SELECT * FROM range(5000) t(i)", { maxRows: 2049, timeoutMs: 20_000 });
    expect(r.rows).toHaveLength(2049);
    expect(r.truncated).toBe(true);
    const started = performance.now();
    const capped = { maxRows: 10, timeoutMs: 20_000, maxBytes: 1 << 20 };
    await expect(run("SELECT range(2000000) AS r", capped)).rejects.toThrow("the result is larger than 1 MB (the cap); select fewer rows or columns");
    await expect(run("SELECT repeat('x', 2000000) AS s", capped)).rejects.toThrow(/larger than 1 MB/);
    expect(performance.now() - started).toBeLessThan(10_000);
  });

  it("caps DuckDB's memory for the query", async () => {
    const small = { ...limits, memoryLimitBytes: 64 << 20 };
    await expect(run("SELECT len(l) AS n FROM (SELECT list(i ORDER BY i DESC) AS l FROM range(30000000) t(i))", small)).rejects.toThrow(
      "the query needed more than 64 MB of memory (the cap for queries) and was stopped",
    );
  });
});

describe("the query sandbox itself (without the parse-tree guard)", () => {
  it.each([
    `SELECT * FROM read_csv('${secret}')`,
    `SELECT * FROM '${secret}', (WITH "${secret}" AS (SELECT 1) SELECT 1)`,
    `SELECT * FROM read_text('${token}')`,
    `SELECT * FROM glob('${outside}/*')`,
    `COPY (SELECT 1) TO '${path.join(outside, "y.csv")}'`,
    `ATTACH '${path.join(outside, "y.duckdb")}' AS y`,
    "INSTALL httpfs",
    "LOAD httpfs",
    "SET enable_external_access = true",
    "RESET lock_configuration",
  ])("refuses %s", async (sql) => {
    const sandbox = await openQuerySandbox(path.join(data, "market.duckdb"), 256 << 20);
    try {
      await expect(sandbox.conn.run(sql)).rejects.toThrow(/Permission Error|disabled|locked/);
      expect(fs.existsSync(path.join(outside, "y.csv"))).toBe(false);
    } finally {
      sandbox.close();
    }
  });

  it("still maps its refusals to one message", () => {
    expect(OUTSIDE_MESSAGE).not.toMatch(/\//);
  });
});
