/** `workstation import FILE... --symbol S [--venue V] [--timeframe TF] [--skip-bad]`: CSV/Parquet into the market store. */
import path from "node:path";
import type { ImportResult } from "../../common/api/store.ts";
import { TIMEFRAMES, type Timeframe } from "../../common/market/bars.ts";
import { isFixedPeriod } from "../../common/market/timeframes.ts";
import { importFiles } from "../store/import.ts";
import { optionalString, requiredString, stderrProgress, viaCoreOrStore } from "../store/access.ts";
import { UsageError, timeframeOption, type CliCommand } from "./command.ts";

/** The import command. */
export const importCommand: CliCommand = {
  name: "import",
  usage: "FILE... --symbol S [--venue V] [--timeframe TF] [--skip-bad]",
  help: [
    "--symbol S         symbol to file the data under (upper-cased)",
    "--venue V          venue (default: local)",
    `--timeframe TF     bar length of bars files: ${(Object.keys(TIMEFRAMES) as Timeframe[]).filter(isFixedPeriod).join(", ")} (default: the step between`,
    "                   the file's times; for a single bar, the symbol's stored bars' timeframe)",
    "--skip-bad         skip and count bad rows instead of stopping at the first",
  ],
  options: { symbol: { type: "string" }, venue: { type: "string" }, timeframe: { type: "string" }, "skip-bad": { type: "boolean" } },
  allowPositionals: true,
  async run(args, io) {
    if (args.positionals.length === 0) throw new UsageError("give at least one FILE to import");
    const files = args.positionals.map((f) => path.resolve(f));
    const symbol = requiredString(args.values, "symbol").trim().toUpperCase();
    const venue = optionalString(args.values, "venue")?.trim().toLowerCase();
    const tf = timeframeOption(args.values);
    const skipBad = args.values["skip-bad"] === true;
    const bar = stderrProgress();
    let phase = "";
    const onProgress = (p: { done: number; total?: number; message?: string }): void => {
      if (p.message && p.message.includes(": ") && p.message !== phase) {
        phase = p.message;
        bar.done();
        io.err(p.message);
      }
      bar.update(p);
    };
    try {
      const result: ImportResult = await viaCoreOrStore(
        args.dataDir,
        {},
        (client) => client.call("store.import", { files, symbol, ...(venue ? { venue } : {}), ...(tf ? { timeframe: tf } : {}), skipBad }, { onProgress }),
        // Without a core, the bars are prepared before the store closes, so they are cached for the next start.
        async (store) => {
          const db = await store.market();
          const imported = await importFiles(db, { files, symbol, venue, timeframe: tf, skipBad, onProgress });
          await store.prepareBars(db, { symbol: imported.symbol, venue: imported.venue });
          return imported;
        },
      );
      bar.done();
      if (result.skipped > 0) io.err(`skipped ${result.skipped} bad rows`);
      io.out(JSON.stringify(result));
      return 0;
    } finally {
      bar.done();
    }
  },
};
