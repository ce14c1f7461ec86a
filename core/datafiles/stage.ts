/**
 * Staging: reads a CSV or Parquet file with DuckDB into a temporary table of normalized columns
 * (`t` = UTC ms, then open/high/low/close/volume or price/size/side/trade_id), checking every row.
 *
 * The file never passes through JS rows: DuckDB parses it (typed columns, rejected lines recorded
 * with their line numbers), and the checks are SQL over the staged table in file order (rowid):
 * unreadable times, missing values, bad values (see `values.ts`: not finite, negative, high below
 * low, an unknown trade side), then time order (bars strictly increasing, trades non-decreasing).
 * Strict mode stops at the first bad row with its line number; `skipBad`
 * deletes and counts bad rows instead.
 */
import fs from "node:fs";
import readline from "node:readline";
import zlib from "node:zlib";
import type { DuckDBConnection } from "@duckdb/node-api";
import { sqlIdent, sqlString } from "./duck.ts";
import { DataFileError, MAX_LINE_BYTES, tooLong, type DetectedLayout, type LayoutColumns } from "./layout.ts";
import { SIDE_WORDS, valueProblem } from "./values.ts";

/** Options of {@link stageFile}. */
export interface StageOptions {
  /** Name of the temp table to create (replaced if it exists). */
  table: string;
  /** Skip and count bad rows instead of failing. */
  skipBad?: boolean;
  /** Store prices and sizes as DECIMAL(38,18) parsed from text (exact) rather than DOUBLE. */
  exact?: boolean;
  /**
   * Bars files in strict mode: leave the time-order check (a window pass over every row) to the
   * caller, which reads the rows in file order anyway; it calls the result's `checkOrder` when
   * their times do not strictly increase, and that throws the first offending row's error.
   */
  deferOrderCheck?: boolean;
  /** Called with the fraction of the file read, while DuckDB reads it. */
  onProgress?: (fraction: number) => void;
  signal?: AbortSignal;
}

/** What {@link stageFile} produced. */
export interface StageResult {
  table: string;
  kind: "bars" | "trades";
  rows: number;
  skipped: number;
  /** First and last time (UTC ms), or null when no rows. */
  from: number | null;
  to: number | null;
  /** The deferred time-order check (`deferOrderCheck`): throws for the first row out of order; absent when it ran here. */
  checkOrder?: () => Promise<void>;
}

const REJECTS = "ws_rejects";
const REJECT_SCANS = "ws_reject_scans";
const BAR_VALUES = ["open", "high", "low", "close", "volume"] as const;

/** Source column reference (positional CSV columns are named c0, c1…). */
function ref(layout: DetectedLayout, column: string | number): string {
  return typeof column === "number" ? sqlIdent(`c${column}`) : layout.format === "csv" ? sqlIdent(`c${layout.csv!.names.indexOf(column)}`) : sqlIdent(column);
}

/** Position of a role's column in a CSV, or -1. */
function csvIndex(layout: DetectedLayout, column: string | number | undefined): number {
  if (column === undefined) return -1;
  return typeof column === "number" ? column : layout.csv!.names.indexOf(column);
}

/** The `read_csv(...)` call with a type per column. */
function csvSource(file: string, layout: DetectedLayout, numType: string): string {
  const csv = layout.csv!;
  const c = layout.columns;
  const numeric = new Set([c.open, c.high, c.low, c.close, c.volume, c.price, c.size].map((x) => csvIndex(layout, x)));
  const timeIdx = csvIndex(layout, c.time);
  const timeType = layout.timeUnit === "iso" ? "VARCHAR" : layout.timeUnit === "us" || layout.timeUnit === "ns" ? "BIGINT" : "DOUBLE";
  // Exact decimals are read as text and converted by exactDecimal(): DuckDB's own text →
  // DECIMAL(38,18) parse costs microseconds a value.
  const textNumbers = numType !== "DOUBLE";
  const types = Array.from({ length: csv.columnCount }, (_, i) => (i === timeIdx ? timeType : numeric.has(i) && !textNumbers ? numType : "VARCHAR"));
  const columns = types.map((t, i) => `'c${i}': '${t}'`).join(", ");
  return (
    `read_csv(${sqlString(file)}, auto_detect = false, header = ${csv.header}, delim = ${sqlString(csv.delimiter)}, ` +
    `quote = '"', escape = '"', max_line_size = ${MAX_LINE_BYTES + 1}, columns = {${columns}}, store_rejects = true, rejects_table = '${REJECTS}', rejects_scan = '${REJECT_SCANS}')`
  );
}

