/**
 * `--universe NAME|LIST` for `sweep` and `walkforward`: the same command (grid, folds, options) runs
 * on each member of a saved universe or a LIST `VENUE:SYMBOL,...`, one after another, exactly as
 * `--data SYMBOL` would run it on that member (through a running core when there is one, else
 * here; each member's run is saved as a single run is). Text output: per member a line
 * `== VENUE:SYMBOL ==` and then exactly the lines the single-symbol command prints, or
 * `error: MESSAGE` for a member that failed. `--json`: one line `{"members":[...]}` with, per
 * member, `{"venue","symbol", ...the single-symbol JSON}` or `{"venue","symbol","error"}`. A member
 * that fails (its single-symbol run exits non-zero, e.g. every combination failed) never stops the others; the exit code is 0 when at least one member ran, 1 when none
 * did, 2 when every member was refused for the same usage error (a bad option, not a member), 130
 * on Ctrl-C. The member's symbol is read from the store as `--data SYMBOL` reads it (the venue is
 * not a `--data` part: a symbol stored on several venues is that member's error).
 */
import fs from "node:fs";
import path from "node:path";
import { escapeControls } from "../../common/text/escape.ts";
import type { UniverseMember } from "../../common/screener/rank.ts";
import { APP_DB_FILE, openAppDb } from "../store/app-db.ts";
import { resolveUniverse } from "../screener/universes.ts";
import { isMemberList, parseMemberList } from "../../common/screener/rank.ts";
import { UsageError, type CliIo, type OptionSpec, type ParsedArgs } from "./command.ts";

/** The `--universe` option. */
export const UNIVERSE_OPTIONS: OptionSpec = { universe: { type: "string" } };

/** Its help line. */
export const UNIVERSE_HELP = ["--universe NAME|LIST run on each member of a saved universe or a LIST VENUE:SYMBOL,... (instead of --data)"];

type Single = (args: ParsedArgs, io: CliIo) => Promise<number>;

/** One member's run: what it printed on stdout, or why it failed. */
type MemberRun = UniverseMember & ({ lines: string[] } | { error: string; usage: boolean });

function members(arg: string, dataDir: string): UniverseMember[] {
  if (isMemberList(arg)) return parseMemberList(arg);
  if (!fs.existsSync(path.join(dataDir, APP_DB_FILE))) throw new UsageError(`no universe named ${arg.trim()} (no app database in ${dataDir})`);
  const app = openAppDb(dataDir);
  try {
    return resolveUniverse(() => app.db, arg);
  } finally {
    app.close();
  }
}

async function runMember(m: UniverseMember, args: ParsedArgs, io: CliIo, single: Single): Promise<MemberRun | "cancelled"> {
  const lines: string[] = [];
  let lastErr = "";
  const memberIo: CliIo = { env: io.env, out: (line) => lines.push(line), err: (line) => { lastErr = line; io.err(`${m.venue}:${m.symbol}: ${line}`); } };
  const values: ParsedArgs["values"] = { ...args.values, data: m.symbol };
  delete values.universe;
  try {
    const code = await single({ ...args, values }, memberIo);
    if (code === 130) return "cancelled";
    return code === 0 ? { ...m, lines } : { ...m, error: lastErr || `exit code ${code}`, usage: false };
  } catch (err) {
    return { ...m, error: err instanceof Error ? err.message : String(err), usage: err instanceof UsageError };
  }
}

function printText(run: MemberRun, io: CliIo): void {
  io.out(escapeControls(`== ${run.venue}:${run.symbol} ==`));
  if ("lines" in run) run.lines.forEach((line) => io.out(line));
  else io.out(escapeControls(`error: ${run.error}`));
}

function jsonOf(run: MemberRun): Record<string, unknown> {
  const head = { venue: run.venue, symbol: run.symbol };
  if (!("lines" in run)) return { ...head, error: run.error };
  try {
    return { ...head, ...(JSON.parse(run.lines.join("\n")) as Record<string, unknown>) };
  } catch {
    return { ...head, error: "the run printed no JSON" };
  }
}

/**
 * Runs `single` as given, or with `--universe` on each member (see the file comment); resolves
 * with the exit code.
 */
export async function runOnUniverse(args: ParsedArgs, io: CliIo, single: Single): Promise<number> {
  const arg = args.values.universe;
  if (arg === undefined) return single(args, io);
  if (typeof arg !== "string" || arg.trim() === "") throw new UsageError("--universe needs a universe NAME or a LIST VENUE:SYMBOL,...");
  if (args.values.data !== undefined) throw new UsageError("give --data or --universe, not both");
  const list = members(arg, args.dataDir);
  if (list.length === 0) throw new UsageError(`universe ${arg.trim()} has no members`);
  const json = args.values.json === true;
  const runs: MemberRun[] = [];
  for (const m of list) {
    const run = await runMember(m, args, io, single);
    if (run === "cancelled") return 130;
    runs.push(run);
    if (!json) printText(run, io);
  }
  const failed = runs.filter((r): r is Extract<MemberRun, { error: string }> => !("lines" in r));
  const usage = new Set(failed.map((r) => (r.usage ? r.error : null)));
  if (failed.length === runs.length && usage.size === 1 && !usage.has(null)) throw new UsageError(failed[0]!.error);
  if (json) io.out(escapeControls(JSON.stringify({ members: runs.map(jsonOf) })));
  if (failed.length > 0) io.err(`${failed.length} of ${runs.length} members failed (see their error)`);
  return failed.length === runs.length ? 1 : 0;
}
