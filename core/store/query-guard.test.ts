import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openMarketDb, type MarketDb } from "./market-db.ts";
import { runReadOnlyQuery } from "./query.ts";

let db: MarketDb;
const dir = fs.mkdtempSync(path.join(os.tmpdir(), "ws-guard-"));
const secret = path.join(dir, "secret.txt");
const limits = { maxRows: 10, timeoutMs: 5000 };

beforeAll(async () => {
  fs.writeFileSync(secret, "api-key-123\n");
  fs.writeFileSync(path.join(dir, "x.csv"), "a\n1\n");
  db = await openMarketDb(dir);
});

afterAll(() => {
  db.conn.closeSync();
  db.instance.closeSync();
  fs.rmSync(dir, { recursive: true, force: true });
});

describe("read-only queries stay inside the store", () => {
  it("still answers queries over the store's tables, CTEs and generators", async () => {
    expect((await runReadOnlyQuery(db.conn, "SELECT count(*) AS n FROM trades", limits)).rows).toHaveLength(1);
    const r = await runReadOnlyQuery(db.conn, "WITH t AS (SELECT i FROM range(3) r(i)) SELECT sum(i) AS s FROM t, bars WHERE false OR true GROUP BY ALL", limits);
    expect(r.columns.map((c) => c.name)).toEqual(["s"]);
  });

  it.each([
    [`SELECT content FROM read_text('${secret}')`, /read_text/],
    [`SELECT * FROM '${path.join(dir, "x.csv")}'`, /only the store's tables/],
    [`SELECT * FROM read_csv('${path.join(dir, "x.csv")}')`, /read_csv/],
    ["SELECT * FROM glob('/etc/*')", /glob/],
    ["SELECT getenv('HOME') AS h", /getenv/],
    ["SELECT * FROM duckdb_settings()", /duckdb_settings/],
    [`SELECT * FROM trades UNION ALL SELECT * FROM read_parquet('${path.join(dir, "x.parquet")}')`, /read_parquet/],
    ["SELECT * FROM (SELECT * FROM information_schema.tables)", /only the store's tables/],
  ])("refuses %s", async (sql, message) => {
    await expect(runReadOnlyQuery(db.conn, sql, limits)).rejects.toThrow(message);
  });
});
