/**
 * Layout recognition for market-data files, from column names (and, for header-less CSV, from the
 * shape of the first row). Pure: callers read the file head or the Parquet schema and pass the
 * names and a sample of the time column in.
 *
 * Recognized layouts:
 * - generic OHLCV: a time column plus open/high/low/close and optionally volume (any case; the
 *   Yahoo-style `Date,Open,High,Low,Close,Adj Close,Volume` is one of them; Adj Close is ignored);
 * - Binance public-data klines: no header, 12 numeric columns, open time in ms or µs;
 * - trades: time, price, size (qty/quantity/amount/volume), optional side and id;
 * - Binance public-data trades: no header, id,price,qty,quote_qty,time,is_buyer_maker[,best_match].
 */

/** What a data file holds and how its time column is written. */
export interface DetectedLayout {
  format: "csv" | "parquet";
  kind: "ohlcv" | "binance_klines" | "trades";
  /** The time column's name in the file ("column N" for header-less CSV). */
  timeColumn: string;
  /** "iso" covers ISO-8601 text and native DATE/TIMESTAMP columns. */
  timeUnit: "iso" | "s" | "ms" | "us" | "ns";
  /** Human-readable, e.g. "Yahoo-style daily OHLCV (Date,Open,High,Low,Close,Adj Close,Volume)". */
  description: string;
  /** Source column of each role: a header name, or a 0-based position for header-less CSV. */
  columns: LayoutColumns;
  /** CSV only: whether the first line is a header, the delimiter and the column count. */
  csv?: { header: boolean; delimiter: string; columnCount: number; names: string[] };
  /** Parquet only: the DuckDB type of each source column used. */
  types?: Record<string, string>;
}

/** Role → source column (name or 0-based index). */
export interface LayoutColumns {
  time: string | number;
  open?: string | number;
  high?: string | number;
  low?: string | number;
  close?: string | number;
  volume?: string | number;
  price?: string | number;
  size?: string | number;
  side?: string | number;
  /** Binance trades: true when the buyer was the maker (the taker sold). */
  buyerMaker?: string | number;
  id?: string | number;
}

/** The longest CSV line accepted (bytes, without the line end); longer lines are refused with this limit named. */
export const MAX_LINE_BYTES = 64 * 1024;

/** A file that cannot be used, with a message meant for the user. */
export class DataFileError extends Error {
  override name = "DataFileError";
}

/** The error for a CSV line longer than {@link MAX_LINE_BYTES}. */
export function tooLong(file: string, line: number): DataFileError {
  return new DataFileError(`${file}: line ${line} is longer than ${MAX_LINE_BYTES} bytes, the longest line a CSV file may have`);
}

const ALIASES: Record<Exclude<keyof LayoutColumns, "buyerMaker">, string[]> = {
  time: ["time", "timestamp", "date", "datetime", "date_time", "open_time", "opentime", "ts", "t", "time_ms", "unix"],
  open: ["open", "o"],
  high: ["high", "h"],
  low: ["low", "l"],
  close: ["close", "c"],
  volume: ["volume", "vol", "v", "base_volume"],
  price: ["price", "p", "px"],
  size: ["size", "qty", "quantity", "amount", "volume", "vol", "q"],
  side: ["side", "taker_side", "aggressor"],
  id: ["id", "trade_id", "tradeid", "tid"],
};