/** SQL turning the source time column into UTC ms (NULL when unreadable). */
function timeExpr(layout: DetectedLayout): string {
  const col = ref(layout, layout.columns.time);
  const type = layout.types?.[String(layout.columns.time)] ?? "";
  if (/^DATE$/.test(type)) return `epoch_ms(CAST(${col} AS TIMESTAMP))`;
  if (/TIMESTAMP/.test(type)) return `epoch_ms(${col})`;
  switch (layout.timeUnit) {
    case "iso":
      return `epoch_ms(try_cast(${col} AS TIMESTAMPTZ))`;
    case "s":
      return `CAST(round(${col} * 1000) AS BIGINT)`;
    case "ms":
      return `CAST(floor(${col}) AS BIGINT)`;
    case "us":
      return `CAST(${col} AS BIGINT) // 1000`;
    case "ns":
      return `CAST(${col} AS BIGINT) // 1000000`;
  }
}

/**
 * Text → DECIMAL(38,18) without rounding, fast: values with at most 9 integer and 9 fraction
 * digits (almost every price and size) go through DECIMAL(18,9), which DuckDB parses ~100× faster,
 * then widen exactly; anything else takes the full parse. NULL when the text is not a number.
 */
export function exactDecimal(col: string): string {
  const dot = `strpos(${col}, '.')`;
  const small = `(length(${col}) <= 19 AND NOT contains(${col}, 'e') AND NOT contains(${col}, 'E') AND ((${dot} = 0 AND length(${col}) <= 9) OR (${dot} BETWEEN 1 AND 10 AND length(${col}) - ${dot} <= 9)))`;
  return `CASE WHEN ${small} THEN TRY_CAST(TRY_CAST(${col} AS DECIMAL(18,9)) AS DECIMAL(38,18)) ELSE TRY_CAST(${col} AS DECIMAL(38,18)) END`;
}

function valueExpr(layout: DetectedLayout, column: string | number | undefined, numType: string, fallback = "NULL", staging = false): string {
  if (column === undefined) return `CAST(${fallback} AS ${numType})`;
  const col = ref(layout, column);
  if (layout.format !== "csv") {
    // A binary FLOAT/DOUBLE price (Parquet) becomes an exact decimal through its shortest round-trip
    // text (43120.07 stays 43120.07), never through the binary value's full expansion; exact types cast directly.
    // Staging tries the cast (NaN, inf and out-of-range values become NULL), so the checks name the row.
    const binary = /^(DOUBLE|FLOAT|REAL)$/i.test(layout.types?.[String(column)] ?? "");
    const cast = staging ? "TRY_CAST" : "CAST";
    return numType !== "DOUBLE" && binary ? `${cast}(CAST(${col} AS VARCHAR) AS ${numType})` : `${cast}(${col} AS ${numType})`;
  }
  return numType === "DOUBLE" ? col : exactDecimal(col);
}

function sideExpr(layout: DetectedLayout, c: LayoutColumns): string {
  if (c.buyerMaker !== undefined) return `CASE WHEN lower(CAST(${ref(layout, c.buyerMaker)} AS VARCHAR)) = 'true' THEN 'sell' ELSE 'buy' END`;
  if (c.side === undefined) return "CAST(NULL AS VARCHAR)";
  const s = `lower(trim(CAST(${ref(layout, c.side)} AS VARCHAR)))`;
  const list = (words: readonly string[]): string => words.map(sqlString).join(", ");
  return `CASE WHEN ${s} IN (${list(SIDE_WORDS.buy)}) THEN 'buy' WHEN ${s} IN (${list(SIDE_WORDS.sell)}) THEN 'sell' ELSE NULL END`;
}

/**
 * The SELECT list producing normalized columns from a source read with the layout's column names
 * (`t`, then open…volume or price, size, side, trade_id). `withRaw` is for staging (checked) reads:
 * it adds the source text of the time (`t_raw`, ISO times) and of the side (`side_raw`), and
 * unconvertible Parquet values become NULL instead of failing the read.
 */
export function projection(layout: DetectedLayout, numType: string, withRaw = true): string {
  const c = layout.columns;
  let raw = withRaw && layout.timeUnit === "iso" ? `, CAST(${ref(layout, c.time)} AS VARCHAR) AS t_raw` : "";
  if (layout.kind === "trades") {
    const sideColumn = c.buyerMaker ?? c.side;
    if (withRaw && sideColumn !== undefined) raw += `, CAST(${ref(layout, sideColumn)} AS VARCHAR) AS side_raw`;
    const id = c.id === undefined ? "CAST(NULL AS VARCHAR)" : `CAST(${ref(layout, c.id)} AS VARCHAR)`;
    const price = valueExpr(layout, c.price, numType, "NULL", withRaw);
    const size = valueExpr(layout, c.size, numType, "NULL", withRaw);
    return `${timeExpr(layout)} AS t, ${price} AS price, ${size} AS size, ${sideExpr(layout, c)} AS side, ${id} AS trade_id${raw}`;
  }
  const values = BAR_VALUES.map((k) => `${valueExpr(layout, c[k], numType, k === "volume" ? "0" : "NULL", withRaw)} AS ${k}`);
  return `${timeExpr(layout)} AS t, ${values.join(", ")}${raw}`;
}

