/**
 * Alert rules, fires and deliveries in the SQLite app database. A fire's idempotency key
 * (`<rule id>:<bar time>…`) is unique (indexed after its bar time, which it contains), so recording
 * the same fire twice — after a restart, a reconnect or a catch-up — is a no-op, and only a newly
 * recorded fire gets its deliveries, in the same transaction. Fires are stored in the order they
 * are recorded (a rowid `id`, which deliveries reference) and every index leads with a time, so a
 * burst of fires appends to the last pages of each b-tree instead of dirtying one page per fire.
 * The desktop delivery (done when a window listened as the fire was recorded, else left pending;
 * nothing retries it) is a column of the fire's row; a webhook delivery is a row of its own that
 * moves pending → delivered or dead (the dead-letter list). A synced rule version that does not
 * validate here waits in `alert_rules_deferred`.
 */
import type Database from "better-sqlite3";
import type { RuleFiringState } from "../../common/alerts/rule-runner.ts";
import type { AlertRule, KeyedFire } from "../../common/alerts/types.ts";
import type { AlertDeliveryRow, AlertLogEntry, AlertRuleRow } from "../../common/api/alerts.ts";

/** A delivery channel: the desktop notification or the rule's webhook. */
export type DeliveryChannel = "desktop" | "webhook";

interface RuleDbRow {
  id: string;
  rule: string;
  paused: string | null;
  fired_once: number;
  evaluated_from: number | null;
  evaluated_until: number | null;
  created_at: number;
}

interface FireDbRow {
  id: number;
  key: string;
  rule_id: string;
  time: number;
  bar_time: number;
  value: string;
  message: string;
  late_ms: number | null;
}

/** A delivery's state as the log shows it. */
type DeliveryDbRow = { channel: DeliveryChannel; status: AlertDeliveryRow["status"]; attempts: number; last_error: string | null };

/** A fire to record, with how it is delivered (`done`: delivered as it was recorded). */
export interface NewFire {
  fire: KeyedFire;
  lateMs: number | null;
  deliveries: { channel: DeliveryChannel; done: boolean }[];
  /** A `once` rule's fire: the rule is marked fired in the same transaction. */
  firedOnce?: boolean;
}

/** A synced version of a rule that did not validate on this device (its fields without the id). */
export interface DeferredRule {
  id: string;
  fields: Record<string, unknown>;
  note: string;
  deferredAt: number;
}

/** What finds a recorded fire: its idempotency key and its bar time (the unique index's order). */
export type FireRef = Pick<KeyedFire, "key" | "barTime">;

/** The id of the fire with a given bar time and key (parameters in that order). */
const FIRE_ID = "SELECT id FROM alert_fires WHERE bar_time = ? AND key = ?";

/** Records a fire (ignored when its bar time and key are known). */
const INSERT_FIRE = "INSERT OR IGNORE INTO alert_fires (key, rule_id, time, bar_time, value, message, late_ms, recorded_at, desktop) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)";
/** Queues a (webhook) delivery of a recorded fire. */
const INSERT_DELIVERY = "INSERT INTO alert_deliveries (fire_id, channel, status, attempts, next_at, updated_at) VALUES (?, ?, ?, ?, ?, ?)";

/** A pending delivery with its fire. */
export interface PendingDelivery {
  fire: KeyedFire & { lateMs: number | null };
  channel: DeliveryChannel;
  attempts: number;
}

function toFire(r: FireDbRow): KeyedFire & { lateMs: number | null } {
  const value: string | number = r.value.startsWith("n:") ? Number(r.value.slice(2)) : r.value.slice(2);
  return { key: r.key, rule: r.rule_id, time: r.time, barTime: r.bar_time, value, message: r.message, lateMs: r.late_ms };
}

const RULE_SELECT = "SELECT id, rule, paused, fired_once, evaluated_from, evaluated_until, created_at FROM alert_rules";

function toRuleRow(r: RuleDbRow): AlertRuleRow {
  return { rule: JSON.parse(r.rule) as AlertRule, paused: r.paused, firedOnce: r.fired_once === 1, evaluatedFrom: r.evaluated_from, evaluatedUntil: r.evaluated_until, createdAt: r.created_at };
}

/** The alert tables of the app database. */
export class AlertDb {
  /** The app database (the strategy library lives there too). */
  readonly db: Database.Database;
  private readonly statements = new Map<string, Database.Statement>();
  /** {@link recordFires}' transaction function, made once (better-sqlite3 builds four wrappers per `transaction()`). */
  private recordTx: ((batch: readonly NewFire[], now: number) => NewFire[]) | null = null;

  constructor(db: Database.Database) {
    this.db = db;
  }

