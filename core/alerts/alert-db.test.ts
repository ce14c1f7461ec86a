/** The alert fire log's storage: idempotent recording, the migration to time-ordered fires and the one that keeps desktop deliveries in the fire row. */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { openAppDb } from "../store/app-db.ts";
import { APP_MIGRATIONS } from "../store/app-migrations.ts";
import { AlertDb, type NewFire } from "./alert-db.ts";

const dirs: string[] = [];
function tempDir(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "alert-db-"));
  dirs.push(dir);
  return dir;
}
afterEach(() => dirs.splice(0).forEach((d) => fs.rmSync(d, { recursive: true, force: true })));

/** The index of the migration whose name contains `text` (a database before it has the version of that index). */
function migration(text: string): number {
  return APP_MIGRATIONS.findIndex((m) => m.name.includes(text));
}

function fire(rule: string, barTime: number, webhook = false): NewFire {
  return {
    fire: { key: `${rule}:${barTime}`, rule, time: barTime + 1000, barTime, value: "43512.5", message: `${rule} fired` },
    lateMs: null,
    deliveries: webhook ? [{ channel: "desktop", done: true }, { channel: "webhook", done: false }] : [{ channel: "desktop", done: true }],
  };
}

describe("AlertDb fires", () => {
  it("records a fire once under its key, with its deliveries, and finds a delivery by its fire", () => {
    const app = openAppDb(tempDir());
    const adb = new AlertDb(app.db);
    expect(adb.recordFires([fire("a", 60_000, true), fire("b", 60_000)], 1)).toHaveLength(2);
    expect(adb.recordFires([fire("a", 60_000, true), fire("a", 120_000)], 2).map((n) => n.fire.key)).toEqual(["a:120000"]);
    const due = adb.due("webhook", 10);
    expect(due.map((d) => d.fire.key)).toEqual(["a:60000"]);
    adb.failed(due[0]!.fire, "webhook", 1, "timeout", null, 11);
    const log = adb.log({ limit: 10 });
    expect(log.map((e) => e.key)).toEqual(["a:120000", "b:60000", "a:60000"]);
    expect(log[2]!.deliveries).toEqual([
      { channel: "desktop", status: "delivered", attempts: 1, error: null },
      { channel: "webhook", status: "dead", attempts: 1, error: "timeout" },
    ]);
    app.close();
  });

  it("keeps the fires and deliveries of a database made before fires were stored in time order", () => {
    const dir = tempDir();
    const before = openAppDb(dir, APP_MIGRATIONS.slice(0, migration("fires stored in the order")));
    before.db.exec(`
      INSERT INTO alert_fires (key, rule_id, time, bar_time, value, message, late_ms, recorded_at) VALUES
        ('z:60000', 'z', 61000, 60000, 's:1.5', 'z fired', NULL, 5), ('a:120000', 'a', 121000, 120000, 'n:42', 'a fired', 7, 6);
      INSERT INTO alert_deliveries (fire_key, channel, status, attempts, next_at, last_error, updated_at) VALUES
        ('z:60000', 'desktop', 'delivered', 1, 5, NULL, 5), ('a:120000', 'webhook', 'pending', 2, 9, 'boom', 6);
    `);
    before.close();
    const app = openAppDb(dir);
    const adb = new AlertDb(app.db);
    expect(adb.log({ limit: 10 })).toEqual([
      { key: "a:120000", rule: "a", time: 121000, barTime: 120000, value: 42, message: "a fired", lateMs: 7, deliveries: [{ channel: "webhook", status: "pending", attempts: 2, error: "boom" }] },
      { key: "z:60000", rule: "z", time: 61000, barTime: 60000, value: "1.5", message: "z fired", lateMs: null, deliveries: [{ channel: "desktop", status: "delivered", attempts: 1, error: null }] },
    ]);
    expect(adb.due("webhook", 10).map((d) => [d.fire.key, d.attempts])).toEqual([["a:120000", 2]]);
    expect(adb.recordFires([fire("z", 60_000)], 20)).toEqual([]);
    expect(app.db.pragma("foreign_key_check")).toEqual([]);
    app.close();
  });

  it("keeps a fire's desktop delivery in its row (a webhook one in a row of its own), also for a database made before", () => {
    const dir = tempDir();
    const before = openAppDb(dir, APP_MIGRATIONS.slice(0, migration("desktop delivery")));
    // As the code before it recorded them: a delivered desktop and a pending webhook, a pending desktop, none.
    before.db.exec(`
      INSERT INTO alert_fires (id, key, rule_id, time, bar_time, value, message, late_ms, recorded_at) VALUES
        (1, 'a:60000', 'a', 61000, 60000, 's:1', 'a fired', NULL, 1), (2, 'b:60000', 'b', 61000, 60000, 's:1', 'b fired', NULL, 1),
        (3, 'c:60000', 'c', 61000, 60000, 's:1', 'c fired', NULL, 1);
      INSERT INTO alert_deliveries (fire_id, channel, status, attempts, next_at, updated_at) VALUES
        (1, 'desktop', 'delivered', 1, 1, 1), (1, 'webhook', 'pending', 0, 1, 1), (2, 'desktop', 'pending', 0, 1, 1);
    `);
    before.close();
    const app = openAppDb(dir);
    const adb = new AlertDb(app.db);
    expect(adb.recordFires([fire("d", 120_000), fire("e", 120_000, true)], 2)).toHaveLength(2);
    const byKey = new Map(adb.log({ limit: 10 }).map((e) => [e.key, e.deliveries]));
    const desktop = { channel: "desktop", status: "delivered", attempts: 1, error: null };
    const webhook = { channel: "webhook", status: "pending", attempts: 0, error: null };
    expect(Object.fromEntries(byKey)).toEqual({
      "a:60000": [desktop, webhook],
      "b:60000": [{ channel: "desktop", status: "pending", attempts: 0, error: null }],
      "c:60000": [],
      "d:120000": [desktop],
      "e:120000": [desktop, webhook],
    });
    expect(app.db.prepare("SELECT count(*) AS n FROM alert_deliveries WHERE channel = 'desktop'").get()).toEqual({ n: 0 });
    expect(adb.due("webhook", 10).map((d) => d.fire.key)).toEqual(["a:60000", "e:120000"]);
    expect(app.db.pragma("foreign_key_check")).toEqual([]);
    app.close();
  });
});