/** Runs a statement while reporting DuckDB's query progress; interrupts it on abort. */
async function runWithProgress(conn: DuckDBConnection, sql: string, opts: StageOptions): Promise<void> {
  const onAbort = (): void => conn.interrupt();
  opts.signal?.addEventListener("abort", onAbort, { once: true });
  const timer = opts.onProgress
    ? setInterval(() => {
        const pct = conn.progress.percentage;
        if (pct >= 0) opts.onProgress!(Math.min(1, pct / 100));
      }, 250)
    : null;
  try {
    await conn.run(sql);
  } catch (err) {
    if (opts.signal?.aborted) throw new DataFileError("cancelled");
    throw err;
  } finally {
    if (timer) clearInterval(timer);
    opts.signal?.removeEventListener("abort", onAbort);
  }
}

/** Maps a staged rowid to its file line, given the sorted lines DuckDB rejected. */
function lineOf(rowid: number, layout: DetectedLayout, rejected: number[]): string {
  if (layout.format !== "csv") return `row ${rowid + 1}`;
  let line = rowid + 1 + (layout.csv!.header ? 1 : 0);
  for (const r of rejected) if (r <= line) line++;
  return `line ${line}`;
}

/** Reads and checks a file into a temp table; throws {@link DataFileError} on the first bad row unless skipping. */
export async function stageFile(conn: DuckDBConnection, file: string, layout: DetectedLayout, opts: StageOptions): Promise<StageResult> {
  const numType = opts.exact ? "DECIMAL(38,18)" : "DOUBLE";
  const table = sqlIdent(opts.table);
  await conn.run(`DROP TABLE IF EXISTS ${REJECTS}; DROP TABLE IF EXISTS ${REJECT_SCANS}`);
  const source = layout.format === "csv" ? csvSource(file, layout, numType) : `read_parquet(${sqlString(file)})`;
  try {
    await runWithProgress(conn, `CREATE OR REPLACE TEMP TABLE ${table} AS SELECT ${projection(layout, numType)} FROM ${source}`, opts);
  } catch (err) {
    if (err instanceof DataFileError) throw err;
    throw new DataFileError(`${file}: ${(err as Error).message.split("\n")[0]}`);
  }
  const rejected = layout.format === "csv" ? await checkRejects(conn, file, layout, opts) : { lines: [], count: 0 };
  const ctx: CheckContext = { conn, file, layout, table, rejected: rejected.lines, skipBad: opts.skipBad === true };
  let skipped = rejected.count;
  skipped += await checkRows(ctx, "t IS NULL", (row) => badTimeMessage(layout, row));
  const required = layout.kind === "trades" ? ["price", "size"] : ["open", "high", "low", "close", "volume"];
  skipped += await checkRows(ctx, required.map((k) => `${k} IS NULL`).join(" OR "), () => `a value is missing or not a number (${required.join(", ")} are required)`);
  const problem = valueProblem(layout);
  skipped += await checkRows(ctx, `(${problem}) IS NOT NULL`, (row) => String(row.problem), problem);
  const cmp = layout.kind === "trades" ? "<" : "<=";
  const order = `rowid IN (SELECT rowid FROM (SELECT rowid, t, max(t) OVER (ORDER BY rowid ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING) AS prev FROM ${table}) WHERE t ${cmp} prev)`;
  const checkOrder = (): Promise<number> => checkRows(ctx, order, (row) => orderMessage(layout, row));
  const defer = opts.deferOrderCheck === true && !ctx.skipBad && layout.kind !== "trades";
  if (!defer) skipped += await checkOrder();
  const stats = await conn.runAndReadAll(`SELECT count(*)::DOUBLE, min(t)::DOUBLE, max(t)::DOUBLE FROM ${table}`);
  const [rows, from, to] = stats.getRows()[0] as [number, number | null, number | null];
  if (rows === 0) throw new DataFileError(skipped > 0 ? `${file}: no valid rows (${skipped} bad rows skipped)` : `${file}: the file has no data rows`);
  const deferred = defer ? { checkOrder: async (): Promise<void> => void (await checkOrder()) } : {};
  return { table: opts.table, kind: layout.kind === "trades" ? "trades" : "bars", rows, skipped, from, to, ...deferred };
}

