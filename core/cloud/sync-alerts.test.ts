/**
 * Alert rules, layouts and drawings through a real `workstation cloud serve` process: two desktops
 * (separate data directories) converge per field under concurrent edits in either order, deletes
 * propagate, a strategy rule pulled before its strategy applies once the strategy is there, and a
 * running alerts service validates pulled rules (keeping one that does not validate aside with a
 * note) and evaluates the pulled changes without a restart; a record an earlier build kept aside
 * is applied; a revoked device is refused. The service's data directory and log never hold a
 * rule's message or a layout's name.
 */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import Database from "better-sqlite3";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { AlertRule } from "../../common/alerts/types.ts";
import type { ChartDrawing } from "../../common/api/ui-chart.ts";
import { AlertDb } from "../alerts/alert-db.ts";
import { AlertService } from "../alerts/service.ts";
import { frameEnd, TestFeed } from "../alerts/testing.ts";
import { silentLogger } from "../log.ts";
import { ChartUiState } from "../services/ui-chart.ts";
import { openAppDb, type AppDb } from "../store/app-db.ts";
import { encryptRecord, hkdf, recordId } from "../../common/cloud/crypto.ts";
import { formatHlc } from "../../common/cloud/hlc.ts";
import { CloudSyncService } from "./service.ts";
import { CloudSession } from "./session.ts";
import { desktopCli, startCloudService, syncJson, type CloudServiceProcess } from "./testing.ts";

const PASSWORD = "marmot-lighthouse-cobalt-38";
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "cloud-alerts-e2e-"));
const serviceDir = path.join(tmp, "service");
const dev = (name: string): string => path.join(tmp, name);
const baseEnv = { WORKSTATION_PASSWORD: PASSWORD, WORKSTATION_CLOUD_KEYCHAIN: "off" };
const cli = desktopCli(baseEnv);
const sync = (dir: string): ReturnType<typeof syncJson> => syncJson(cli, dir);
const T0 = Date.UTC(2026, 0, 5, 12, 0, 0);
let service: CloudServiceProcess;

const rule = (id: string, extra: Record<string, unknown> = {}): Record<string, unknown> => ({
  id, venue: "kraken", symbol: "BTC/USD", timeframe: "1m", frequency: "once_per_bar",
  condition: { type: "price", op: "above", value: "100" }, message: `QUOKKA message of ${id}`, deliver: { desktop: true }, ...extra,
});

function withApp<T>(dir: string, work: (app: AppDb) => T): T {
  const app = openAppDb(dir);
  try {
    return work(app);
  } finally {
    app.close();
  }
}

async function addRule(dir: string, r: Record<string, unknown>): Promise<void> {
  const file = path.join(tmp, `${Math.random().toString(36).slice(2)}.json`);
  fs.writeFileSync(file, JSON.stringify(r));
  const run = await cli(dir, ["alerts", "add", file]);
  expect(run.code, run.err.join("\n")).toBe(0);
}

const rules = (dir: string): AlertRule[] => withApp(dir, (app) => new AlertDb(app.db).rules().map((r) => r.rule)).sort((x, y) => x.id.localeCompare(y.id));
const ruleById = (dir: string, id: string): AlertRule | undefined => rules(dir).find((r) => r.id === id);
const chart = (app: AppDb): ChartUiState => new ChartUiState(() => app);
const layoutsOf = (dir: string): Record<string, unknown> => withApp(dir, (app) => Object.fromEntries(chart(app).layouts().map((l) => [l.name, l.layout])));

beforeAll(async () => {
  service = await startCloudService(serviceDir);
  expect((await cli(dev("a"), ["account", "signup", "--server", service.url, "--email", "alerts@example.org"])).code).toBe(0);
  for (const d of ["b", "c"]) expect((await cli(dev(d), ["account", "login", "--server", service.url, "--email", "alerts@example.org"])).code).toBe(0);
}, 60_000);

afterAll(async () => {
  await service.stop();
  fs.rmSync(tmp, { recursive: true, force: true });
});