  /** A prepared statement, prepared once per database. */
  private sql(text: string): Database.Statement {
    let stmt = this.statements.get(text);
    if (!stmt) this.statements.set(text, (stmt = this.db.prepare(text)));
    return stmt;
  }

  /** Every rule with its state, oldest first. */
  rules(): AlertRuleRow[] {
    const rows = this.sql(`${RULE_SELECT} ORDER BY created_at, id`).all() as RuleDbRow[];
    return rows.map(toRuleRow);
  }

  /** One rule with its state, or null. */
  rule(id: string): AlertRuleRow | null {
    const row = this.sql(`${RULE_SELECT} WHERE id = ?`).get(id) as RuleDbRow | undefined;
    return row ? toRuleRow(row) : null;
  }

  /** Saves a rule (a new one, or a replacement that starts over; a deferred synced version of it is dropped). */
  saveRule(rule: AlertRule, now: number): void {
    this.undeferRule(rule.id);
    this.sql(
        `INSERT INTO alert_rules (id, rule, paused, fired_once, evaluated_until, created_at, updated_at) VALUES (?, ?, NULL, 0, NULL, ?, ?)
         ON CONFLICT (id) DO UPDATE SET rule = excluded.rule, paused = NULL, fired_once = 0, evaluated_from = NULL, evaluated_until = NULL, created_at = excluded.created_at, updated_at = excluded.updated_at`,
      )
      .run(rule.id, JSON.stringify(rule), now, now);
  }

  /** Deletes a rule (its fires stay in the log) and any deferred synced version of it; false when there was none. */
  removeRule(id: string): boolean {
    this.undeferRule(id);
    return this.sql("DELETE FROM alert_rules WHERE id = ?").run(id).changes > 0;
  }

  /**
   * Keeps aside a synced version of a rule that does not validate on this device, with why; the
   * local rule, if any, stays as it was until a version validates or the rule is saved here.
   */
  deferRule(id: string, fields: Record<string, unknown>, note: string, now: number): void {
    this.sql("INSERT INTO alert_rules_deferred (id, fields, note, deferred_at) VALUES (?, ?, ?, ?) ON CONFLICT (id) DO UPDATE SET fields = excluded.fields, note = excluded.note, deferred_at = excluded.deferred_at")
      .run(id, JSON.stringify(fields), note, now);
  }

  /** Drops the synced version of a rule kept aside (the rule as saved here stands). */
  undeferRule(id: string): void {
    this.sql("DELETE FROM alert_rules_deferred WHERE id = ?").run(id);
  }

  /** The synced rule versions kept aside, with why. */
  deferredRules(): DeferredRule[] {
    const rows = this.sql("SELECT id, fields, note, deferred_at FROM alert_rules_deferred ORDER BY id").all() as { id: string; fields: string; note: string; deferred_at: number }[];
    return rows.map((r) => ({ id: r.id, fields: JSON.parse(r.fields) as Record<string, unknown>, note: r.note, deferredAt: r.deferred_at }));
  }

  /** Stores a rule's firing state. */
  saveFiring(id: string, firing: RuleFiringState, now: number): void {
    this.sql("UPDATE alert_rules SET paused = ?, fired_once = ?, updated_at = ? WHERE id = ?").run(firing.paused, firing.firedOnce ? 1 : 0, now, id);
  }

  /** Records the venue time of the first trade each rule was evaluated on (kept once set), in one transaction: (rule id, venue ms) pairs. */
  saveStarts(starts: readonly (readonly [string, number])[]): void {
    const stmt = this.sql("UPDATE alert_rules SET evaluated_from = coalesce(evaluated_from, ?) WHERE id = ?");
    this.db.transaction(() => starts.forEach(([id, evaluatedFrom]) => stmt.run(evaluatedFrom, id)))();
  }

  /** Records how far (venue time) the rules of some series have been evaluated, in one transaction. */
  saveProgress(series: readonly { ids: readonly string[]; evaluatedUntil: number }[]): void {
    const stmt = this.sql("UPDATE alert_rules SET evaluated_until = max(coalesce(evaluated_until, 0), ?) WHERE id = ?");
    this.db.transaction(() => {
      for (const s of series) for (const id of s.ids) stmt.run(s.evaluatedUntil, id);
    })();
  }

  /** Prepares the statements that record fires now (the service's start), not in the first frame that fires. */
  prepareFires(): void {
    this.sql(INSERT_FIRE);
    this.sql(INSERT_DELIVERY);
  }

