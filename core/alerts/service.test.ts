import crypto from "node:crypto";
import { mkdtempSync } from "node:fs";
import http from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import type { AlertTrade } from "../../common/alerts/engine.ts";
import type { AlertLogEntry } from "../../common/api/alerts.ts";
import Database from "better-sqlite3";
import { APP_DB_FILE, openAppDb, type AppDb } from "../store/app-db.ts";
import { inProcessHost } from "../trading/in-process-host.ts";
import { AlertService } from "./service.ts";
import { frameEnd, TestFeed } from "./testing.ts";

const M = 60_000;
const T0 = Date.UTC(2026, 0, 5, 12, 0, 0);
const quiet = { warn: () => undefined, error: () => undefined };

const dbs: AppDb[] = [];
const services: AlertService[] = [];
afterEach(() => {
  services.splice(0).forEach((s) => s.stop());
  dbs.splice(0).forEach((d) => d.close());
});

function track(s: AlertService): AlertService {
  services.push(s);
  return s;
}

function appDb(dir = mkdtempSync(path.join(tmpdir(), "alerts-svc-")), backgroundCheckpoint = false): { dir: string; db: AppDb } {
  const db = openAppDb(dir, undefined, { backgroundCheckpoint });
  dbs.push(db);
  return { dir, db };
}

const rule = (id: string, extra: Record<string, unknown> = {}) => ({
  id, venue: "kraken", symbol: "BTC/USD", timeframe: "1m", frequency: "once_per_bar_close",
  condition: { type: "price", op: "above", value: "100" }, deliver: { desktop: true }, ...extra,
});