/** Lower-case, trimmed, spaces and dashes as underscores. */
export function normalizeName(name: string): string {
  return name.trim().replace(/^["']|["']$/g, "").trim().toLowerCase().replace(/[\s-]+/g, "_");
}

function findColumn(names: string[], role: keyof typeof ALIASES): string | undefined {
  const normalized = names.map(normalizeName);
  for (const alias of ALIASES[role]) {
    const i = normalized.indexOf(alias);
    if (i >= 0) return names[i];
  }
  return undefined;
}

/** Unit of an epoch number by magnitude (dates between 1973 and 2286). */
export function epochUnit(value: number): "s" | "ms" | "us" | "ns" {
  const abs = Math.abs(value);
  if (abs < 1e11) return "s";
  if (abs < 1e14) return "ms";
  if (abs < 1e17) return "us";
  return "ns";
}

const NUMBER = /^[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?$/;

/** Whether a CSV field is a plain number. */
export function isNumeric(field: string): boolean {
  return NUMBER.test(field.trim());
}

/** Time unit from a sample value of the time column (text). */
export function unitFromSample(sample: string | undefined): DetectedLayout["timeUnit"] {
  if (sample === undefined || !isNumeric(sample)) return "iso";
  return epochUnit(Number(sample));
}

/** Recognizes a layout from column names; throws {@link DataFileError} listing what it found. */
export function layoutFromNames(
  file: string,
  names: string[],
  sampleTime: (column: string) => string | undefined,
): Pick<DetectedLayout, "kind" | "timeColumn" | "timeUnit" | "description" | "columns"> {
  const time = findColumn(names, "time");
  const roles = {
    open: findColumn(names, "open"),
    high: findColumn(names, "high"),
    low: findColumn(names, "low"),
    close: findColumn(names, "close"),
  };
  const expected = "expected a time column (Date, time, timestamp, open_time…) with Open,High,Low,Close[,Volume] or price,size[,side,id]";
  if (!time) throw new DataFileError(`${file}: no time column among ${names.join(",")}; ${expected}`);
  const timeUnit = unitFromSample(sampleTime(time));
  if (roles.open && roles.high && roles.low && roles.close) {
    const volume = findColumn(names, "volume");
    const columns: LayoutColumns = { time, ...roles, ...(volume ? { volume } : {}) };
    const yahoo = names.some((n) => normalizeName(n) === "adj_close") && normalizeName(time) === "date";
    const what = yahoo ? "Yahoo-style daily OHLCV" : `OHLCV with ${unitText(timeUnit)} times`;
    return { kind: "ohlcv", timeColumn: time, timeUnit, columns, description: `${what} (${names.join(",")})` };
  }
  const price = findColumn(names, "price");
  const size = findColumn(names, "size");
  if (price && size) {
    const side = findColumn(names, "side");
    const id = findColumn(names, "id");
    const columns: LayoutColumns = { time, price, size, ...(side ? { side } : {}), ...(id ? { id } : {}) };
    return { kind: "trades", timeColumn: time, timeUnit, columns, description: `trades with ${unitText(timeUnit)} times (${names.join(",")})` };
  }
  throw new DataFileError(`${file}: cannot recognize the columns ${names.join(",")}; ${expected}`);
}

/** Recognizes a header-less CSV from its first row. */
export function layoutFromHeaderless(
  file: string,
  first: string[],
): Pick<DetectedLayout, "kind" | "timeColumn" | "timeUnit" | "description" | "columns"> {
  const numeric = first.map(isNumeric);
  if (first.length === 12 && numeric.every(Boolean)) {
    const timeUnit = epochUnit(Number(first[0]));
    const columns: LayoutColumns = { time: 0, open: 1, high: 2, low: 3, close: 4, volume: 5 };
    return { kind: "binance_klines", timeColumn: "column 1", timeUnit, columns, description: `Binance klines (no header, 12 columns, ${unitText(timeUnit)} open times)` };
  }
  const bool = (s: string | undefined): boolean => s !== undefined && /^(true|false)$/i.test(s.trim());
  if ((first.length === 6 || first.length === 7) && numeric.slice(0, 5).every(Boolean) && bool(first[5])) {
    const timeUnit = epochUnit(Number(first[4]));
    const columns: LayoutColumns = { time: 4, price: 1, size: 2, buyerMaker: 5, id: 0 };
    return { kind: "trades", timeColumn: "column 5", timeUnit, columns, description: `Binance trades (no header, ${first.length} columns, ${unitText(timeUnit)} times)` };
  }
  if (first.length === 6 && numeric.slice(1).every(Boolean)) {
    const timeUnit = unitFromSample(first[0]);
    const columns: LayoutColumns = { time: 0, open: 1, high: 2, low: 3, close: 4, volume: 5 };
    return { kind: "ohlcv", timeColumn: "column 1", timeUnit, columns, description: `OHLCV without header (time,open,high,low,close,volume; ${unitText(timeUnit)} times)` };
  }
  throw new DataFileError(
    `${file}: the first line has no header and does not look like Binance klines (12 numeric columns) or trades; found ${first.length} columns: ${first.join(",")}`,
  );
}

function unitText(unit: DetectedLayout["timeUnit"]): string {
  return { iso: "ISO date/time", s: "epoch-second", ms: "epoch-ms", us: "epoch-µs", ns: "epoch-ns" }[unit];
}

/** Splits one CSV line (double quotes, "" escapes). */
export function splitCsvLine(line: string, delimiter: string): string[] {
  const fields: string[] = [];
  let field = "";
  let quoted = false;
  for (let i = 0; i < line.length; i++) {
    const ch = line[i]!;
    if (quoted) {
      if (ch === '"' && line[i + 1] === '"') {
        field += '"';
        i++;
      } else if (ch === '"') quoted = false;
      else field += ch;
    } else if (ch === '"') quoted = true;
    else if (ch === delimiter) {
      fields.push(field);
      field = "";
    } else field += ch;
  }
  fields.push(field);
  return fields;
}

/** The delimiter that splits the first line into the most fields (comma, semicolon, tab, pipe). */
export function guessDelimiter(line: string): string {
  let best = ",";
  let most = 0;
  for (const d of [",", ";", "\t", "|"]) {
    const n = splitCsvLine(line, d).length;
    if (n > most) {
      most = n;
      best = d;
    }
  }
  return best;
}
