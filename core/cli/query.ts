/** `workstation query "SQL" [--json]`: read-only SQL over the market store, with time, row and size limits. */
import type { QueryResult } from "../../common/api/store.ts";
import { escapeControls } from "../../common/text/escape.ts";
import { QUERY_DEFAULTS, queryMarketFile } from "../store/query.ts";
import { viaCoreOrStore } from "../store/access.ts";
import { QueryStoppedError } from "../store/query-errors.ts";
import { requestExitAfterOutput } from "./early-exit.ts";
import { UsageError, intOption, type CliCommand } from "./command.ts";

/** Renders a result as an aligned text table. */
export function formatTable(result: QueryResult): string[] {
  const cells = [result.columns.map((c) => escapeControls(c.name)), ...result.rows.map((r) => r.map((v) => (v === null ? "NULL" : typeof v === "string" ? escapeControls(v) : JSON.stringify(v))))];
  const widths = result.columns.map((_, i) => Math.min(60, Math.max(...cells.map((row) => row[i]!.length))));
  return cells.map((row) => row.map((cell, i) => (cell.length > 60 ? `${cell.slice(0, 59)}…` : cell.padEnd(widths[i]!))).join("  ").trimEnd());
}

/**
 * A query stopped at its deadline in this process: once its one line is printed the CLI ends,
 * instead of waiting for a DuckDB call that does not check its interrupt (a huge `repeat()`) to
 * return. The query's instance is in memory and reads the store read-only: nothing is left unsaved.
 */
function exitSoonIfStopped(err: unknown): never {
  if (err instanceof QueryStoppedError) requestExitAfterOutput();
  throw err;
}

/** The query command. */
export const queryCommand: CliCommand = {
  name: "query",
  usage: '"SQL" [--json] [--max-rows N] [--max-mb N] [--timeout-ms N]',
  help: [
    "--json             print the result as one JSON object (columns, rows, truncated)",
    "--max-rows N       stop after N rows (default and most 100000)",
    "--max-mb N         refuse a result larger than N MB (default 64, most 256)",
    "--timeout-ms N     stop the query after N ms (default 30000)",
  ],
  options: { json: { type: "boolean" }, "max-rows": { type: "string" }, "max-mb": { type: "string" }, "timeout-ms": { type: "string" } },
  allowPositionals: true,
  async run(args, io) {
    if (args.positionals.length !== 1) throw new UsageError('give the SQL as one argument, e.g. workstation query "SELECT count(*) FROM trades"');
    const sql = args.positionals[0]!;
    const limits = {
      maxRows: intOption(args.values, "max-rows", QUERY_DEFAULTS.maxRows, 1, 100_000),
      timeoutMs: intOption(args.values, "timeout-ms", QUERY_DEFAULTS.timeoutMs, 100, 300_000),
      maxBytes: intOption(args.values, "max-mb", QUERY_DEFAULTS.maxBytes >> 20, 1, 256) << 20,
    };
    const result = await viaCoreOrStore(
      args.dataDir,
      { readOnly: true },
      (client) => client.call("store.query", { sql, ...limits }),
      () => queryMarketFile(args.dataDir, sql, limits).catch(exitSoonIfStopped),
    );
    if (args.values.json === true) io.out(JSON.stringify(result));
    else for (const line of formatTable(result)) io.out(line);
    if (result.truncated) io.err(`(stopped at ${limits.maxRows} rows; use --max-rows for more)`);
    return 0;
  },
};