describe("alert service", () => {
  it("refuses unknown symbols and venues and strategy rules, naming the field", () => {
    const { db } = appDb();
    const svc = track(new AlertService({ db: () => db.db, feed: new TestFeed(), secret: async () => null, log: quiet }));
    expect(() => svc.add(rule("a", { symbol: "DOGE/USD" }))).toThrow("rule.symbol: DOGE/USD is not an instrument of kraken");
    expect(() => svc.add(rule("a", { venue: "ftx" }))).toThrow("rule.venue: unknown venue ftx");
    expect(() => svc.add(rule("a", { condition: { type: "strategy", strategy: "x" } }))).toThrow(/strategy alerts are not available here/);
    expect(svc.list()).toEqual([]);
    const withLibrary = track(new AlertService({ db: () => db.db, feed: new TestFeed(), secret: async () => null, log: quiet, strategies: { exists: (n) => n === "Flip", hosts: () => Promise.reject(new Error("unused")) } }));
    expect(() => withLibrary.add(rule("a", { condition: { type: "strategy", strategy: "x" } }))).toThrow("rule.condition.strategy: no saved strategy named x");
    expect(withLibrary.list()).toEqual([]);
  });

  it("a strategy rule's orders are recorded and delivered like other fires; a rule replaced by one of the other kind leaves its old evaluator", async () => {
    const { db } = appDb();
    const feed = new TestFeed();
    const hosts = async () => inProcessHost({ params: {}, onBar: (_b, ctx) => void (ctx.position.size === 0 ? ctx.buy(1) : ctx.close()) });
    const svc = track(new AlertService({ db: () => db.db, feed, secret: async () => null, log: quiet, strategies: { exists: () => true, hosts } }));
    await svc.start();
    svc.add(rule("a"));
    svc.add(rule("a", { condition: { type: "strategy", strategy: "Flip" } }));
    const seen: AlertLogEntry[] = [];
    svc.onFire((e) => seen.push(e));
    feed.push(T0 + 1000, "101");
    feed.push(T0 + M + 1000, "102");
    feed.push(T0 + 2 * M + 1000, "103");
    await svc.signalsSettled();
    const expected = [[`a:${T0}`, "a: BTC/USD buy 1 @ 101"], [`a:${T0 + M}`, "a: BTC/USD sell 1 @ 102"]];
    expect(svc.log({ limit: 10 }).map((f) => [f.key, f.message]).reverse()).toEqual(expected);
    expect(seen.map((f) => [f.key, f.message])).toEqual(expected);
    svc.add(rule("a"));
    feed.push(T0 + 3 * M + 1000, "104");
    await svc.signalsSettled();
    expect(svc.log({ limit: 10 }).map((f) => f.message)[0]).toBe("a: BTC/USD above 100 (close 103)");
  });

  it("records each fire once; after a restart, missed bars fire late from the store, nothing twice", async () => {
    const { db } = appDb();
    const feed = new TestFeed();
    let now = T0;
    const history: AlertTrade[] = [];
    const record = (ts: number, price: string) => {
      history.push({ symbol: "BTC/USD", price, size: "1", ts });
      feed.push(ts, price);
    };
    const svc = track(new AlertService({ db: () => db.db, feed, secret: async () => null, log: quiet, now: () => now }));
    await svc.start();
    svc.add(rule("a"));
    const seen: AlertLogEntry[] = [];
    svc.onFire((e) => seen.push(e));
    record(T0 + 1000, "101");
    record(T0 + M + 1000, "99");
    record(T0 + 2 * M + 1000, "102");
    await frameEnd();
    expect(svc.log({ limit: 10 }).map((f) => [f.barTime - T0, f.lateMs])).toEqual([[0, null]]);
    expect(seen.map((f) => f.key)).toEqual([`a:${T0}`]);
    svc.stop();
    // While core is down the store keeps recording (as a backfill would): two more bars.
    history.push({ symbol: "BTC/USD", price: "103", size: "1", ts: T0 + 3 * M + 1000 }, { symbol: "BTC/USD", price: "98", size: "1", ts: T0 + 4 * M + 1000 });
    now = T0 + 10 * M;
    const feed2 = new TestFeed();
    const again = track(new AlertService({ db: () => db.db, feed: feed2, history: async (_v, _s, from) => history.filter((t) => t.ts >= from - 10 * M), secret: async () => null, log: quiet, now: () => now }));
    await again.start();
    const log = again.log({ limit: 10 }).reverse();
    expect(log.map((f) => [(f.barTime - T0) / M, f.lateMs])).toEqual([[0, null], [2, 10 * M - (3 * M + 1000)], [3, 10 * M - (4 * M + 1000)]]);
    expect(new Set(log.map((f) => f.key)).size).toBe(3);
    again.stop();
  });

  it("after a sleep, the venue clock closes the bar and the fire is marked late", async () => {
    const { db } = appDb();
    const feed = new TestFeed();
    const svc = track(new AlertService({ db: () => db.db, feed, secret: async () => null, log: quiet, clockMs: 5 }));
    await svc.start();
    svc.add(rule("a"));
    feed.push(T0 + 1000, "101");
    feed.push(T0 + 2000, "102");
    expect(svc.log({ limit: 5 })).toEqual([]);
    feed.clock = T0 + 10 * M;
    await expect.poll(() => svc.log({ limit: 5 }).length).toBe(1);
    expect(svc.log({ limit: 5 })[0]).toMatchObject({ barTime: T0, time: T0 + 10 * M, lateMs: 10 * M - (M + 2000) });
    feed.push(T0 + 10 * M + 1000, "103");
    feed.clock = T0 + 11 * M + 2000;
    await expect.poll(() => svc.log({ limit: 5 }).length).toBe(2);
    expect(svc.log({ limit: 5 })[0]).toMatchObject({ barTime: T0 + 10 * M, lateMs: null });
  });

  it("subscribes while a rule watches a symbol and lets go when the last one is removed or moved", async () => {
    const { db } = appDb();
    const feed = new TestFeed();
    const svc = track(new AlertService({ db: () => db.db, feed, secret: async () => null, log: quiet }));
    await svc.start();
    svc.add(rule("a"));
    svc.add(rule("b"));
    expect(feed.subs.get("kraken|BTC/USD")?.size).toBe(1);
    svc.remove("a");
    expect(feed.subs.get("kraken|BTC/USD")?.size).toBe(1);
    svc.add(rule("b", { symbol: "ETH/USD" }));
    expect(feed.subs.get("kraken|BTC/USD")?.size).toBe(0);
    expect(feed.subs.get("kraken|ETH/USD")?.size).toBe(1);
    expect(svc.remove("b")).toBe(true);
    expect(feed.subs.get("kraken|ETH/USD")?.size).toBe(0);
  });

  it("over core's database (WAL checkpointed by a worker), a fire is committed before it is notified, and a restart notifies none again", async () => {
    const { dir, db } = appDb(undefined, true);
    const feed = new TestFeed();
    const history: AlertTrade[] = [];
    const svc = track(new AlertService({ db: () => db.db, feed, secret: async () => null, log: quiet }));
    await svc.start();
    svc.add(rule("a", { frequency: "once_per_bar" }));
    // Another connection sees only committed transactions.
    const reader = new Database(path.join(dir, APP_DB_FILE), { readonly: true });
    const committedWhenNotified: boolean[] = [];
    svc.onFire((e) => committedWhenNotified.push(reader.prepare("SELECT 1 FROM alert_fires WHERE key = ?").get(e.key) !== undefined));
    for (let bar = 0; bar < 5; bar++) {
      history.push({ symbol: "BTC/USD", price: "101", size: "1", ts: T0 + bar * M + 1000 });
      feed.push(T0 + bar * M + 1000, "101");
      await frameEnd();
    }
    expect(committedWhenNotified).toEqual([true, true, true, true, true]);
    svc.stop();
    db.close();
    reader.close();
    const reopened = appDb(dir, true).db;
    const again = track(new AlertService({ db: () => reopened.db, feed: new TestFeed(), history: async () => history, secret: async () => null, log: quiet }));
    const renotified: string[] = [];
    again.onFire((e) => renotified.push(e.key));
    await again.start();
    expect(renotified).toEqual([]);
    expect(again.log({ limit: 10 }).map((f) => (f.barTime - T0) / M)).toEqual([4, 3, 2, 1, 0]);
  });

  it("fires of one frame share one commit, notified after it; a batch that fails to commit notifies none and is retried, once each", async () => {
    const { dir, db } = appDb();
    const feed = new TestFeed();
    const batches: number[] = [];
    const errors: string[] = [];
    const log = { warn: () => undefined, error: (_o: object, m: string) => void errors.push(m) };
    const svc = track(new AlertService({ db: () => db.db, feed, secret: async () => null, log, onBatch: (b) => batches.push(b.fires) }));
    await svc.start();
    for (const id of ["a", "b", "c"]) svc.add(rule(id, { frequency: "once_per_bar" }));
    const reader = new Database(path.join(dir, APP_DB_FILE), { readonly: true });
    const committed = (): number => (reader.prepare("SELECT count(*) AS n FROM alert_fires").get() as { n: number }).n;
    const seen: [string, number][] = [];
    svc.onFire((e) => seen.push([e.key, committed()]));
    feed.push(T0 + 1000, "101");
    await frameEnd();
    expect(batches).toEqual([3]);
    expect(seen.map(([, n]) => n)).toEqual([3, 3, 3]);
    db.db.exec("CREATE TEMP TRIGGER refuse BEFORE INSERT ON alert_fires BEGIN SELECT RAISE(ABORT, 'disk full'); END");
    feed.push(T0 + M + 1000, "101");
    await frameEnd();
    expect(seen).toHaveLength(3);
    expect(errors).toEqual(["alert fires not recorded (none notified); retrying"]);
    expect(committed()).toBe(3);
    db.db.exec("DROP TRIGGER refuse");
    feed.push(T0 + 2 * M + 1000, "101");
    await frameEnd();
    expect(batches).toEqual([3, 6]);
    expect(seen.map(([k]) => k).sort()).toEqual(["a", "b", "c"].flatMap((id) => [0, 1, 2].map((bar) => `${id}:${T0 + bar * M}`)).sort());
    expect(committed()).toBe(9);
    reader.close();
  });

  it("a once rule stays fired across a restart", async () => {
    const { db } = appDb();
    const feed = new TestFeed();
    const svc = track(new AlertService({ db: () => db.db, feed, secret: async () => null, log: quiet }));
    await svc.start();
    svc.add(rule("o", { frequency: "once" }));
    feed.push(T0, "101");
    svc.stop();
    const feed2 = new TestFeed();
    const again = track(new AlertService({ db: () => db.db, feed: feed2, secret: async () => null, log: quiet }));
    await again.start();
    feed2.push(T0 + 5 * M, "105");
    expect(again.log({ limit: 10 })).toHaveLength(1);
    expect(again.list()[0]!.firedOnce).toBe(true);
    again.stop();
  });
});

