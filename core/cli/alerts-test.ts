/**
 * `workstation alerts test RULES.json --replay FILE.jsonl --venue V [--json]`: runs the rules over a
 * recorded session through the live evaluation code, offline and in process (no core, no
 * instrument-cache check), and prints each fire as one NDJSON line
 * `{"rule","time","barTime","value","message"}`. Strategy rules run their saved strategy (the app
 * database's library) in a sandboxed worker of this process, as live. Remarks and a summary go to stderr.
 */
import { access, constants, readFile } from "node:fs/promises";
import { parseRules } from "../../common/alerts/rule.ts";
import type { AlertRule } from "../../common/alerts/types.ts";
import { escapeControls } from "../../common/text/escape.ts";
import { replayAlerts } from "../alerts/replay.ts";
import { libraryHosts } from "../alerts/strategy-hosts.ts";
import type { SignalHostFactory } from "../alerts/strategy-signals.ts";
import { silentLogger } from "../log.ts";
import { openAppDb } from "../store/app-db.ts";
import { loadStrategy } from "../strategy/library.ts";
import { WORKER_EXEC_ARGV, defaultWorkerEntry } from "../workers/entry.ts";
import { WorkerPool } from "../workers/pool.ts";
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

/**
 * Sessions for the strategy rules of a replay: their saved strategies from the app database of
 * `dataDir` (checked up front: a missing one is one clear line), on a one-worker pool of this process.
 */
function strategySessions(dataDir: string, file: string, rules: readonly AlertRule[]): { hosts: SignalHostFactory; close(): Promise<void> } {
  const app = openAppDb(dataDir);
  for (const r of rules) {
    if (r.condition.type === "strategy" && !loadStrategy(app.db, r.condition.strategy)) {
      app.close();
      throw new Error(`${file}: rule ${r.id}: condition.strategy: no saved strategy named ${r.condition.strategy}`);
    }
  }
  const pool = new WorkerPool({ size: 1, entry: defaultWorkerEntry(), execArgv: WORKER_EXEC_ARGV, log: silentLogger() });
  return {
    hosts: libraryHosts(() => app.db, () => pool),
    close: async () => {
      await pool.shutdown();
      app.close();
    },
  };
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
    if (r.venue !== venue) io.err(escapeControls(`rule ${r.id} is for venue ${r.venue}, not ${venue}: it cannot fire on this recording`));
  }
  let fires = 0;
  const strategies = rules.some((r) => r.condition.type === "strategy") ? strategySessions(args.dataDir, file, rules) : null;
  const trades = await replayAlerts(
    rules,
    replay,
    venue,
    {
    fire: (f) => {
      fires++;
      io.out(escapeControls(JSON.stringify({ rule: f.rule, time: f.time, barTime: f.barTime, value: f.value, message: f.message })));
    },
    pause: (p) => io.err(escapeControls(`rule ${p.rule} paused at ${new Date(p.time).toISOString()}: ${p.reason}`)),
    remark: (text) => io.err(escapeControls(text)),
    },
    strategies?.hosts,
  ).finally(() => strategies?.close());
  io.err(`${rules.length} rules, ${trades} trades, ${fires} fires`);
  return 0;
}
