/**
 * `workstation alerts`: `test RULES.json --replay FILE.jsonl --venue V` runs rules over a recording
 * offline; `add RULE.json`, `list`, `remove ID` and `log` manage the rules and read the fire log
 * through the running core (or the app database directly when none runs, same output).
 */
import { alertsTest } from "./alerts-test.ts";
import { UsageError, type CliCommand } from "./command.ts";

/** The alerts command. */
export const alertsCommand: CliCommand = {
  name: "alerts",
  usage: "test RULES.json --replay FILE.jsonl --venue V [--json]",
  help: [
    "test RULES.json    run rules (one or an array) over a recording; one NDJSON fire per line: rule, time, barTime, value, message",
    "--replay FILE      the recording (as `workstation record` writes it)",
    "--venue V          venue the recording is from (kraken, coinbase, binance)",
    "--json             JSON output (test always prints NDJSON)",
  ],
  options: { replay: { type: "string" }, venue: { type: "string" }, json: { type: "boolean" } },
  allowPositionals: true,
  async run(args, io) {
    const [sub, arg, ...extra] = args.positionals;
    if (extra.length > 0) throw new UsageError(`unexpected argument "${extra[0]}"`);
    switch (sub) {
      case "test":
        return alertsTest(args, arg, io);
      default:
        throw new UsageError(sub === undefined ? "give a subcommand: test" : `unknown subcommand "${sub}" (use test)`);
    }
  },
};
