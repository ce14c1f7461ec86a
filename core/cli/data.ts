/** `workstation data add-parquet DIR|GLOB --symbol S` and `workstation data symbols [TEXT]`. */
import { addParquetSource, listInstruments } from "../store/sources.ts";
import { optionalString, requiredString, viaCoreOrStore } from "../store/access.ts";
import { UsageError, type CliCommand } from "./command.ts";

/** The data command. */
export const dataCommand: CliCommand = {
  name: "data",
  usage: "add-parquet DIR|GLOB --symbol S [--venue V] | symbols [TEXT]",
  help: ["--symbol S         symbol the Parquet files hold (upper-cased)", "--venue V          venue (default: local)"],
  options: { symbol: { type: "string" }, venue: { type: "string" } },
  allowPositionals: true,
  async run(args, io) {
    const [sub, ...rest] = args.positionals;
    if (sub === "add-parquet") {
      if (rest.length !== 1) throw new UsageError("add-parquet takes one DIR or GLOB (quote globs)");
      const symbol = requiredString(args.values, "symbol").trim().toUpperCase();
      const venue = (optionalString(args.values, "venue") ?? "local").trim().toLowerCase();
      const result = await viaCoreOrStore(
        args.dataDir,
        {},
        (client) => client.call("store.addParquet", { path: rest[0]!, symbol, venue }),
        // Without a core, the bars are prepared before the store closes, so they are cached for the next start.
        (store) =>
          store.withMarket(async (db) => {
            const added = await addParquetSource(db, rest[0]!, symbol, venue);
            await store.prepareBars(db, { symbol, venue });
            return added;
          }),
      );
      io.out(JSON.stringify(result));
      return 0;
    }
    if (sub === "symbols") {
      const query = rest[0];
      const list = await viaCoreOrStore(
        args.dataDir,
        { readOnly: true },
        (client) => client.call("store.symbols", query ? { query } : {}),
        (store) => store.withMarket((db) => listInstruments(db, query)),
      );
      for (const item of list) io.out(JSON.stringify(item));
      return 0;
    }
    throw new UsageError(sub === undefined ? "give a subcommand: add-parquet or symbols" : `unknown subcommand "${sub}" (add-parquet, symbols)`);
  },
};
