/**
 * `workstation alerts add RULE.json | list | remove ID | log`: through the running core's API when
 * one runs (its instrument lists check symbols and the rule starts at once), else on the app
 * database directly (the rule starts with the next core). Same output either way.
 */
import type { ApiClient } from "../../common/api/client.ts";
import type { AlertLogEntry, AlertRuleRow } from "../../common/api/alerts.ts";
import { describeCondition } from "../../common/alerts/rule-runner.ts";
import { escapeControls } from "../../common/text/escape.ts";
import { AlertDb } from "../alerts/alert-db.ts";
import { checkScreenRuleOffline } from "../alerts/screen-rule.ts";
import { openAppDb } from "../store/app-db.ts";
import { loadStrategy } from "../strategy/library.ts";
import { parseTime } from "../store/access.ts";
import { withCore } from "./core-client.ts";
import { intOption, UsageError, type CliIo, type ParsedArgs } from "./command.ts";
import { readRuleFile } from "./alerts-test.ts";

/** Runs `viaCore` on the running core, else `direct` on the app database's alert tables. */
async function viaCoreOrDb<T>(dataDir: string, viaCore: (c: ApiClient) => Promise<T>, direct: (db: AlertDb) => T): Promise<T> {
  const answered = await withCore(dataDir, viaCore);
  if (answered) return answered.value;
  const app = openAppDb(dataDir);
  try {
    return direct(new AlertDb(app.db));
  } finally {
    app.close();
  }
}

function describeRow(r: AlertRuleRow): string {
  return [r.rule.id, r.rule.venue, r.rule.symbol, r.rule.timeframe, r.rule.frequency, r.paused ? `paused: ${r.paused}` : "active", describeCondition(r.rule.condition)].join("  ");
}

function describeFire(e: AlertLogEntry): string {
  const late = e.lateMs === null ? "" : ` (late ${Math.round(e.lateMs / 1000)} s)`;
  const deliveries = e.deliveries.map((d) => `${d.channel}:${d.status}${d.error ? ` (${d.error})` : ""}`).join(" ");
  return `${new Date(e.time).toISOString()}  ${e.rule}  ${e.message}${late}  ${deliveries}`.trimEnd();
}

/** `alerts add RULE.json`: one rule or an array. */
export async function alertsAdd(args: ParsedArgs, file: string | undefined, io: CliIo): Promise<number> {
  if (file === undefined) throw new UsageError("give the rule file: workstation alerts add RULE.json");
  const rules = await readRuleFile(file);
  const rows = await viaCoreOrDb(
    args.dataDir,
    async (c) => {
      const out: AlertRuleRow[] = [];
      for (const rule of rules) out.push(await c.call("alerts.add", { rule }));
      return out;
    },
    (db) => {
      for (const r of rules) {
        if (r.condition.type === "strategy" && !loadStrategy(db.db, r.condition.strategy)) throw new Error(`rule ${r.id}: condition.strategy: no saved strategy named ${r.condition.strategy}`);
        if (r.condition.type === "screen") checkScreenRuleOffline(db.db, r);
      }
      for (const rule of rules) db.saveRule(rule, Date.now());
      io.err("no core is running; the rules start with the next core");
      return db.rules().filter((r) => rules.some((x) => x.id === r.rule.id));
    },
  );
  for (const r of rows) io.out(args.values.json === true ? escapeControls(JSON.stringify(r)) : escapeControls(`added ${describeRow(r)}`));
  return 0;
}

/** `alerts list`. */
export async function alertsList(args: ParsedArgs, io: CliIo): Promise<number> {
  const rows = await viaCoreOrDb(args.dataDir, (c) => c.call("alerts.list", {}), (db) => db.rules());
  if (args.values.json === true) io.out(escapeControls(JSON.stringify(rows)));
  else for (const r of rows) io.out(escapeControls(describeRow(r)));
  // Synced versions that do not validate on this desktop: a note each (the app database is shared safely with a running core).
  const app = openAppDb(args.dataDir);
  try {
    for (const d of new AlertDb(app.db).deferredRules()) io.err(escapeControls(d.note));
  } finally {
    app.close();
  }
  return 0;
}

/** `alerts remove ID`. */
export async function alertsRemove(args: ParsedArgs, id: string | undefined, io: CliIo): Promise<number> {
  if (id === undefined) throw new UsageError("give the rule id: workstation alerts remove ID");
  const removed = await viaCoreOrDb(args.dataDir, async (c) => (await c.call("alerts.remove", { id })).removed, (db) => db.removeRule(id));
  if (!removed) throw new Error(`no alert rule ${id}`);
  io.out(args.values.json === true ? JSON.stringify({ removed: id }) : escapeControls(`removed ${id}`));
  return 0;
}

/** `alerts log [--rule ID] [--since T] [--limit N]`: newest first; NDJSON with --json. */
export async function alertsLog(args: ParsedArgs, io: CliIo): Promise<number> {
  const rule = typeof args.values.rule === "string" ? args.values.rule : undefined;
  const filter = { rule, since: parseTime("since", args.values.since as string | undefined), limit: intOption(args.values, "limit", 200, 1, 10_000) };
  const entries = await viaCoreOrDb(args.dataDir, (c) => c.call("alerts.log", filter), (db) => db.log(filter));
  for (const e of entries) io.out(escapeControls(args.values.json === true ? JSON.stringify(e) : describeFire(e)));
  return 0;
}
