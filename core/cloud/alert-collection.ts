/**
 * Alert rules sync per field: one record per rule id, one field per top-level property of the rule
 * (its runtime state — paused, fired, evaluated up to — stays on each device). A pulled rule is
 * applied only through the alerts service's validation (without a running core, the same checks
 * `alerts add` makes offline); one that does not validate here is kept aside with a note
 * (`alert_rules_deferred`), the local rule left as it was, and retried after every pull; the
 * trader is told when it still does not validate once the pull is done.
 */
import type Database from "better-sqlite3";
import type { AlertRule } from "../../common/alerts/types.ts";
import { AlertDb } from "../alerts/alert-db.ts";
import { checkRule } from "../alerts/rule-check.ts";
import { checkScreenRule } from "../alerts/screen-rule.ts";
import { loadStrategy } from "../strategy/library.ts";
import type { ApplyContext, FieldCollection, FieldValues } from "./field-collection.ts";

/** The checks of `alerts add` without a running core (its venues and instruments unknown): the rule's shape, its saved strategy or its screen's universe. */
export function offlineRuleCheck(db: Database.Database): (raw: unknown) => AlertRule {
  const feed = { knownSymbol: () => undefined, venueProblem: () => null };
  return (raw) => checkRule(raw, feed, { exists: (name) => loadStrategy(db, name) !== null }, { check: (rule) => checkScreenRule(rule, db) });
}

const withoutId = (rule: AlertRule): FieldValues => Object.fromEntries(Object.entries(rule).filter(([k]) => k !== "id"));

/** Validates and saves a synced rule version; on failure keeps it aside (with why, unless `retry`). Returns whether the rule changed. */
function applyRule(adb: AlertDb, id: string, fields: FieldValues, ctx: ApplyContext, retry: boolean): boolean {
  let rule: AlertRule;
  try {
    rule = ctx.validateAlertRule({ ...fields, id });
  } catch (err) {
    if (retry) return false;
    const note = `alert rule ${id} from another device does not validate here and is kept aside: ${(err as Error).message}`;
    adb.deferRule(id, fields, note, Date.now());
    ctx.alertNotes.set(id, note);
    return false;
  }
  const local = adb.rule(id)?.rule;
  if (local && JSON.stringify(local) === JSON.stringify(rule)) {
    adb.undeferRule(id);
    return false;
  }
  adb.saveRule(rule, Date.now());
  return true;
}

/** Alert rules, one record per id. */
export const alertRules: FieldCollection = {
  name: "alert",
  read(db) {
    const adb = new AlertDb(db);
    const out = new Map<string, FieldValues>(adb.rules().map((r) => [r.rule.id, withoutId(r.rule)]));
    // A version kept aside is what this device holds of that rule for sync: nothing to push back.
    for (const d of adb.deferredRules()) out.set(d.id, d.fields);
    return out;
  },
  write(db, key, values, ctx) {
    const adb = new AlertDb(db);
    if (values === null) {
      if (adb.removeRule(key)) ctx.changedAlertRules.add(key);
      return;
    }
    const live = Object.fromEntries(Object.entries(values).filter(([, v]) => v !== null));
    if (applyRule(adb, key, live, ctx, false)) ctx.changedAlertRules.add(key);
  },
  settle(db, ctx) {
    const adb = new AlertDb(db);
    const still = new Set<string>();
    for (const d of adb.deferredRules()) {
      if (applyRule(adb, d.id, d.fields, ctx, true)) ctx.changedAlertRules.add(d.id);
      else still.add(d.id);
    }
    // A rule that only waited for something later in the same pull (its strategy) is no news.
    for (const [id, note] of ctx.alertNotes) if (still.has(id)) ctx.warn(note);
    ctx.alertNotes.clear();
  },
};
