/**
 * What the import dialog shows before anything is stored: the detected layout and the first rows
 * of a CSV or Parquet file (CSV from its first bytes only, gunzipped when it ends in .gz; Parquet
 * through DuckDB with a LIMIT). Detection refuses binary, empty and unknown files with a clear
 * {@link DataFileError}, as an import would.
 */
import fs from "node:fs";
import zlib from "node:zlib";
import { detectLayout } from "./detect.ts";
import { openMemoryDuck, sqlString } from "./duck.ts";
import { splitCsvLine, type DetectedLayout } from "./layout.ts";

/** Rows shown in a preview, besides the header. */
export const PREVIEW_ROWS = 5;
const PREVIEW_BYTES = 64 * 1024;

/** A file's layout and first rows. */
export interface FilePreview {
  layout: DetectedLayout;
  /** Column names (the header, or "column N"). */
  columns: string[];
  /** The first rows as text. */
  rows: string[][];
}

async function csvRows(file: string, layout: DetectedLayout): Promise<string[][]> {
  const raw = fs.createReadStream(file, { start: 0, end: PREVIEW_BYTES - 1 });
  const stream = file.endsWith(".gz") ? raw.pipe(zlib.createGunzip()) : raw;
  const parts: Buffer[] = [];
  try {
    for await (const chunk of stream as AsyncIterable<Buffer>) parts.push(chunk);
  } catch {
    // A gzip stream cut at PREVIEW_BYTES ends early: what was read is enough.
  } finally {
    raw.destroy();
  }
  const lines = Buffer.concat(parts).toString("utf8").replace(/^\uFEFF/, "").split(/\r?\n/).filter((l) => l.trim() !== "");
  const csv = layout.csv!;
  return lines.slice(csv.header ? 1 : 0, (csv.header ? 1 : 0) + PREVIEW_ROWS).map((l) => splitCsvLine(l, csv.delimiter));
}

async function parquetRows(file: string): Promise<{ columns: string[]; rows: string[][] }> {
  const duck = await openMemoryDuck();
  try {
    const r = await duck.conn.runAndReadAll(`SELECT * FROM read_parquet(${sqlString(file)}) LIMIT ${PREVIEW_ROWS}`);
    return { columns: r.columnNames(), rows: r.getRowsJson().map((row) => row.map((v) => (v === null ? "" : String(v)))) };
  } finally {
    duck.close();
  }
}

/** Detects `file`'s layout and reads its first rows. */
export async function previewFile(file: string): Promise<FilePreview> {
  const layout = await detectLayout(file);
  if (layout.format === "parquet") return { layout, ...(await parquetRows(file)) };
  return { layout, columns: layout.csv?.names ?? [], rows: await csvRows(file, layout) };
}
