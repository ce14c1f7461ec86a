import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import Database from "better-sqlite3";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { APP_DB_FILE, SchemaTooNewError, migrate, openAppDb } from "./app-db.ts";
import { APP_MIGRATIONS } from "./app-migrations.ts";

let dir = "";
beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), "appdb-"));
});
afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

function tables(db: Database.Database): string[] {
  return db.prepare<[], { name: string }>("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name").all().map((r) => r.name);
}

describe("app database", () => {
  it("creates every table from empty, in WAL mode", () => {
    const app = openAppDb(dir);
    expect(app.version).toBe(APP_MIGRATIONS.length);
    expect(app.db.pragma("journal_mode", { simple: true })).toBe("wal");
    expect(tables(app.db)).toEqual(
      expect.arrayContaining(["settings", "strategies", "strategy_versions", "watchlists", "alerts", "messages", "backtest_runs", "orders", "fills", "audit_log"]),
    );
    app.close();
  });

  it.each(APP_MIGRATIONS.map((_, v) => v).slice(1))("migrates from version %i, keeping data", (from) => {
    const old = new Database(path.join(dir, APP_DB_FILE));
    migrate(old, APP_MIGRATIONS.slice(0, from));
    old.prepare("INSERT INTO settings (key, value, updated_at) VALUES ('theme', '\"dark\"', 1)").run();
    expect(old.pragma("user_version", { simple: true })).toBe(from);
    old.close();
    const app = openAppDb(dir);
    expect(app.db.pragma("user_version", { simple: true })).toBe(APP_MIGRATIONS.length);
    expect(app.getSetting<string>("theme")).toBe("dark");
    const fresh = new Database(":memory:");
    migrate(fresh);
    expect(tables(app.db)).toEqual(tables(fresh));
    fresh.close();
    app.close();
  });

  it("refuses a newer schema and leaves the file untouched", () => {
    const db = new Database(path.join(dir, APP_DB_FILE));
    db.pragma(`user_version = ${APP_MIGRATIONS.length + 1}`);
    db.close();
    expect(() => openAppDb(dir)).toThrow(SchemaTooNewError);
    expect(() => openAppDb(dir)).toThrow(new RegExp(`schema version ${APP_MIGRATIONS.length + 1}, newer than this build`));
    const after = new Database(path.join(dir, APP_DB_FILE));
    expect(tables(after)).toEqual([]);
    after.close();
  });

  it("rolls back a failing migration entirely", () => {
    const broken = [...APP_MIGRATIONS, { name: "broken", sql: "CREATE TABLE half (x); SELECT * FROM missing_table;" }];
    const db = new Database(path.join(dir, APP_DB_FILE));
    expect(() => migrate(db, broken)).toThrow(/missing_table/);
    expect(db.pragma("user_version", { simple: true })).toBe(APP_MIGRATIONS.length);
    expect(tables(db)).not.toContain("half");
    db.close();
  });

  it("stores settings as JSON", () => {
    const app = openAppDb(dir);
    app.setSetting("recording", { retentionDays: 30 });
    app.setSetting("recording", { retentionDays: 7 });
    expect(app.getSetting("recording")).toEqual({ retentionDays: 7 });
    expect(app.getSetting("missing")).toBeUndefined();
    app.close();
  });
});
