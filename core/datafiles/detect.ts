/**
 * Detects the layout of a CSV or Parquet market-data file: CSV from its first lines (read from
 * disk, gzip-aware, never the whole file), Parquet from its schema and first row through DuckDB.
 * A line longer than {@link MAX_LINE_BYTES} is refused here (header or first row) or by DuckDB.
 */
import fs from "node:fs";
import zlib from "node:zlib";
import type { DuckDBConnection } from "@duckdb/node-api";
import { openMemoryDuck, sqlString } from "./duck.ts";
import {
  DataFileError,
  MAX_LINE_BYTES,
  guessDelimiter,
  tooLong,
  isNumeric,
  layoutFromHeaderless,
  layoutFromNames,
  splitCsvLine,
  type DetectedLayout,
} from "./layout.ts";

/** Enough for a header and a first row of the longest allowed lines, with their line ends. */
const HEAD_BYTES = 2 * MAX_LINE_BYTES + 4;

/** Whether a file is Parquet (by extension or the PAR1 magic). */
export function isParquet(file: string): boolean {
  if (/\.(parquet|pq)$/i.test(file)) return true;
  const fd = fs.openSync(file, "r");
  try {
    const buf = Buffer.alloc(4);
    fs.readSync(fd, buf, 0, 4, 0);
    return buf.toString("latin1") === "PAR1";
  } finally {
    fs.closeSync(fd);
  }
}

/** The first non-blank lines of a text file (gunzipped when it ends in .gz), read up to {@link HEAD_BYTES}. */
async function readHeadLines(file: string): Promise<string[]> {
  const raw = fs.createReadStream(file, { start: 0, end: HEAD_BYTES - 1 });
  const stream = file.endsWith(".gz") ? raw.pipe(zlib.createGunzip()) : raw;
  const parts: Buffer[] = [];
  let size = 0;
  try {
    for await (const chunk of stream as AsyncIterable<Buffer>) {
      parts.push(chunk);
      size += chunk.length;
      if (size >= HEAD_BYTES) break;
    }
  } catch (err) {
    if (parts.length === 0) throw new DataFileError(`${file}: cannot read: ${(err as Error).message}`);
  } finally {
    raw.destroy();
  }
  const head = Buffer.concat(parts);
  if (head.includes(0)) throw new DataFileError(`${file}: binary data: not a CSV (text) or Parquet file`);
  const text = head.toString("utf8").replace(/^\uFEFF/, "");
  const lines = text.split(/\r?\n/);
  if (size >= HEAD_BYTES) lines.pop();
  const kept: string[] = [];
  for (const [i, line] of lines.entries()) {
    if (line.trim() === "") continue;
    if (kept.length < 2 && Buffer.byteLength(line) > MAX_LINE_BYTES) throw tooLong(file, i + 1);
    kept.push(line);
  }
  // Cut off before the second line ended: that line (the header or the first row) is too long.
  if (size >= HEAD_BYTES && kept.length < 2) throw tooLong(file, lines.length + 1);
  return kept;
}

/** Detects a CSV layout from its head. */
export async function detectCsv(file: string): Promise<DetectedLayout> {
  const lines = await readHeadLines(file);
  if (lines.length === 0) throw new DataFileError(`${file}: the file is empty`);
  const delimiter = guessDelimiter(lines[0]!);
  const first = splitCsvLine(lines[0]!, delimiter);
  const hasHeader = !first.some(isNumeric);
  if (!hasHeader) {
    const found = layoutFromHeaderless(file, first);
    const names = first.map((_, i) => `column ${i + 1}`);
    return { format: "csv", ...found, csv: { header: false, delimiter, columnCount: first.length, names } };
  }
  const names = first.map((n) => n.trim());
  if (lines.length < 2) throw new DataFileError(`${file}: the file has a header but no data rows`);
  const second = splitCsvLine(lines[1]!, delimiter);
  const found = layoutFromNames(file, names, (column) => second[names.indexOf(column)]?.trim());
  return { format: "csv", ...found, csv: { header: true, delimiter, columnCount: names.length, names } };
}

/** Detects a Parquet layout from its schema. */
export async function detectParquet(file: string, conn?: DuckDBConnection): Promise<DetectedLayout> {
  const own = conn ? null : await openMemoryDuck();
  const c = conn ?? own!.conn;
  try {
    const schema = await c.runAndReadAll(`DESCRIBE SELECT * FROM read_parquet(${sqlString(file)})`);
    const rows = schema.getRowObjectsJson() as { column_name: string; column_type: string }[];
    const names = rows.map((r) => r.column_name);
    const types = Object.fromEntries(rows.map((r) => [r.column_name, r.column_type]));
    const first = await c.runAndReadAll(`SELECT * FROM read_parquet(${sqlString(file)}) LIMIT 1`);
    if (first.currentRowCount === 0) throw new DataFileError(`${file}: the file has no rows`);
    const row = first.getRowObjectsJson()[0] ?? {};
    const found = layoutFromNames(file, names, (column) => {
      const type = types[column] ?? "";
      if (/TIMESTAMP|DATE/.test(type)) return undefined;
      const v = row[column];
      return v === null || v === undefined ? undefined : String(v);
    });
    return { format: "parquet", ...found, types };
  } catch (err) {
    if (err instanceof DataFileError) throw err;
    throw new DataFileError(`${file}: not a readable Parquet file: ${(err as Error).message.split("\n")[0]}`);
  } finally {
    own?.close();
  }
}

/** Detects the layout of a CSV or Parquet file; throws {@link DataFileError} with a clear message. */
export async function detectLayout(file: string, conn?: DuckDBConnection): Promise<DetectedLayout> {
  let stat: fs.Stats;
  try {
    stat = fs.statSync(file);
  } catch {
    throw new DataFileError(`${file}: no such file`);
  }
  if (!stat.isFile()) throw new DataFileError(`${file}: not a file`);
  if (stat.size === 0) throw new DataFileError(`${file}: the file is empty`);
  return isParquet(file) ? detectParquet(file, conn) : detectCsv(file);
}
