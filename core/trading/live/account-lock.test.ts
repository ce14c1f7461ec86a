import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { AccountLockedError, accountHolder, accountLockPath, acquireAccountLock } from "./account-lock.ts";
import { lockChild } from "./testing.ts";

const dir = fs.mkdtempSync(path.join(os.tmpdir(), "account-lock-"));
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

describe("live account lock", () => {
  it("refuses a second process while the holder lives, and takes over once it died", async () => {
    const child = await lockChild(dir, "live:kraken");
    expect(child.line).toBe("held");
    expect(() => acquireAccountLock(dir, "live:kraken", "core")).toThrow(AccountLockedError);
    expect(() => acquireAccountLock(dir, "live:kraken", "core")).toThrow(new RegExp(`workstation live\` \\(pid ${child.pid}\\)`));
    expect(accountHolder(dir, "live:kraken")).toMatchObject({ pid: child.pid, holder: "cli" });
    // Another account is free.
    acquireAccountLock(dir, "live:binance", "core")();
    await child.kill();
    expect(accountHolder(dir, "live:kraken")).toBeNull();
    const release = acquireAccountLock(dir, "live:kraken", "core");
    expect(accountHolder(dir, "live:kraken")).toMatchObject({ pid: process.pid, holder: "core" });
    const other = await lockChild(dir, "live:kraken");
    expect(other.line).toMatch(/^refused live:kraken is traded by the running core/);
    release();
    expect(fs.existsSync(accountLockPath(dir, "live:kraken"))).toBe(false);
  });

  it("treats a lock of a pid that now belongs to another process as stale", () => {
    fs.writeFileSync(accountLockPath(dir, "live:coinbase"), JSON.stringify({ account: "live:coinbase", pid: process.pid, procStart: "1", holder: "cli", since: 1 }));
    expect(accountHolder(dir, "live:coinbase")).toBeNull();
  });
});
