/**
 * The DuckDB instance user SQL runs in: a fresh in-memory instance per query that attaches a market
 * database file READ_ONLY (core's per-query snapshot, or the store's own file when no core runs),
 * defines the views `parquet_trades` and `parquet_bars` over the registered Parquet sources, allows
 * exactly those Parquet files (`allowed_paths`), then disables external access, extension loading
 * and installing, and locks its configuration. Whatever the statement, DuckDB itself then refuses
 * to open any other file, URL or extension, or to change a setting back; its memory is capped
 * (`memory_limit`, no spilling to disk).
 */
import { DuckDBInstance, type DuckDBConnection } from "@duckdb/node-api";
import { projection, type DetectedLayout } from "../datafiles/index.ts";
import { sqlString } from "../datafiles/duck.ts";
import { MONEY } from "./market-db.ts";

/** Names of the views over the registered Parquet sources. */
export const PARQUET_VIEWS = ["parquet_trades", "parquet_bars"] as const;

/** An open sandbox: one connection (the views are temporary, so they live on it). */
export interface QuerySandbox {
  conn: DuckDBConnection;
  /** Tables and views a query may name (lower case). */
  readable: Set<string>;
  close(): void;
}

interface SourceRow {
  venue: string;
  symbol: string;
  kind: "trades" | "bars";
  path: string;
  layout: DetectedLayout & { tfMs?: number | null };
}

const EMPTY = {
  trades: `SELECT NULL::VARCHAR AS venue, NULL::VARCHAR AS symbol, NULL::BIGINT AS ts, NULL::${MONEY} AS price, NULL::${MONEY} AS size, NULL::VARCHAR AS side, NULL::VARCHAR AS trade_id WHERE false`,
  bars: "SELECT NULL::VARCHAR AS venue, NULL::VARCHAR AS symbol, NULL::BIGINT AS tf_ms, NULL::BIGINT AS ts, NULL::DOUBLE AS open, NULL::DOUBLE AS high, NULL::DOUBLE AS low, NULL::DOUBLE AS close, NULL::DOUBLE AS volume WHERE false",
};

async function sources(conn: DuckDBConnection): Promise<SourceRow[]> {
  const exists = await conn.runAndReadAll("SELECT count(*)::INTEGER FROM information_schema.tables WHERE table_catalog = 'market' AND table_schema = 'main' AND table_name = 'parquet_sources'");
  if (exists.getRows()[0]![0] === 0) return [];
  const rows = (await conn.runAndReadAll("SELECT venue, symbol, kind, path, layout FROM market.main.parquet_sources ORDER BY id")).getRowObjectsJS();
  return rows.map((r) => ({ venue: String(r.venue), symbol: String(r.symbol), kind: r.kind === "trades" ? "trades" : "bars", path: String(r.path), layout: JSON.parse(String(r.layout)) as SourceRow["layout"] }));
}

function sourceSelect(src: SourceRow, files: string[]): string {
  const read = `read_parquet([${files.map(sqlString).join(", ")}], union_by_name = true)`;
  const who = `${sqlString(src.venue)} AS venue, ${sqlString(src.symbol)} AS symbol`;
  if (src.kind === "trades") return `SELECT ${who}, t AS ts, price, size, side, trade_id FROM (SELECT ${projection(src.layout, MONEY, false)} FROM ${read})`;
  return `SELECT ${who}, ${src.layout.tfMs ?? 0}::BIGINT AS tf_ms, t AS ts, open, high, low, close, volume FROM (SELECT ${projection(src.layout, "DOUBLE", false)} FROM ${read})`;
}

/** Creates the Parquet views; returns the files they read. A source whose files are gone or unreadable is left out. */
async function createParquetViews(conn: DuckDBConnection): Promise<string[]> {
  const parts = { trades: [EMPTY.trades], bars: [EMPTY.bars] };
  const allowed: string[] = [];
  for (const src of await sources(conn)) {
    try {
      const files = (await conn.runAndReadAll(`SELECT file FROM glob(${sqlString(src.path)}) ORDER BY file`)).getRows().map((r) => String(r[0]));
      if (files.length === 0) continue;
      const select = sourceSelect(src, files);
      await conn.run(`SELECT * FROM (${select}) LIMIT 0`);
      parts[src.kind].push(select);
      allowed.push(...files);
    } catch {
      // Left out: the views show what can be read.
    }
  }
  await conn.run(`CREATE TEMP VIEW parquet_trades AS ${parts.trades.join(" UNION ALL ")}`);
  await conn.run(`CREATE TEMP VIEW parquet_bars AS ${parts.bars.join(" UNION ALL ")}`);
  return allowed;
}

async function lockDown(conn: DuckDBConnection, allowedFiles: string[]): Promise<void> {
  await conn.run(`SET allowed_paths = [${allowedFiles.map(sqlString).join(", ")}]`);
  await conn.run("SET enable_external_access = false");
  await conn.run("SET lock_configuration = true");
}

/** Opens a locked-down instance over `databaseFile` (attached READ_ONLY as `market`). */
export async function openQuerySandbox(databaseFile: string, memoryLimitBytes: number): Promise<QuerySandbox> {
  const instance = await DuckDBInstance.create(":memory:", {
    memory_limit: `${Math.max(16, Math.floor(memoryLimitBytes / (1 << 20)))}MiB`,
    temp_directory: "",
    autoload_known_extensions: "false",
    autoinstall_known_extensions: "false",
    allow_community_extensions: "false",
    allow_persistent_secrets: "false",
  });
  const conn = await instance.connect();
  const close = (): void => {
    conn.closeSync();
    instance.closeSync();
  };
  try {
    await conn.run(`ATTACH ${sqlString(databaseFile)} AS market (READ_ONLY)`);
    await conn.run("USE market");
    await conn.run("SET TimeZone = 'UTC'");
    await lockDown(conn, await createParquetViews(conn));
    const tables = (await conn.runAndReadAll("SELECT table_name FROM information_schema.tables WHERE table_catalog = 'market' AND table_schema = 'main'")).getRows();
    const readable = new Set([...tables.map((r) => String(r[0]).toLowerCase()), ...PARQUET_VIEWS]);
    return { conn, readable, close };
  } catch (err) {
    close();
    throw err;
  }
}
