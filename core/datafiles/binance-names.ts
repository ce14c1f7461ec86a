/**
 * Binance public-data file names (`BTCUSDT-1m-2024-01.csv`, `BTCUSDT-1h-2024-01-15.csv`,
 * `BTCUSDT-trades-2024-01.csv`, `BTCUSDT-aggTrades-2024-01-15.csv`, also `.parquet`) → symbol
 * (unified, `BTC/USDT`), kind and timeframe, for `workstation import DIR|GLOB --venue binance`
 * without `--symbol`; and the expansion of DIR/GLOB arguments into files. A name that does not
 * parse gets the reason it was skipped.
 */
import fs from "node:fs";
import path from "node:path";
import { TIMEFRAMES, type Timeframe } from "../../common/market/bars.ts";
import { BinanceSymbols } from "../venues/symbols.ts";

/** What a file name says. */
export type BinanceFileName = { file: string; symbol: string; kind: "bars"; timeframe: Timeframe } | { file: string; symbol: string; kind: "trades" };

/** A file that was skipped, and why. */
export interface SkippedFile {
  file: string;
  reason: string;
}

const NAME = /^([A-Za-z0-9]+)-([A-Za-z0-9]+)-(\d{4})-(\d{2})(?:-(\d{2}))?\.(csv|parquet)$/;

/** Parses one file's base name; a string is the reason it does not parse. */
export function parseBinanceFileName(file: string): BinanceFileName | string {
  const m = NAME.exec(path.basename(file));
  if (!m) return "not a Binance public-data name (SYMBOL-INTERVAL-YYYY-MM[-DD].csv, e.g. BTCUSDT-1m-2024-01.csv)";
  const [, raw, interval] = m as unknown as [string, string, string];
  const symbol = new BinanceSymbols().unify(raw) ?? raw.toUpperCase();
  if (interval === "trades" || interval === "aggTrades") return { file, symbol, kind: "trades" };
  if (!Object.hasOwn(TIMEFRAMES, interval)) return `interval "${interval}" is not one of ${Object.keys(TIMEFRAMES).join(", ")}`;
  return { file, symbol, kind: "bars", timeframe: interval as Timeframe };
}

function dataFilesIn(dir: string): string[] {
  return fs
    .readdirSync(dir, { withFileTypes: true })
    .filter((e) => e.isFile() && !e.name.startsWith("."))
    .map((e) => path.join(dir, e.name))
    .sort();
}

/** Expands DIR (its files), GLOB (its matches) and FILE arguments into absolute file paths. */
export function expandFileArgs(args: readonly string[]): { files: string[]; missing: string[] } {
  const files: string[] = [];
  const missing: string[] = [];
  for (const arg of args) {
    const stat = fs.statSync(arg, { throwIfNoEntry: false });
    if (stat?.isDirectory()) files.push(...dataFilesIn(arg));
    else if (stat) files.push(arg);
    else {
      const hits = /[*?[{]/.test(arg) ? fs.globSync(arg).filter((f) => fs.statSync(f, { throwIfNoEntry: false })?.isFile()).sort() : [];
      if (hits.length === 0) missing.push(arg);
      files.push(...hits);
    }
  }
  return { files: [...new Set(files.map((f) => path.resolve(f)))], missing };
}

/** Groups parsed names by (symbol, kind, timeframe): one import per group. */
export function groupBinanceFiles(files: readonly string[]): { groups: BinanceFileName[][]; skipped: SkippedFile[] } {
  const byKey = new Map<string, BinanceFileName[]>();
  const skipped: SkippedFile[] = [];
  for (const file of files) {
    const parsed = parseBinanceFileName(file);
    if (typeof parsed === "string") {
      skipped.push({ file, reason: parsed });
      continue;
    }
    const key = `${parsed.symbol}\u0000${parsed.kind === "bars" ? parsed.timeframe : "trades"}`;
    byKey.set(key, [...(byKey.get(key) ?? []), parsed]);
  }
  return { groups: [...byKey.values()], skipped };
}
