/**
 * `workstation import FILE... --symbol S [--venue V] [--timeframe TF] [--skip-bad]`: CSV/Parquet
 * into the market store. `workstation import DIR|GLOB... --venue binance` without `--symbol`
 * imports Binance public-data files for many symbols at once: symbol and timeframe come from each
 * file name (`BTCUSDT-1m-2024-01.csv` → BTC/USDT, 1m), one all-or-nothing import per (symbol,
 * timeframe); a name that does not parse is reported on stderr and skipped.
 */
import path from "node:path";
import type { ApiClient } from "../../common/api/client.ts";
import type { Progress } from "../../common/api/index.ts";
import type { ImportResult } from "../../common/api/store.ts";
import { TIMEFRAMES, type Timeframe } from "../../common/market/bars.ts";
import { escapeControls } from "../../common/text/escape.ts";
import { isFixedPeriod } from "../../common/market/timeframes.ts";
import { expandFileArgs, groupBinanceFiles, type BinanceFileName } from "../datafiles/binance-names.ts";
import { importFiles } from "../store/import.ts";
import type { Store } from "../store/index.ts";
import { optionalString, stderrProgress, viaCoreOrStore } from "../store/access.ts";
import { UsageError, timeframeOption, type CliCommand, type CliIo } from "./command.ts";

/** One import: files filed under one symbol (and timeframe). */
interface ImportJob {
  files: string[];
  symbol: string;
  venue: string | undefined;
  timeframe: Timeframe | undefined;
  skipBad: boolean;
}

function progressPrinter(io: CliIo): { onProgress: (p: Progress) => void; done(): void } {
  const bar = stderrProgress();
  let phase = "";
  return {
    onProgress: (p) => {
      if (p.message && p.message.includes(": ") && p.message !== phase) {
        phase = p.message;
        bar.done();
        io.err(p.message);
      }
      bar.update(p);
    },
    done: () => bar.done(),
  };
}

function viaClient(client: ApiClient, job: ImportJob, onProgress: (p: Progress) => void): Promise<ImportResult> {
  const { files, symbol, venue, timeframe, skipBad } = job;
  return client.call("store.import", { files, symbol, ...(venue ? { venue } : {}), ...(timeframe ? { timeframe } : {}), skipBad }, { onProgress });
}

// Without a core, the bars are prepared before the store closes, so they are cached for the next start.
async function inStore(store: Store, job: ImportJob, onProgress: (p: Progress) => void): Promise<ImportResult> {
  const db = await store.market();
  const imported = await importFiles(db, { ...job, onProgress });
  await store.prepareBars(db, { symbol: imported.symbol, venue: imported.venue });
  return imported;
}

/** One group's outcome in a multi-file import. */
type GroupOutcome = { symbol: string; timeframe: string; files: number; result?: ImportResult; error?: string };

async function runGroups(groups: BinanceFileName[][], venue: string, skipBad: boolean, work: (job: ImportJob) => Promise<ImportResult>, io: CliIo): Promise<GroupOutcome[]> {
  const outcomes: GroupOutcome[] = [];
  for (const group of groups) {
    const first = group[0]!;
    const timeframe = first.kind === "bars" ? first.timeframe : undefined;
    const outcome: GroupOutcome = { symbol: first.symbol, timeframe: timeframe ?? "trades", files: group.length };
    try {
      outcome.result = await work({ files: group.map((g) => g.file), symbol: first.symbol, venue, timeframe, skipBad });
    } catch (err) {
      outcome.error = (err as Error).message.split("\n")[0]!;
      io.err(escapeControls(`${first.symbol} ${outcome.timeframe}: not imported: ${outcome.error}`));
    }
    outcomes.push(outcome);
  }
  return outcomes;
}

async function importMany(dataDir: string, args: string[], venue: string, skipBad: boolean, io: CliIo): Promise<number> {
  const { files, missing } = expandFileArgs(args);
  for (const m of missing) io.err(escapeControls(`${m}: no such file, directory or match`));
  const { groups, skipped } = groupBinanceFiles(files);
  for (const s of skipped) io.err(escapeControls(`skipped ${s.file}: ${s.reason}`));
  if (groups.length === 0) throw new Error("no file with a Binance public-data name to import (e.g. BTCUSDT-1m-2024-01.csv)");
  const progress = progressPrinter(io);
  try {
    const outcomes = await viaCoreOrStore(
      dataDir,
      {},
      (client) => runGroups(groups, venue, skipBad, (job) => viaClient(client, job, progress.onProgress), io),
      (store) => runGroups(groups, venue, skipBad, (job) => inStore(store, job, progress.onProgress), io),
    );
    progress.done();
    io.out(JSON.stringify({ imported: outcomes.filter((o) => o.result).map((o) => o.result), failed: outcomes.filter((o) => o.error), skipped }));
    return outcomes.some((o) => o.error) ? 1 : 0;
  } finally {
    progress.done();
  }
}

/** The import command. */
export const importCommand: CliCommand = {
  name: "import",
  usage: "FILE... --symbol S [--venue V] [--timeframe TF] [--skip-bad] | DIR|GLOB... --venue binance",
  help: [
    "--symbol S         symbol to file the data under (upper-cased)",
    "--venue V          venue (default: local)",
    `--timeframe TF     bar length of bars files: ${(Object.keys(TIMEFRAMES) as Timeframe[]).filter(isFixedPeriod).join(", ")} (default: the step between`,
    "                   the file's times; for a single bar, the symbol's stored bars' timeframe)",
    "--skip-bad         skip and count bad rows instead of stopping at the first",
    "Without --symbol and with --venue binance: DIR|GLOB of Binance public-data files; symbol and timeframe",
    "                   from each name (BTCUSDT-1m-2024-01.csv); names that do not parse are reported and skipped",
  ],
  options: { symbol: { type: "string" }, venue: { type: "string" }, timeframe: { type: "string" }, "skip-bad": { type: "boolean" } },
  allowPositionals: true,
  async run(args, io) {
    if (args.positionals.length === 0) throw new UsageError("give at least one FILE to import");
    const venue = optionalString(args.values, "venue")?.trim().toLowerCase();
    const skipBad = args.values["skip-bad"] === true;
    const symbolArg = optionalString(args.values, "symbol");
    if (symbolArg === undefined) {
      if (venue !== "binance") throw new UsageError("--symbol is required (or --venue binance, to take symbols from Binance public-data file names)");
      if (args.values.timeframe !== undefined) throw new UsageError("--timeframe comes from the file names here; leave it out");
      return importMany(args.dataDir, args.positionals, venue, skipBad, io);
    }
    const job: ImportJob = { files: args.positionals.map((f) => path.resolve(f)), symbol: symbolArg.trim().toUpperCase(), venue, timeframe: timeframeOption(args.values), skipBad };
    const progress = progressPrinter(io);
    try {
      const result: ImportResult = await viaCoreOrStore(
        args.dataDir,
        {},
        (client) => viaClient(client, job, progress.onProgress),
        (store) => inStore(store, job, progress.onProgress),
      );
      progress.done();
      if (result.skipped > 0) io.err(`skipped ${result.skipped} bad rows`);
      io.out(JSON.stringify(result));
      return 0;
    } finally {
      progress.done();
    }
  },
};