interface CheckContext {
  conn: DuckDBConnection;
  file: string;
  layout: DetectedLayout;
  table: string;
  rejected: number[];
  skipBad: boolean;
}

/**
 * Finds rows matching `where`: throws for the first (strict) or deletes them all and returns the
 * count. `problem`, when given, is selected for `describe` as `row.problem`.
 */
async function checkRows(ctx: CheckContext, where: string, describe: (row: Record<string, unknown>) => string, problem?: string): Promise<number> {
  const { conn, table } = ctx;
  if (ctx.skipBad) {
    const res = await conn.run(`DELETE FROM ${table} WHERE ${where}`);
    return res.rowsChanged;
  }
  const raw = `${ctx.layout.timeUnit === "iso" ? ", t_raw" : ""}${problem ? `, ${problem} AS problem` : ""}`;
  const found = await conn.runAndReadAll(`SELECT rowid::DOUBLE AS rowid, t::DOUBLE AS t${raw} FROM ${table} WHERE ${where} ORDER BY rowid LIMIT 1`);
  const row = found.getRowObjectsJS()[0];
  if (!row) return 0;
  const where2 = lineOf(Number(row.rowid), ctx.layout, ctx.rejected);
  const text = ctx.layout.format === "csv" ? await lineText(ctx.file, Number(where2.slice(5))) : null;
  throw new DataFileError(`${ctx.file}: ${where2}: ${describe(row)}${text === null ? "" : ` (line: ${JSON.stringify(text)})`}`);
}

function badTimeMessage(layout: DetectedLayout, row: Record<string, unknown>): string {
  if (layout.timeUnit === "iso") {
    return row.t_raw === null ? `the time (${layout.timeColumn}) is empty` : `the time "${String(row.t_raw)}" in ${layout.timeColumn} is not a valid date/time`;
  }
  return `the time (${layout.timeColumn}) is empty or not a number`;
}

function orderMessage(layout: DetectedLayout, row: Record<string, unknown>): string {
  const iso = new Date(Number(row.t)).toISOString();
  return layout.kind === "trades"
    ? `time ${iso} is earlier than the row before it (rows must be sorted by time)`
    : `time ${iso} is not after the row before it (bar times must be sorted and unique)`;
}

/** Reads DuckDB's rejected lines: throws for the first (strict), else returns their lines and count. */
async function checkRejects(conn: DuckDBConnection, file: string, layout: DetectedLayout, opts: StageOptions): Promise<{ lines: number[]; count: number }> {
  const reader = await conn.runAndReadAll(
    `SELECT line::DOUBLE AS line, column_name, error_type, csv_line, error_message FROM ${REJECTS} ORDER BY line`,
  );
  const rows = reader.getRowObjectsJS() as { line: number; column_name: string; error_type: string; csv_line: string; error_message: string }[];
  const lines = [...new Set(rows.map((r) => r.line))];
  const first = rows[0];
  if (first && !opts.skipBad) {
    const index = Number(/^c(\d+)$/.exec(first.column_name)?.[1] ?? -1);
    const name = layout.csv!.names[index] ?? first.column_name;
    if (first.error_type === "LINE SIZE OVER MAXIMUM") throw tooLong(file, first.line);
    const what = first.error_type === "CAST" ? `column ${name}: ${castMessage(first.error_message)}` : first.error_message;
    throw new DataFileError(`${file}: line ${first.line}: ${what} (line: ${JSON.stringify(clip(first.csv_line.trim()))})`);
  }
  return { lines, count: lines.length };
}

function castMessage(message: string): string {
  const m = /Could not convert string "(.*)" to '(.*)'/.exec(message);
  if (!m) return message;
  return /DOUBLE|DECIMAL|INT/.test(m[2]!) ? `"${m[1]}" is not a number` : `cannot read "${m[1]}" as ${m[2]}`;
}

/** A line shown in a message: its first 200 characters. */
function clip(text: string): string {
  return text.length > 200 ? `${text.slice(0, 200)}…` : text;
}

/** The text of one line of a (possibly gzipped) file, read only on error; null past the end. */
async function lineText(file: string, line: number): Promise<string | null> {
  const raw = fs.createReadStream(file);
  const input = file.endsWith(".gz") ? raw.pipe(zlib.createGunzip()) : raw;
  const lines = readline.createInterface({ input, crlfDelay: Infinity });
  let n = 0;
  try {
    for await (const text of lines) if (++n === line) return clip(text);
    return null;
  } finally {
    lines.close();
    raw.destroy();
  }
}
