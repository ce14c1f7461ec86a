/** The alert fire log's storage: idempotent recording and the migration to time-ordered fires. */
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
    const before = openAppDb(dir, APP_MIGRATIONS.slice(0, -1));
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
});
