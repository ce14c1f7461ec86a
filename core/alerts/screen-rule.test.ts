import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import type { AlertLogEntry } from "../../common/api/alerts.ts";
import { generateSynthetic } from "../screener/synthetic.ts";
import { saveUniverse } from "../screener/universes.ts";
import { Store } from "../store/index.ts";
import { runCliCaptured } from "../cli/testing.ts";
import { AlertService } from "./service.ts";
import { TestFeed } from "./testing.ts";

const H = 3_600_000;
const T = 1_700_000_000_000 - (1_700_000_000_000 % H);
const quiet = { warn: () => undefined, error: () => undefined };

const dirs: string[] = [];
afterEach(() => dirs.splice(0).forEach((d) => fs.rmSync(d, { recursive: true, force: true })));

const rule = { id: "top3", timeframe: "1h", condition: { type: "screen", universe: "syn", columns: "change_pct_1", top: 3 }, deliver: { desktop: true } };

/** A bar at `at` for `symbol` whose close is its latest close × `factor` (open = that close). */
async function jump(store: Store, symbol: string, at: number, factor: number): Promise<void> {
  const db = await store.market();
  await db.conn.run(`INSERT INTO bars SELECT venue, symbol, tf_ms, ${at}, close, close * ${factor}, close, close * ${factor}, 1 FROM bars WHERE symbol = '${symbol}' ORDER BY ts DESC LIMIT 1`);
}

describe("screen alerts", () => {
  it("fire once per entry into the top N on a bar close, in the alert log, and never again after a restart", async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "screen-rule-"));
    dirs.push(dir);
    const store = new Store(dir);
    let clock = T + H + 2000;
    const service = (): AlertService =>
      new AlertService({ db: () => store.app().db, feed: new TestFeed(), secret: async () => null, log: quiet, screens: { app: () => store.app().db, market: () => store.market(), now: () => clock } });
    const stateTop = (): string[] => JSON.parse((store.app().db.prepare("SELECT top FROM alert_screen_state").get() as { top: string }).top) as string[];
    try {
      const members = await store.withMarket((db) => generateSynthetic(db, { symbols: 8, bars: 60, timeframe: "1h", seed: 3, end: T }));
      saveUniverse(store.app().db, "syn", "list", members, false);
      const first = service();
      await first.start();
      const heard: AlertLogEntry[] = [];
      first.onFire((e) => heard.push(e));

      expect(() => first.add({ ...rule, condition: { ...rule.condition, universe: "nope" } })).toThrow(/rule\.condition\.universe: .*nope/);
      expect(() => first.add({ ...rule, condition: { ...rule.condition, columns: "bogus_9" } })).toThrow(/rule\.condition\.columns: /);
      expect(first.add(rule).rule).toMatchObject({ venue: "screener", symbol: "syn", frequency: "once_per_bar_close" });
      await first.screens!.tick(clock);
      expect(first.log({ limit: 100 })).toEqual([]);

      // The 8th-ranked symbol jumps 50 % in the bar that opens at T + 1 h: it enters the top 3 once that bar closed.
      const outside = members.map((m) => `${m.venue}:${m.symbol}`).filter((m) => !stateTop().includes(m));
      const riser = outside[0]!.split(":")[1]!;
      await jump(store, riser, T + H, 1.5);
      clock = T + 2 * H + 2000;
      await first.screens!.tick(clock);
      await first.screens!.tick(clock + 60_000);
      const log = first.log({ limit: 100 });
      expect(log.map((e) => e.key)).toEqual([`top3:${T + H}:synthetic:${riser}`]);
      expect(log[0]).toMatchObject({ rule: "top3", barTime: T + H, value: 1, message: `top3: synthetic:${riser} entered the top 3 of syn (rank 1)`, lateMs: null });
      expect(heard.map((e) => e.key)).toEqual([`top3:${T + H}:synthetic:${riser}`]);
      expect(stateTop()[0]).toBe(`synthetic:${riser}`);
      first.stop();

      // While core is down, another symbol jumps; the restart fires that entry once, and a second restart nothing.
      const second = outside.find((m) => !stateTop().includes(m))!.split(":")[1]!;
      await jump(store, second, T + 2 * H, 1.8);
      clock = T + 3 * H + 2000;
      for (let i = 0; i < 2; i++) {
        const again = service();
        await again.start();
        await again.screens!.tick(clock);
        again.stop();
      }
      expect(service().log({ limit: 100 }).map((e) => e.key)).toEqual([`top3:${T + 2 * H}:synthetic:${second}`, `top3:${T + H}:synthetic:${riser}`]);
    } finally {
      await store.close();
    }
  });

  it("pause themselves under flood control like other rules", async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "screen-rule-flood-"));
    dirs.push(dir);
    const store = new Store(dir);
    const clock = T + H + 2000;
    try {
      const members = await store.withMarket((db) => generateSynthetic(db, { symbols: 40, bars: 30, timeframe: "1h", seed: 5, end: T }));
      saveUniverse(store.app().db, "syn", "list", members, false);
      const svc = new AlertService({ db: () => store.app().db, feed: new TestFeed(), secret: async () => null, log: quiet, screens: { app: () => store.app().db, market: () => store.market(), now: () => clock } });
      await svc.start();
      svc.add({ ...rule, condition: { ...rule.condition, top: 20 } });
      await svc.screens!.tick(clock);
      const top = JSON.parse((store.app().db.prepare("SELECT top FROM alert_screen_state").get() as { top: string }).top) as string[];
      // The 20 outside the top all jump 50 % in the next bar: 20 entries, more than flood control allows.
      for (const m of members.filter((x) => !top.includes(`${x.venue}:${x.symbol}`))) await jump(store, m.symbol, T + H, 1.5);
      await svc.screens!.tick(T + 2 * H + 2000);
      expect(svc.log({ limit: 100 })).toHaveLength(16);
      expect(svc.list()[0]!.paused).toBe("flood control: 16 fires within 3 minutes");
      svc.stop();
    } finally {
      await store.close();
    }
  });

  it("alerts add without a core refuses an unknown universe, naming the rule and field", async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "screen-rule-cli-"));
    dirs.push(dir);
    const file = path.join(dir, "rule.json");
    fs.writeFileSync(file, JSON.stringify({ ...rule, condition: { ...rule.condition, universe: "nope" } }));
    const r = await runCliCaptured(["alerts", "add", file, "--data-dir", path.join(dir, "data")]);
    expect(r.code).toBe(1);
    expect(r.err.join("\n")).toMatch(/rule top3: condition\.universe: .*nope/);
  });
});
