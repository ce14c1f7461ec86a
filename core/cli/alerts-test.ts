/**
 * `workstation alerts test RULES.json --replay FILE.jsonl --venue V [--json]`: runs the rules over a
 * recorded session through the live evaluation code, offline and in process (no core, no
 * instrument-cache check), and prints each fire as one NDJSON line
 * `{"rule","time","barTime","value","message"}`. Remarks and a summary go to stderr.
 */
import { access, constants, readFile } from "node:fs/promises";
import { parseRules } from "../../common/alerts/rule.ts";
import type { AlertRule } from "../../common/alerts/types.ts";
import { escapeControls } from "../../common/text/escape.ts";
import { replayAlerts } from "../alerts/replay.ts";
import { isVenueId, VENUES } from "../venues/index.ts";
import { UsageError, type CliIo, type ParsedArgs } from "./command.ts";

/** Reads and validates a rule file (one rule or an array); a bad file is one clear line. */
export async function readRuleFile(file: string): Promise<AlertRule[]> {
  let text: string;
  try {
    text = await readFile(file, "utf8");
  } catch {
    throw new Error(`cannot read ${file}`);
  }
  try {
    return parseRules(text);
  } catch (err) {
    throw new Error(`${file}: ${(err as Error).message}`, { cause: err });
  }
}

/** Runs `alerts test`. */
export async function alertsTest(args: ParsedArgs, file: string | undefined, io: CliIo): Promise<number> {
  const venue = args.values.venue;
  const replay = args.values.replay;
  if (file === undefined) throw new UsageError("give the rule file: workstation alerts test RULES.json --replay FILE.jsonl --venue V");
  if (typeof replay !== "string") throw new UsageError("--replay FILE.jsonl is required");
  if (typeof venue !== "string" || !isVenueId(venue)) throw new UsageError(`--venue must be one of ${VENUES.join(", ")}`);
  const rules = await readRuleFile(file);
  await access(replay, constants.R_OK).catch(() => {
    throw new Error(`cannot read ${replay}`);
  });
  for (const r of rules) {
    if (r.condition.type === "strategy") throw new Error(`${file}: rule ${r.id}: condition.type: strategy alerts need the paper trading live runner, which this build does not have yet`);
    if (r.venue !== venue) io.err(escapeControls(`rule ${r.id} is for venue ${r.venue}, not ${venue}: it cannot fire on this recording`));
  }
  let fires = 0;
  const trades = await replayAlerts(rules, replay, venue, {
    fire: (f) => {
      fires++;
      io.out(escapeControls(JSON.stringify({ rule: f.rule, time: f.time, barTime: f.barTime, value: f.value, message: f.message })));
    },
    pause: (p) => io.err(escapeControls(`rule ${p.rule} paused at ${new Date(p.time).toISOString()}: ${p.reason}`)),
    remark: (text) => io.err(escapeControls(text)),
  });
  io.err(`${rules.length} rules, ${trades} trades, ${fires} fires`);
  return 0;
}