  /**
   * Records fires once each, in one transaction (one commit for the batch), with their deliveries
   * queued (or already done) and a `once` rule marked fired; returns the fires that were new (a
   * known key is skipped). Throws, recording nothing, when the transaction fails.
   */
  recordFires(batch: readonly NewFire[], now: number): NewFire[] {
    this.recordTx ??= this.db.transaction((fires: readonly NewFire[], at: number) => this.insertFires(fires, at));
    return this.recordTx(batch, now);
  }

  /** The body of {@link recordFires}, inside its transaction. */
  private insertFires(batch: readonly NewFire[], now: number): NewFire[] {
    const fresh: NewFire[] = [];
    const insert = this.sql(INSERT_FIRE);
    const queue = this.sql(INSERT_DELIVERY);
    for (const n of batch) {
      const f = n.fire;
      const value = typeof f.value === "number" ? `n:${f.value}` : `s:${f.value}`;
      let desktop: string | null = null;
      for (const d of n.deliveries) if (d.channel === "desktop") desktop = d.done ? "delivered" : "pending";
      const added = insert.run(f.key, f.rule, f.time, f.barTime, value, f.message, n.lateMs, now, desktop);
      if (added.changes === 0) continue;
      for (const d of n.deliveries) if (d.channel !== "desktop") queue.run(added.lastInsertRowid, d.channel, d.done ? "delivered" : "pending", d.done ? 1 : 0, now, now);
      if (n.firedOnce) this.saveFiring(f.rule, { firedOnce: true, paused: null }, now);
      fresh.push(n);
    }
    return fresh;
  }


  /** Pending deliveries of `channel` due at `now`, oldest first. */
  due(channel: DeliveryChannel, now: number, limit = 100): PendingDelivery[] {
    const rows = this.sql(
        `SELECT f.key, f.rule_id, f.time, f.bar_time, f.value, f.message, f.late_ms, d.attempts FROM alert_deliveries d JOIN alert_fires f ON f.id = d.fire_id
         WHERE d.channel = ? AND d.status = 'pending' AND d.next_at <= ? ORDER BY d.next_at, f.time LIMIT ?`,
      )
      .all(channel, now, limit) as (FireDbRow & { attempts: number })[];
    return rows.map((r) => ({ fire: toFire(r), channel, attempts: r.attempts }));
  }

  /** Marks a delivery of `fire` done. */
  delivered(fire: FireRef, channel: DeliveryChannel, attempts: number, now: number): void {
    this.sql(`UPDATE alert_deliveries SET status = 'delivered', attempts = ?, last_error = NULL, updated_at = ? WHERE fire_id = (${FIRE_ID}) AND channel = ?`)
      .run(attempts, now, fire.barTime, fire.key, channel);
  }

  /** Records a failed attempt of a delivery of `fire`: retried at `nextAt`, or dead when `nextAt` is null. */
  failed(fire: FireRef, channel: DeliveryChannel, attempts: number, error: string, nextAt: number | null, now: number): void {
    this.sql(`UPDATE alert_deliveries SET status = ?, attempts = ?, last_error = ?, next_at = coalesce(?, next_at), updated_at = ? WHERE fire_id = (${FIRE_ID}) AND channel = ?`)
      .run(nextAt === null ? "dead" : "pending", attempts, error, nextAt, now, fire.barTime, fire.key, channel);
  }

  /** The fire log, newest first, with each fire's deliveries. */
  log(filter: { rule?: string | undefined; since?: number | undefined; limit: number }): AlertLogEntry[] {
    const where: string[] = [];
    const params: (string | number)[] = [];
    if (filter.rule !== undefined) {
      where.push("rule_id = ?");
      params.push(filter.rule);
    }
    if (filter.since !== undefined) {
      where.push("time >= ?");
      params.push(filter.since);
    }
    const sql = `SELECT id, key, rule_id, time, bar_time, value, message, late_ms, desktop FROM alert_fires ${where.length ? `WHERE ${where.join(" AND ")}` : ""} ORDER BY time DESC, key DESC LIMIT ?`;
    const fires = this.sql(sql).all(...params, filter.limit) as (FireDbRow & { desktop: AlertDeliveryRow["status"] | null })[];
    const webhooks = this.sql("SELECT channel, status, attempts, last_error FROM alert_deliveries WHERE fire_id = ? ORDER BY channel");
    return fires.map((r) => {
      const d = webhooks.all(r.id) as DeliveryDbRow[];
      const desktop: DeliveryDbRow[] = r.desktop === null ? [] : [{ channel: "desktop", status: r.desktop, attempts: r.desktop === "delivered" ? 1 : 0, last_error: null }];
      return { ...toFire(r), deliveries: desktop.concat(d).map((x) => ({ channel: x.channel, status: x.status, attempts: x.attempts, error: x.last_error })) };
    });
  }
}