describe("webhooks", () => {
  const servers: http.Server[] = [];
  afterEach(() =>
    servers.splice(0).forEach((s) => {
      s.closeAllConnections();
      s.close();
    }),
  );

  function receiver(answer: (n: number) => number | "hang"): Promise<{ url: string; hits: { headers: http.IncomingHttpHeaders; body: string }[] }> {
    const hits: { headers: http.IncomingHttpHeaders; body: string }[] = [];
    const server = http.createServer((req, res) => {
      let body = "";
      req.on("data", (c: Buffer) => (body += c.toString()));
      req.on("end", () => {
        hits.push({ headers: req.headers, body });
        const a = answer(hits.length);
        if (a !== "hang") res.writeHead(a).end();
      });
    });
    servers.push(server);
    return new Promise((resolve) => server.listen(0, "127.0.0.1", () => resolve({ url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook`, hits })));
  }

  it("retries a 500 with the same idempotency key and a valid signature, and delivers once", async () => {
    const { url, hits } = await receiver((n) => (n < 3 ? 500 : 200));
    const { db } = appDb();
    const feed = new TestFeed();
    const svc = track(new AlertService({ db: () => db.db, feed, secret: async (name) => (name === "hook" ? "s3cret" : null), log: quiet, webhook: { backoffMs: 20 } }));
    await svc.start();
    svc.add(rule("w", { deliver: { desktop: false, webhook: { url, secretKey: "hook" } } }));
    feed.push(T0 + 1000, "101");
    feed.push(T0 + M + 1000, "99");
    await expect.poll(() => svc.log({ limit: 5 })[0]?.deliveries[0]?.status, { timeout: 5000 }).toBe("delivered");
    await svc.webhooksSettled();
    expect(hits).toHaveLength(3);
    expect(new Set(hits.map((h) => h.headers["x-workstation-idempotency-key"]))).toEqual(new Set([`w:${T0}`]));
    for (const h of hits) {
      expect(h.headers["x-workstation-signature"]).toBe(`sha256=${crypto.createHmac("sha256", "s3cret").update(h.body).digest("hex")}`);
      expect(JSON.parse(h.body)).toMatchObject({ rule: "w", symbol: "BTC/USD", barTime: T0, value: "101" });
    }
    expect(svc.log({ limit: 5 })[0]!.deliveries[0]).toMatchObject({ channel: "webhook", status: "delivered", attempts: 3 });
    svc.stop();
  });

  it("a hanging target slows neither evaluation nor other webhooks, and ends in the dead-letter list", async () => {
    const { url } = await receiver(() => "hang");
    const ok = await receiver(() => 200);
    const { db } = appDb();
    const feed = new TestFeed();
    const svc = track(new AlertService({ db: () => db.db, feed, secret: async () => null, log: quiet, webhook: { backoffMs: 10, maxAttempts: 1, timeoutMs: 1000 } }));
    await svc.start();
    svc.add(rule("slow", { timeframe: "1s", frequency: "once_per_bar", deliver: { desktop: false, webhook: { url } } }));
    svc.add(rule("fast", { timeframe: "1s", frequency: "once_per_bar", deliver: { desktop: true, webhook: { url: ok.url } } }));
    const started = performance.now();
    for (let i = 0; i < 10; i++) feed.push(T0 + i * 1000, "101");
    expect(performance.now() - started).toBeLessThan(500);
    await frameEnd();
    expect(svc.log({ rule: "fast", limit: 50 })).toHaveLength(10);
    await expect.poll(() => ok.hits.length, { timeout: 800 }).toBe(10);
    await expect.poll(() => svc.log({ rule: "slow", limit: 50 }).filter((f) => f.deliveries[0]?.status === "dead").length, { timeout: 10_000 }).toBe(10);
    expect(svc.log({ rule: "slow", limit: 1 })[0]!.deliveries[0]!.error).toBe("no answer within 1000 ms");
    svc.stop();
  }, 20_000);
});
