import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { parseRule } from "../../common/alerts/rule.ts";
import type { KeyedFire } from "../../common/alerts/types.ts";
import type { AlertLogEntry } from "../../common/api/alerts.ts";
import { openAppDb, type AppDb } from "../store/app-db.ts";
import { AlertDb } from "./alert-db.ts";
import { FireBatch, type FireBatchStats } from "./fire-batch.ts";
import { frameEnd } from "./testing.ts";

const T0 = Date.UTC(2026, 0, 5, 12, 0, 0);
const dbs: AppDb[] = [];
afterEach(() => dbs.splice(0).forEach((d) => d.close()));

const rule = (id: string, deliver: Record<string, unknown> = { desktop: true }) =>
  parseRule({ id, venue: "kraken", symbol: "BTC/USD", timeframe: "1m", frequency: "once_per_bar", condition: { type: "price", op: "above", value: "100" }, deliver });
const fire = (id: string, bar: number): KeyedFire => ({ rule: id, time: T0 + bar * 60_000 + 1, barTime: T0 + bar * 60_000, value: "101", message: `${id} fired`, key: `${id}:${T0 + bar * 60_000}` });

function setup(): { adb: AlertDb; batch: FireBatch; stats: FireBatchStats[]; errors: string[]; kicks: number[] } {
  const app = openAppDb(mkdtempSync(path.join(tmpdir(), "alerts-batch-")));
  dbs.push(app);
  const adb = new AlertDb(app.db);
  const stats: FireBatchStats[] = [];
  const errors: string[] = [];
  const kicks: number[] = [];
  const batch = new FireBatch({ adb, now: () => T0, kickWebhooks: () => void kicks.push(1), log: { error: (_o, m) => void errors.push(m) }, onBatch: (b) => stats.push(b) });
  return { adb, batch, stats, errors, kicks };
}

describe("fire batch", () => {
  it("records the fires collected in a frame in one commit at its end, then notifies each new one once", async () => {
    const { adb, batch, stats } = setup();
    const seen: AlertLogEntry[] = [];
    batch.onFire((e) => seen.push(e));
    for (const id of ["a", "b", "c"]) batch.add(rule(id), fire(id, 0), null);
    batch.schedule();
    batch.schedule();
    expect(seen).toEqual([]);
    await frameEnd();
    expect(stats.map((s) => [s.fires, s.fresh])).toEqual([[3, 3]]);
    expect(seen.map((e) => [e.key, e.deliveries[0]!.status])).toEqual(["a", "b", "c"].map((id) => [`${id}:${T0}`, "delivered"]));
    expect(adb.log({ limit: 10 })).toHaveLength(3);
    batch.add(rule("a"), fire("a", 0), 1234);
    batch.commit();
    expect(stats.map((s) => [s.fires, s.fresh])).toEqual([[3, 3], [1, 0]]);
    expect(seen).toHaveLength(3);
  });

  it("commits early only once the oldest collected fire waited past the group wait", async () => {
    const { batch, stats } = setup();
    batch.add(rule("a"), fire("a", 0), null);
    batch.commitIfOverdue();
    expect(stats).toEqual([]);
    const since = performance.now();
    while (performance.now() - since < 2);
    batch.commitIfOverdue();
    expect(stats.map((s) => s.fires)).toEqual([1]);
  });

  it("a batch that fails to commit notifies none and is retried with the next one; webhook fires kick the dispatcher", () => {
    const { adb, batch, stats, errors, kicks } = setup();
    const seen: string[] = [];
    batch.onFire((e) => seen.push(e.key));
    adb.db.exec("CREATE TEMP TRIGGER refuse BEFORE INSERT ON alert_fires BEGIN SELECT RAISE(ABORT, 'disk full'); END");
    batch.add(rule("a"), fire("a", 0), null);
    batch.commit();
    expect(errors).toEqual(["alert fires not recorded (none notified); retrying"]);
    expect(seen).toEqual([]);
    adb.db.exec("DROP TRIGGER refuse");
    batch.add(rule("w", { desktop: false, webhook: { url: "http://127.0.0.1:9/hook" } }), fire("w", 1), null);
    batch.commit();
    expect(stats.map((s) => s.fresh)).toEqual([2]);
    expect(seen).toEqual([`a:${T0}`]);
    expect(kicks).toHaveLength(1);
    expect(adb.due("webhook", T0).map((d) => d.fire.key)).toEqual([`w:${T0 + 60_000}`]);
  });

  it("records each fire with its rule's channels: desktop done while someone listens, else pending; a webhook pending", () => {
    const { adb, batch } = setup();
    const both = { desktop: true, webhook: { url: "http://127.0.0.1:9/hook" } };
    batch.add(rule("p", both), fire("p", 0), null);
    batch.add(rule("n", { desktop: false }), fire("n", 0), null);
    batch.commit();
    batch.onFire(() => undefined);
    batch.add(rule("d", both), fire("d", 1), null);
    batch.commit();
    const channels = (key: string) => adb.log({ limit: 10 }).find((e) => e.key === key)!.deliveries.map((d) => `${d.channel}:${d.status}`);
    expect(channels(`p:${T0}`)).toEqual(["desktop:pending", "webhook:pending"]);
    expect(channels(`n:${T0}`)).toEqual([]);
    expect(channels(`d:${T0 + 60_000}`)).toEqual(["desktop:delivered", "webhook:pending"]);
  });
});

