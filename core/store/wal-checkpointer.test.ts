import crypto from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import Database from "better-sqlite3";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { BACKSTOP_PAGES, WalCheckpointer } from "./wal-checkpointer.ts";

let dir = "";
let db: Database.Database;
beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), "walckpt-"));
  db = new Database(path.join(dir, "t.sqlite"));
  db.pragma("journal_mode = WAL");
  db.pragma("synchronous = NORMAL");
  db.exec("CREATE TABLE t (id INTEGER PRIMARY KEY, body TEXT NOT NULL)");
});
afterEach(() => {
  if (db.open) db.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

function writeRows(n: number): void {
  const insert = db.prepare("INSERT INTO t (body) VALUES (?)");
  for (let i = 0; i < n; i++) insert.run("x".repeat(2000));
}

/** Rows in the database file alone (a copy without its log); 0 while a checkpoint is half-way. */
function rowsInDatabaseFile(): number {
  const copy = path.join(dir, `copy-${crypto.randomUUID()}.sqlite`);
  fs.copyFileSync(path.join(dir, "t.sqlite"), copy);
  const c = new Database(copy);
  try {
    return (c.prepare("SELECT count(*) AS n FROM t").get() as { n: number }).n;
  } catch {
    return 0;
  } finally {
    c.close();
  }
}

describe("WAL checkpointer", () => {
  it("applies to a file database in WAL mode only", () => {
    expect(WalCheckpointer.applies(db)).toBe(true);
    const mem = new Database(":memory:");
    expect(WalCheckpointer.applies(mem)).toBe(false);
    mem.close();
  });

  it("copies the log into the database from its worker while commits only append", async () => {
    const ckpt = new WalCheckpointer(db, { intervalMs: 10 });
    expect(db.pragma("wal_autocheckpoint", { simple: true })).toBe(BACKSTOP_PAGES);
    // 1,500 one-page commits: past SQLite's default 1,000-page checkpoint, below the backstop, so
    // only the worker can copy them into the database file.
    writeRows(1500);
    while (rowsInDatabaseFile() < 1500) await ckpt.nextRound();
    await ckpt.stop();
    expect(db.pragma("wal_autocheckpoint", { simple: true })).toBe(1000);
    expect(db.prepare("SELECT count(*) AS n FROM t").get()).toEqual({ n: 1500 });
  });

  it("gives the connection its automatic checkpoint back when the worker cannot run", async () => {
    const errors: string[] = [];
    fs.rmSync(path.join(dir, "t.sqlite"));
    const ckpt = new WalCheckpointer(db, { intervalMs: 10, onError: (m) => errors.push(m) });
    await ckpt.stop();
    expect(errors.join("\n")).toMatch(/WAL checkpointer died/);
    expect(db.pragma("wal_autocheckpoint", { simple: true })).toBe(1000);
  });
});
