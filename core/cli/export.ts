/** `workstation export --symbol S [--kind bars|trades] [--from] [--to] --out DIR`: hive-partitioned Parquet. */
import path from "node:path";
import { exportData } from "../store/export.ts";
import { optionalString, parseTime, requiredString, viaCoreOrStore } from "../store/access.ts";
import { UsageError, timeframeOption, type CliCommand } from "./command.ts";

/** The export command. */
export const exportCommand: CliCommand = {
  name: "export",
  usage: "--symbol S --out DIR [--kind bars|trades] [--from T] [--to T] [--venue V] [--timeframe TF] [--overwrite]",
  help: [
    "--symbol S         symbol (upper-cased)",
    "--out DIR          output folder (must be empty unless --overwrite)",
    "--kind K           bars or trades (default: what the symbol has; bars for imported OHLCV)",
    "--from T, --to T   ISO date/time or epoch ms; from inclusive, to exclusive",
    "--venue V          venue, when the symbol exists on several",
    "--timeframe TF     bar length for --kind bars (1s 1m 5m 15m 1h 4h 1d)",
    "--overwrite        replace the contents of a non-empty --out",
  ],
  options: {
    symbol: { type: "string" },
    out: { type: "string" },
    kind: { type: "string" },
    from: { type: "string" },
    to: { type: "string" },
    venue: { type: "string" },
    timeframe: { type: "string" },
    overwrite: { type: "boolean" },
  },
  async run(args, io) {
    const v = args.values;
    const kind = optionalString(v, "kind");
    if (kind !== undefined && kind !== "bars" && kind !== "trades") throw new UsageError("--kind must be bars or trades");
    const timeframe = timeframeOption(v);
    const params = {
      symbol: requiredString(v, "symbol").trim().toUpperCase(),
      out: path.resolve(requiredString(v, "out")),
      overwrite: v.overwrite === true,
      ...(kind ? { kind: kind as "bars" | "trades" } : {}),
      ...(timeframe ? { timeframe } : {}),
      ...(optionalString(v, "venue") ? { venue: optionalString(v, "venue")!.toLowerCase() } : {}),
      ...(parseTime("from", optionalString(v, "from")) !== undefined ? { from: parseTime("from", optionalString(v, "from"))! } : {}),
      ...(parseTime("to", optionalString(v, "to")) !== undefined ? { to: parseTime("to", optionalString(v, "to"))! } : {}),
    };
    const result = await viaCoreOrStore(
      args.dataDir,
      {},
      (client) => client.call("store.export", params),
      (store) => store.withMarket((db) => exportData(db, params)),
    );
    io.out(JSON.stringify(result));
    return 0;
  },
};
