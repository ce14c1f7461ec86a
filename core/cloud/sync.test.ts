/**
 * End to end: a real `workstation cloud serve` process on loopback and three desktops (separate
 * data directories) driven through the CLI, converging under concurrent edits; the service's
 * data directory and logs never hold a strategy name, source, setting or the password; tampered,
 * rolled-back and newer-schema records; a wrong password; refresh-token reuse.
 */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import Database from "better-sqlite3";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { encryptRecord, recordId, hkdf } from "../../common/cloud/crypto.ts";
import type { VersionInfo } from "../strategy/library.ts";
import { startCore } from "../app.ts";
import { connectToRunningCore } from "../cli/core-client.ts";
import { silentLogger } from "../log.ts";
import { openAppDb } from "../store/app-db.ts";
import type { KeychainBackend } from "../secrets/keychain.ts";
import { CloudSession, login } from "./session.ts";
import { syncOnce, type SyncResult } from "./sync.ts";
import type { CliRun } from "../cli/testing.ts";
import { desktopCli, startCloudService, syncJson, type CloudServiceProcess } from "./testing.ts";

const PASSWORD = "plover-umbrella-quartz-71";
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "cloud-e2e-"));
const serviceDir = path.join(tmp, "service");
const dev = (name: string): string => path.join(tmp, name);
const baseEnv = { WORKSTATION_PASSWORD: PASSWORD, WORKSTATION_CLOUD_KEYCHAIN: "off" };
let service: CloudServiceProcess;
let url = "";
let recoveryKey = "";
const cli: (dir: string, args: string[], env?: Record<string, string>) => Promise<CliRun> = desktopCli(baseEnv);
const sync = (dir: string): Promise<SyncResult> => syncJson(cli, dir);

function withApp<T>(dir: string, work: (app: ReturnType<typeof openAppDb>) => T): T {
  const app = openAppDb(dir);
  try {
    return work(app);
  } finally {
    app.close();
  }
}

async function withAppAsync<T>(dir: string, work: (app: ReturnType<typeof openAppDb>) => Promise<T>): Promise<T> {
  const app = openAppDb(dir);
  try {
    return await work(app);
  } finally {
    app.close();
  }
}

async function saveStrategy(dir: string, name: string, source: string): Promise<void> {
  const file = path.join(tmp, `${Math.random().toString(36).slice(2)}.ts`);
  fs.writeFileSync(file, source);
  expect((await cli(dir, ["strategies", "save", file, "--name", name])).code).toBe(0);
}

async function versions(dir: string, name: string): Promise<VersionInfo[]> {
  return JSON.parse((await cli(dir, ["strategies", "versions", name, "--json"])).out[0]!) as VersionInfo[];
}

const serviceDb = (): Database.Database => new Database(path.join(serviceDir, "cloud.sqlite"));

beforeAll(async () => {
  // More devices log in to one account from one address in this file than the default limit allows a minute.
  service = await startCloudService(serviceDir, { WORKSTATION_CLOUD_LOGIN_LIMIT: "100" });
  url = service.url;
}, 30_000);

afterAll(async () => {
  await service.stop();
  fs.rmSync(tmp, { recursive: true, force: true });
});

