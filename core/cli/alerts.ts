/**
 * `workstation alerts`: `test RULES.json --replay FILE.jsonl --venue V` runs rules over a recording
 * offline; `add RULE.json`, `list`, `remove ID` and `log` manage the rules and read the fire log
 * through the running core (or the app database directly when none runs, same output).
 */
import { alertsAdd, alertsList, alertsLog, alertsRemove } from "./alerts-manage.ts";
import { alertsTest } from "./alerts-test.ts";
import { UsageError, type CliCommand } from "./command.ts";

/** The alerts command. */
export const alertsCommand: CliCommand = {
  name: "alerts",
  usage: "add RULE.json | list | remove ID | log [--rule ID] [--since T] [--limit N] | test RULES.json --replay FILE.jsonl --venue V [--json]",
  help: [
    "add RULE.json      add a rule (or an array of rules); replaces a rule with the same id",
    "list               the rules with their state",
    "remove ID          delete a rule (its fires stay in the log)",
    "log                the fire log, newest first (--rule ID, --since ISO|ms, --limit N; --json: NDJSON)",
    "test RULES.json    run rules (one or an array) over a recording; one NDJSON fire per line: rule, time, barTime, value, message",
    "--replay FILE      the recording (as `workstation record` writes it)",
    "--venue V          venue the recording is from (kraken, coinbase, binance)",
    "--json             JSON output (test always prints NDJSON)",
  ],
  options: { replay: { type: "string" }, venue: { type: "string" }, json: { type: "boolean" }, rule: { type: "string" }, since: { type: "string" }, limit: { type: "string" } },
  allowPositionals: true,
  async run(args, io) {
    const [sub, arg, ...extra] = args.positionals;
    if (extra.length > 0) throw new UsageError(`unexpected argument "${extra[0]}"`);
    switch (sub) {
      case "test":
        return alertsTest(args, arg, io);
      case "add":
        return alertsAdd(args, arg, io);
      case "remove":
        return alertsRemove(args, arg, io);
      case "list":
      case "log":
        if (arg !== undefined) throw new UsageError(`unexpected argument "${arg}"`);
        return sub === "list" ? alertsList(args, io) : alertsLog(args, io);
      default:
        throw new UsageError(sub === undefined ? "give a subcommand: add, list, remove, log or test" : `unknown subcommand "${sub}" (use add, list, remove, log or test)`);
    }
  },
};