describe("alert rules, layouts and drawings through a real cloud service", () => {
  it("merges alert rules per field under concurrent edits in either order, and propagates a delete", async () => {
    await addRule(dev("a"), rule("r1"));
    expect(await sync(dev("a"))).toMatchObject({ pushed: 1 });
    expect(await sync(dev("b"))).toMatchObject({ pulled: 1 });
    expect(ruleById(dev("b"), "r1")).toEqual(ruleById(dev("a"), "r1"));

    // a changes the message, b the level; a syncs first.
    await addRule(dev("a"), rule("r1", { message: "QUOKKA edited on a" }));
    await addRule(dev("b"), rule("r1", { condition: { type: "price", op: "above", value: "200" } }));
    await sync(dev("a"));
    await sync(dev("b"));
    await sync(dev("a"));
    for (const d of ["a", "b"]) expect(ruleById(dev(d), "r1")).toMatchObject({ message: "QUOKKA edited on a", condition: { value: "200" } });

    // The other way round: b syncs first.
    await addRule(dev("a"), rule("r1", { message: "QUOKKA edited on a", condition: { type: "price", op: "above", value: "300" } }));
    await addRule(dev("b"), rule("r1", { message: "QUOKKA edited on b", condition: { type: "price", op: "above", value: "200" } }));
    await addRule(dev("b"), rule("r2"));
    await sync(dev("b"));
    await sync(dev("a"));
    await sync(dev("b"));
    for (const d of ["a", "b"]) expect(ruleById(dev(d), "r1")).toMatchObject({ message: "QUOKKA edited on b", condition: { value: "300" } });
    expect(rules(dev("a"))).toEqual(rules(dev("b")));

    expect((await cli(dev("b"), ["alerts", "remove", "r1"])).code).toBe(0);
    await sync(dev("b"));
    await sync(dev("a"));
    expect(rules(dev("a")).map((r) => r.id)).toEqual(["r2"]);
    expect(rules(dev("b"))).toEqual(rules(dev("a")));
  }, 60_000);

  it("keeps layouts per name and drawings per id, last writer wins in either order, deletes propagate", async () => {
    const line = (id: string): ChartDrawing => ({ id, kind: "hline", a: { time: T0, price: 100 }, b: { time: T0, price: 100 } });
    withApp(dev("a"), (app) => {
      chart(app).saveLayout("QUOKKA Scalping", { panes: 2 });
      chart(app).setDrawings("kraken", "BTC/USD", [line("d1")]);
    });
    withApp(dev("b"), (app) => {
      chart(app).saveLayout("Swing Board", { panes: 1 });
      chart(app).setDrawings("kraken", "BTC/USD", [line("d2")]);
    });
    await sync(dev("a"));
    await sync(dev("b"));
    await sync(dev("a"));
    for (const d of ["a", "b"]) {
      expect(layoutsOf(dev(d))).toEqual({ "QUOKKA Scalping": { panes: 2 }, "Swing Board": { panes: 1 } });
      expect(withApp(dev(d), (app) => chart(app).drawings("kraken", "BTC/USD")).map((x) => x.id).sort()).toEqual(["d1", "d2"]);
    }

    for (const [first, second] of [["b", "a"], ["a", "b"]] as const) {
      withApp(dev(first), (app) => chart(app).saveLayout("QUOKKA Scalping", { panes: `from ${first}` }));
      withApp(dev(second), (app) => chart(app).saveLayout("QUOKKA Scalping", { panes: `from ${second}` }));
      await sync(dev(first));
      await sync(dev(second));
      await sync(dev(first));
      for (const d of ["a", "b"]) expect(layoutsOf(dev(d))["QUOKKA Scalping"]).toEqual({ panes: `from ${second}` });
    }

    withApp(dev("a"), (app) => {
      chart(app).deleteLayout("Swing Board");
      chart(app).setDrawings("kraken", "BTC/USD", [line("d2")]);
    });
    await sync(dev("a"));
    await sync(dev("b"));
    expect(Object.keys(layoutsOf(dev("b")))).toEqual(["QUOKKA Scalping"]);
    expect(withApp(dev("b"), (app) => chart(app).drawings("kraken", "BTC/USD"))).toEqual([line("d2")]);
  }, 60_000);

  it("leaves alone the whole-value layouts setting an earlier build synced: neither applied nor deleted", async () => {
    const before = layoutsOf(dev("b"));
    const app = openAppDb(dev("a"));
    try {
      const session = await CloudSession.open({ db: app.db, env: baseEnv, password: async () => PASSWORD });
      const key = await session.dataKey();
      const id = await recordId(await hkdf(key, "record-ids"), "settings\0ui.layouts");
      const fields = { "=": { hlc: formatHlc({ wall: Date.now() + 60_000, counter: 0, node: "oldbuild" }), value: [] } };
      const body = await encryptRecord(key, { id, collection: "settings", version: 1, keyId: session.account.keyId, schema: 1 }, { key: "ui.layouts", fields });
      await session.request("POST", "/v1/records", { records: [{ id, version: 1, body }] });
    } finally {
      app.close();
    }
    expect(await sync(dev("b"))).toEqual({ pushed: 0, pulled: 1, conflicts: 0 });
    expect(layoutsOf(dev("b"))).toEqual(before);
    expect(await sync(dev("b"))).toEqual({ pushed: 0, pulled: 0, conflicts: 0 });
  }, 30_000);

  it("applies a strategy rule pulled before its strategy once the strategy has arrived", async () => {
    const file = path.join(tmp, "quokka-strategy.ts");
    fs.writeFileSync(file, "export default 1;\n");
    expect((await cli(dev("a"), ["strategies", "save", file, "--name", "QUOKKA Strat"])).code).toBe(0);
    await addRule(dev("a"), rule("s1", { condition: { type: "strategy", strategy: "QUOKKA Strat" } }));
    await sync(dev("a"));
    await sync(dev("b"));
    expect(ruleById(dev("b"), "s1")).toMatchObject({ condition: { type: "strategy", strategy: "QUOKKA Strat" } });
    expect(withApp(dev("b"), (app) => new AlertDb(app.db).deferredRules())).toEqual([]);
  }, 30_000);

  it("validates pulled rules through the running alerts service, which evaluates them without a restart", async () => {
    const feed = new TestFeed();
    const app = openAppDb(dev("c"));
    const alerts = new AlertService({ db: () => app.db, feed, secret: async () => null, log: { warn: () => undefined, error: () => undefined } });
    const warnings: string[] = [];
    const log = silentLogger();
    log.warn = ((line: unknown) => void warnings.push(String(line))) as typeof log.warn;
    const cloud = new CloudSyncService(() => app.db, log, { env: baseEnv, intervalMs: 3_600_000, alerts });
    const fires = (): number => alerts.log({ rule: "live", limit: 10 }).length;
    try {
      await alerts.start();
      // This core has no strategy library: the pulled strategy rule is kept aside.
      await cloud.sync();
      expect(new AlertDb(app.db).deferredRules()).toEqual([expect.objectContaining({ id: "s1", note: expect.stringContaining("strategy alerts are not available here") })]);
      expect(alerts.list().map((r) => r.rule.id)).toEqual(["r2"]);
      await addRule(dev("a"), rule("live"));
      await sync(dev("a"));
      await cloud.sync();
      feed.push(T0 + 1_000, "150");
      await frameEnd();
      expect(fires()).toBe(1);

      await addRule(dev("a"), rule("live", { condition: { type: "price", op: "above", value: "1000" } }));
      await sync(dev("a"));
      await cloud.sync();
      feed.push(T0 + 61_000, "150");
      await frameEnd();
      expect(fires()).toBe(1);
      feed.push(T0 + 121_000, "1500");
      await frameEnd();
      expect(fires()).toBe(2);

      // An edit that does not validate here: kept aside, the rule as it was here keeps running.
      await addRule(dev("a"), rule("live", { venue: "ftx", condition: { type: "price", op: "above", value: "1000" } }));
      await sync(dev("a"));
      await cloud.sync();
      expect(new AlertDb(app.db).deferredRules().map((d) => d.id)).toEqual(["live", "s1"]);
      expect(alerts.list().find((r) => r.rule.id === "live")?.rule.venue).toBe("kraken");
      expect((await cli(dev("c"), ["alerts", "list"])).err).toContain("alert rule live from another device does not validate here and is kept aside: rule.venue: unknown venue ftx (known: kraken)");
      feed.push(T0 + 181_000, "1500");
      await frameEnd();
      expect(fires()).toBe(3);

      // Valid offline on a, refused here: kept aside with why, nothing pushed back, core unharmed.
      await addRule(dev("a"), rule("elsewhere", { venue: "ftx" }));
      await sync(dev("a"));
      await cloud.sync();
      expect(alerts.list().map((r) => r.rule.id)).not.toContain("elsewhere");
      const deferred = new AlertDb(app.db).deferredRules().find((d) => d.id === "elsewhere");
      expect(deferred).toMatchObject({ id: "elsewhere", fields: { venue: "ftx" } });
      expect(deferred!.note).toContain("rule.venue: unknown venue ftx");
      expect(warnings.join("\n")).toContain("alert rule elsewhere from another device does not validate here");
      expect(await cloud.sync()).toMatchObject({ pushed: 0 });
      await addRule(dev("a"), rule("elsewhere"));
      await sync(dev("a"));
      await cloud.sync();
      expect(new AlertDb(app.db).deferredRules().map((d) => d.id)).toEqual(["live", "s1"]);
      expect(alerts.list().map((r) => r.rule.id)).toContain("elsewhere");

      for (const id of ["live", "elsewhere", "r2", "s1"]) expect((await cli(dev("a"), ["alerts", "remove", id])).code).toBe(0);
      await sync(dev("a"));
      await cloud.sync();
      expect(alerts.list()).toEqual([]);
      expect(new AlertDb(app.db).deferredRules()).toEqual([]);
      expect(feed.subs.get("kraken|BTC/USD")?.size ?? 0).toBe(0);
    } finally {
      await cloud.stop();
      alerts.stop();
      app.close();
    }
  }, 60_000);

  it("applies a record that an earlier build kept aside once this build reads its collection", async () => {
    await addRule(dev("a"), rule("old-build"));
    await sync(dev("a"));
    await sync(dev("b"));
    const id = withApp(dev("b"), (app) => app.db.prepare<[], { record_id: string }>("SELECT record_id FROM sync_records WHERE collection = 'alert' AND natural_key = 'old-build'").get()!.record_id);
    const serviceDb = new Database(path.join(serviceDir, "cloud.sqlite"), { readonly: true });
    const stored = serviceDb.prepare<[string], { version: number; body: string }>("SELECT version, body FROM records WHERE id = ?").get(id)!;
    serviceDb.close();
    // What a build without alert sync did with that record: kept it aside, unread, and moved on.
    withApp(dev("b"), (app) => {
      app.db.prepare("DELETE FROM alert_rules WHERE id = 'old-build'").run();
      app.db.prepare("DELETE FROM sync_records WHERE record_id = ?").run(id);
      app.db.prepare("INSERT INTO sync_deferred (record_id, version, schema, body) VALUES (?, ?, 1, ?)").run(id, stored.version, stored.body);
    });
    expect(await sync(dev("b"))).toEqual({ pushed: 0, pulled: 0, conflicts: 0 });
    expect(ruleById(dev("b"), "old-build")).toEqual(ruleById(dev("a"), "old-build"));
    expect(withApp(dev("b"), (app) => app.db.prepare("SELECT count(*) AS n FROM sync_deferred").get())).toEqual({ n: 0 });
  }, 30_000);

  it("revokes a device from another one: it leaves the device list and its next sync is refused", async () => {
    expect((await cli(dev("d"), ["account", "login", "--server", service.url, "--email", "alerts@example.org"])).code).toBe(0);
    const deviceIds = async (): Promise<string[]> => (JSON.parse((await cli(dev("a"), ["account", "devices", "--json"])).out[0]!) as { id: string }[]).map((d) => d.id);
    const revoked = withApp(dev("d"), (app) => app.db.prepare<[], { device_id: string }>("SELECT device_id FROM cloud_account").get()!.device_id);
    expect(await deviceIds()).toContain(revoked);
    expect((await cli(dev("a"), ["account", "revoke", revoked])).code).toBe(0);
    expect(await deviceIds()).not.toContain(revoked);
    const refused = await cli(dev("d"), ["sync", "--json"]);
    expect(refused.code).toBe(1);
    expect(refused.err[0]).toContain("sign in again");
  }, 30_000);

  it("leaves no rule message or layout name in the service's data directory or log", () => {
    const files = fs.readdirSync(serviceDir, { recursive: true }).map((f) => path.join(serviceDir, String(f))).filter((f) => fs.statSync(f).isFile());
    expect(files.length).toBeGreaterThan(0);
    const haystack = files.map((f) => fs.readFileSync(f).toString("latin1")).join("\n") + service.log();
    for (const needle of ["QUOKKA", "Swing Board", "BTC/USD", "kraken", PASSWORD]) expect(haystack.includes(needle), needle).toBe(false);
  });
});