describe("sync through a real cloud service", () => {
  it("prints a loopback URL with the real port", () => {
    expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(url.endsWith(":0")).toBe(false);
  });

  it("signs up (recovery key on stdout), logs two more devices in, and refuses a weak password", async () => {
    const weak = await cli(dev("weak"), ["account", "signup", "--server", url, "--email", "w@example.org"], { WORKSTATION_PASSWORD: "password" });
    expect(weak.code).toBe(1);
    expect(weak.err[0]).toContain("at least 12 characters");
    const common = await cli(dev("weak"), ["account", "signup", "--server", url, "--email", "w@example.org"], { WORKSTATION_PASSWORD: "Qwerty123456" });
    expect(common.err[0]).toContain("common passwords");
    const up = await cli(dev("a"), ["account", "signup", "--server", url, "--email", "trader@example.org"]);
    expect(up.code).toBe(0);
    expect(up.out).toHaveLength(1);
    expect(up.out[0]).toMatch(/^([0-9a-f]{8}-){7}[0-9a-f]{8}$/);
    recoveryKey = up.out[0]!;
    for (const d of ["b", "c"]) expect((await cli(dev(d), ["account", "login", "--server", url, "--email", "trader@example.org"])).code).toBe(0);
    const wrong = await cli(dev("x"), ["account", "login", "--server", url, "--email", "trader@example.org"], { WORKSTATION_PASSWORD: "not-the-password-at-all" });
    expect(wrong.err[0]).toContain("wrong email or password");
    const devices = JSON.parse((await cli(dev("a"), ["account", "devices", "--json"])).out[0]!) as unknown[];
    expect(devices).toHaveLength(3);
  }, 60_000);

  it("syncs strategies as versions and keeps both sides of concurrent edits as a fork", async () => {
    await saveStrategy(dev("a"), "Momentum Alpha", "// ZETA_MARKER one\nexport default 1;\n");
    expect(await sync(dev("a"))).toEqual({ pushed: 1, pulled: 0, conflicts: 0 });
    expect(await sync(dev("b"))).toEqual({ pushed: 0, pulled: 1, conflicts: 0 });
    expect((await cli(dev("b"), ["strategies", "show", "Momentum Alpha"])).out).toEqual(["// ZETA_MARKER one\nexport default 1;"]);
    await saveStrategy(dev("a"), "Momentum Alpha", "// ZETA_MARKER two-a\n");
    await saveStrategy(dev("b"), "Momentum Alpha", "// ZETA_MARKER two-b\n");
    await sync(dev("a"));
    const b = await sync(dev("b"));
    expect(b).toMatchObject({ pushed: 1, pulled: 1 });
    expect(b.conflicts).toBeGreaterThanOrEqual(1);
    await sync(dev("a"));
    const va = await versions(dev("a"), "Momentum Alpha");
    const vb = await versions(dev("b"), "Momentum Alpha");
    expect(va).toHaveLength(3);
    expect(new Set(va.map((v) => v.hash))).toEqual(new Set(vb.map((v) => v.hash)));
    expect(va.filter((v) => v.fork)).toHaveLength(2);
  }, 60_000);

  it("resumes after a connection cut mid-pull with no gap and no duplicate", async () => {
    expect((await cli(dev("p"), ["account", "login", "--server", url, "--email", "trader@example.org"])).code).toBe(0);
    await withAppAsync(dev("p"), async (app) => {
      const session = await CloudSession.open({ db: app.db, env: baseEnv, password: async () => PASSWORD });
      let pages = 0;
      const cut = new Proxy(session, {
        get(target, prop, receiver) {
          if (prop !== "request") return Reflect.get(target, prop, receiver) as unknown;
          return async (method: string, route: string, body?: unknown) => {
            if (method === "GET" && ++pages === 3) throw new Error("connection reset");
            return target.request(method, route, body);
          };
        },
      });
      await expect(syncOnce(app.db, cut, { pageSize: 1 })).rejects.toThrow("connection reset");
      const cursor = app.db.prepare<[], { cursor: number }>("SELECT cursor FROM cloud_account").get()!.cursor;
      expect(cursor).toBeGreaterThan(0);
      await syncOnce(app.db, session, { pageSize: 1 });
    });
    const mine = await versions(dev("p"), "Momentum Alpha");
    const theirs = await versions(dev("a"), "Momentum Alpha");
    expect(mine).toHaveLength(theirs.length);
    expect(new Set(mine.map((v) => v.hash))).toEqual(new Set(theirs.map((v) => v.hash)));
  }, 30_000);

  it("merges settings per field by clock and propagates watchlist deletes, on three devices in any order", async () => {
    withApp(dev("a"), (app) => app.setSetting("ui.settings", { theme: "light", timeZone: "UTC" }));
    await sync(dev("a"));
    await sync(dev("b"));
    withApp(dev("a"), (app) => app.setSetting("ui.settings", { theme: "dark", timeZone: "UTC" }));
    withApp(dev("b"), (app) => {
      app.setSetting("ui.settings", { theme: "light", timeZone: "Asia/Tokyo" });
      app.db.prepare("INSERT INTO watchlists (name, created_at) VALUES ('Majors Watch', 1)").run();
      app.db.prepare("INSERT INTO watchlist_items (watchlist_id, venue, symbol, position) SELECT id, 'kraken', 'BTC/USD', 0 FROM watchlists WHERE name = 'Majors Watch'").run();
    });
    await sync(dev("b"));
    await sync(dev("a"));
    await sync(dev("c"));
    withApp(dev("c"), (app) => app.db.prepare("DELETE FROM watchlists WHERE name = 'Majors Watch'").run());
    await sync(dev("c"));
    await sync(dev("a"));
    await sync(dev("b"));
    for (const d of ["a", "b", "c"]) {
      withApp(dev(d), (app) => {
        expect(app.getSetting("ui.settings")).toEqual({ theme: "dark", timeZone: "Asia/Tokyo" });
        expect(app.db.prepare("SELECT count(*) AS n FROM watchlists WHERE name = 'Majors Watch'").get()).toEqual({ n: 0 });
      });
      expect((await versions(dev(d), "Momentum Alpha")).map((v) => v.hash).sort()).toEqual((await versions(dev("a"), "Momentum Alpha")).map((v) => v.hash).sort());
    }
  }, 60_000);

  it("runs through the running core when there is one, with the same output", async () => {
    let viaCore: string[] | undefined;
    const core = await startCore({ dataDir: dev("c"), log: silentLogger(), port: 0, staticDir: tmp, feeds: { venues: {}, simulated: false, simulatedRate: 1 } });
    try {
      await saveStrategy(dev("b"), "Core Routed", "// ZETA_MARKER via core\n");
      await sync(dev("b"));
      expect(await sync(dev("c"))).toEqual({ pushed: 0, pulled: 1, conflicts: 0 });
      const failed = await cli(dev("c"), ["sync", "--json"], { WORKSTATION_PASSWORD: "wrong-password-here" });
      expect(failed.err[0]).toContain("wrong password");
      const client = (await connectToRunningCore(dev("c")))!;
      try {
        expect(await client.call("cloud.status", {})).toMatchObject({ loggedIn: true, syncing: false, lastError: "wrong password: nothing was synced" });
        expect((await client.call("cloud.devices", {})).filter((d) => d.current)).toHaveLength(1);
        expect(await client.call("cloud.setSyncEnabled", { enabled: true })).toMatchObject({ syncEnabled: true });
        expect(await client.call("cloud.logout", {})).toMatchObject({ loggedIn: false });
        expect(await client.call("cloud.login", { server: url, email: "trader@example.org", password: PASSWORD })).toMatchObject({ loggedIn: true, email: "trader@example.org" });
        expect((await client.call("cloud.sync", { password: PASSWORD })).pulled).toBeGreaterThan(0);
        await expect(client.call("cloud.signup", { server: url, email: "trader@example.org", password: PASSWORD })).rejects.toThrow("an account with this email already exists");
      } finally {
        client.close();
      }
      viaCore = (await cli(dev("c"), ["account", "status", "--json"])).out;
      expect(JSON.parse((await cli(dev("c"), ["account", "devices", "--json"])).out[0]!)).toContainEqual(expect.objectContaining({ current: true }));
    } finally {
      await core.stop();
    }
    expect((await cli(dev("c"), ["account", "status", "--json"])).out).toEqual(viaCore);
  }, 60_000);

  it("deletes a strategy everywhere through its tombstone", async () => {
    withApp(dev("b"), (app) => app.db.prepare("DELETE FROM strategies WHERE name = 'Core Routed'").run());
    await sync(dev("b"));
    await sync(dev("a"));
    expect((await cli(dev("a"), ["strategies", "list", "--json"])).out[0]).not.toContain("Core Routed");
    expect((await cli(dev("a"), ["strategies", "list", "--json"])).out[0]).toContain("Momentum Alpha");
  });

  it("keeps the refresh token and data key in the keychain when there is one, and syncs without a password", async () => {
    const entries = new Map<string, string>();
    const keychain: KeychainBackend = {
      set: async (a, v) => void entries.set(a, v),
      get: async (a) => entries.get(a) ?? null,
      delete: async (a) => entries.delete(a),
      accounts: async () => [...entries.keys()],
    };
    await withAppAsync(dev("k"), async (app) => {
      await login({ db: app.db, env: {}, password: async () => PASSWORD, keychain }, url, "trader@example.org");
      expect(app.db.prepare("SELECT keychain, refresh_token FROM cloud_account").get()).toEqual({ keychain: 1, refresh_token: null });
      const first = [...entries.values()][0]!;
      const noPassword = async (): Promise<string> => {
        throw new Error("no password here");
      };
      const session = await CloudSession.open({ db: app.db, env: {}, password: noPassword, keychain });
      expect((await syncOnce(app.db, session)).pulled).toBeGreaterThan(0);
      expect([...entries.values()][0]).not.toBe(first);
      await session.logout();
      expect(entries.size).toBe(0);
    });
  }, 30_000);

  it("refuses a wrong password before touching anything", async () => {
    const before = withApp(dev("b"), (app) => app.db.prepare("SELECT cursor, last_sync_at FROM cloud_account").get());
    const r = await cli(dev("b"), ["sync", "--json"], { WORKSTATION_PASSWORD: "wrong-password-here" });
    expect(r.code).toBe(1);
    expect(r.err[0]).toContain("wrong password");
    expect(withApp(dev("b"), (app) => app.db.prepare("SELECT cursor, last_sync_at FROM cloud_account").get())).toEqual(before);
  });

  it("keeps and defers a record from a newer schema", async () => {
    await sync(dev("a"));
    await withAppAsync(dev("c"), async (app) => {
      const session = await CloudSession.open({ db: app.db, env: baseEnv, password: async () => PASSWORD });
      const key = await session.dataKey();
      const id = await recordId(await hkdf(key, "record-ids"), "settings\0from.the.future");
      const body = await encryptRecord(key, { id, collection: "settings", version: 1, keyId: session.account.keyId, schema: 99 }, { anything: true });
      await session.request("POST", "/v1/records", { records: [{ id, version: 1, body }] });
    });
    expect(await sync(dev("a"))).toMatchObject({ pulled: 1 });
    expect(withApp(dev("a"), (app) => app.db.prepare("SELECT schema FROM sync_deferred").all())).toEqual([{ schema: 99 }]);
  });

  it("refuses a tampered and a rolled-back record with an integrity error, keeping the local copy", async () => {
    const db = serviceDb();
    try {
      const row = db.prepare<[], { account_id: string; id: string; version: number; body: string }>("SELECT account_id, id, version, body FROM records WHERE version >= 2 ORDER BY seq DESC LIMIT 1").get()!;
      const next = () => (db.prepare<[], { s: number }>("SELECT max(seq) AS s FROM records").get()!.s ?? 0) + 1;
      const settingsBefore = withApp(dev("a"), (app) => app.getSetting("ui.settings"));
      db.prepare("UPDATE records SET version = version + 1, seq = ?, body = replace(body, '\"d\":\"', '\"d\":\"AA') WHERE account_id = ? AND id = ?").run(next(), row.account_id, row.id);
      const tampered = await cli(dev("a"), ["sync", "--json"]);
      expect(tampered.code).toBe(1);
      expect(tampered.err[0]).toMatch(/integrity check/);
      db.prepare("UPDATE records SET version = 1, seq = ?, body = ? WHERE account_id = ? AND id = ?").run(next(), row.body, row.account_id, row.id);
      const rolled = await cli(dev("a"), ["sync", "--json"]);
      expect(rolled.code).toBe(1);
      expect(rolled.err[0]).toMatch(/rolled back/);
      expect(withApp(dev("a"), (app) => app.getSetting("ui.settings"))).toEqual(settingsBefore);
      db.prepare("UPDATE records SET version = ?, seq = ?, body = ? WHERE account_id = ? AND id = ?").run(row.version, next(), row.body, row.account_id, row.id);
      expect((await cli(dev("a"), ["sync", "--json"])).code).toBe(0);
    } finally {
      db.close();
    }
  });

  it("revokes the whole session when a refresh token is used twice", async () => {
    const token = () => withApp(dev("b"), (app) => app.db.prepare<[], { refresh_token: string }>("SELECT refresh_token FROM cloud_account").get()!.refresh_token);
    const old = token();
    expect((await cli(dev("b"), ["account", "devices"])).code).toBe(0);
    const rotated = token();
    expect(rotated).not.toBe(old);
    withApp(dev("b"), (app) => app.db.prepare("UPDATE cloud_account SET refresh_token = ?").run(old));
    const reuse = await cli(dev("b"), ["account", "devices"]);
    expect(reuse.code).toBe(1);
    expect(reuse.err[0]).toContain("log in again");
    withApp(dev("b"), (app) => app.db.prepare("UPDATE cloud_account SET refresh_token = ?").run(rotated));
    expect((await cli(dev("b"), ["account", "devices"])).code).toBe(1);
  });

  it("lets the account win over what a freshly logged-in device held before", async () => {
    withApp(dev("q"), (app) => app.setSetting("ui.settings", { theme: "stale", timeZone: "UTC" }));
    expect((await cli(dev("q"), ["account", "login", "--server", url, "--email", "trader@example.org"])).code).toBe(0);
    await sync(dev("q"));
    await sync(dev("a"));
    for (const d of ["a", "q"]) withApp(dev(d), (app) => expect(app.getSetting("ui.settings")).toEqual({ theme: "dark", timeZone: "Asia/Tokyo" }));
  });

  it("changes the password by re-wrapping the key; other devices then need the new one", async () => {
    const NEXT = "another-long-passphrase-55";
    const changed = await cli(dev("a"), ["account", "password"], { WORKSTATION_NEW_PASSWORD: NEXT });
    expect(changed.code, changed.err.join("\n")).toBe(0);
    const old = await cli(dev("c"), ["sync", "--json"]);
    expect(old.err[0]).toContain("wrong password");
    expect(JSON.parse((await cli(dev("c"), ["sync", "--json"], { WORKSTATION_PASSWORD: NEXT })).out[0]!)).toMatchObject({ conflicts: 0 });
    const login = await cli(dev("t"), ["account", "login", "--server", url, "--email", "trader@example.org"], { WORKSTATION_PASSWORD: NEXT });
    expect(login.code).toBe(0);
  }, 30_000);

  it("resets a forgotten password with the recovery key (every other device signed out), then deletes the account", async () => {
    const NEW = "a-brand-new-passphrase-9";
    const wrongKey = await cli(dev("r"), ["account", "recover", "--server", url, "--email", "trader@example.org"], { WORKSTATION_RECOVERY_KEY: "00".repeat(32), WORKSTATION_NEW_PASSWORD: NEW });
    expect(wrongKey.err[0]).toContain("wrong email or recovery key");
    const ok = await cli(dev("r"), ["account", "recover", "--server", url, "--email", "trader@example.org"], { WORKSTATION_RECOVERY_KEY: recoveryKey, WORKSTATION_NEW_PASSWORD: NEW });
    expect(ok.code, ok.err.join("\n")).toBe(0);
    const pulled = await cli(dev("r"), ["sync", "--json"], { WORKSTATION_PASSWORD: NEW });
    expect(pulled.err).toEqual([]);
    expect(JSON.parse(pulled.out[0]!).pulled).toBeGreaterThan(0);
    expect((await cli(dev("r"), ["strategies", "list"])).out.join("\n")).toContain("Momentum Alpha");
    expect((await cli(dev("a"), ["account", "devices"])).code).toBe(1);
    expect((await cli(dev("r"), ["account", "delete"], { WORKSTATION_PASSWORD: NEW })).code).toBe(0);
    const gone = await cli(dev("s"), ["account", "login", "--server", url, "--email", "trader@example.org"], { WORKSTATION_PASSWORD: NEW });
    expect(gone.err[0]).toContain("wrong email or password");
    const counts = serviceDb().prepare("SELECT (SELECT count(*) FROM accounts) AS a, (SELECT count(*) FROM devices) AS d, (SELECT count(*) FROM refresh_tokens) AS t, (SELECT count(*) FROM records) AS r").get();
    expect(counts).toEqual({ a: 0, d: 0, t: 0, r: 0 });
  }, 60_000);

  it("leaves no strategy name, source, setting or password in the service's data directory or logs", async () => {
    const needles = ["Momentum Alpha", "Core Routed", "ZETA_MARKER", "Asia/Tokyo", "Majors Watch", "BTC/USD", PASSWORD, "another-long-passphrase-55", "a-brand-new-passphrase-9", recoveryKey, recoveryKey.replace(/-/g, "")];
    const files = fs.readdirSync(serviceDir, { recursive: true }).map((f) => path.join(serviceDir, String(f))).filter((f) => fs.statSync(f).isFile());
    expect(files.length).toBeGreaterThan(0);
    const haystack = files.map((f) => fs.readFileSync(f).toString("latin1")).join("\n") + service.log();
    for (const n of needles) expect(haystack.includes(n), n).toBe(false);
  });
});
