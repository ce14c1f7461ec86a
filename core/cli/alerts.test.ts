import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { startCore } from "../app.ts";
import { silentLogger } from "../log.ts";
import { openAppDb } from "../store/app-db.ts";
import { saveStrategyVersion } from "../strategy/library.ts";
import type { CliIo } from "./command.ts";
import { runCli } from "./main.ts";

function capture(): CliIo & { stdout: string[]; stderr: string[] } {
  const stdout: string[] = [];
  const stderr: string[] = [];
  return { stdout, stderr, out: (l) => stdout.push(l), err: (l) => stderr.push(l), env: {} };
}

const T0 = Date.UTC(2026, 0, 5, 12, 0, 0);

/** A Kraken recording of BTC/USD trades: [ms after T0, price]. */
function krakenRecording(dir: string, trades: [number, string][]): string {
  const lines = trades.map(([dt, price], i) => {
    const data = [{ symbol: "BTC/USD", side: "buy", price: Number(price), qty: 0.5, ord_type: "market", trade_id: i + 1, timestamp: new Date(T0 + dt).toISOString() }];
    return JSON.stringify({ t: T0 + dt + 5, frame: JSON.stringify({ channel: "trade", type: "update", data }) });
  });
  const file = path.join(dir, "session.jsonl");
  writeFileSync(file, `${lines.join("\n")}\n`);
  return file;
}

function ruleFile(dir: string, rules: unknown): string {
  const file = path.join(dir, "rules.json");
  writeFileSync(file, JSON.stringify(rules));
  return file;
}

/** Buys when flat, closes when long. */
const FLIP = `import { defineStrategy } from "workstation";
export default defineStrategy({
  params: { size: 1 },
  onBar(bar, ctx) {
    if (ctx.position.size === 0) ctx.buy(ctx.params.size);
    else ctx.close();
  },
});
`;

const base = { venue: "kraken", symbol: "BTC/USD", timeframe: "1m", deliver: { desktop: true } };

describe("workstation alerts test", () => {
  it("prints one NDJSON fire per line with time and barTime semantics", async () => {
    const dir = mkdtempSync(path.join(tmpdir(), "alerts-cli-"));
    const rec = krakenRecording(dir, [[1000, "100"], [61_000, "99"], [62_000, "101"], [63_000, "100.2"], [121_000, "101"], [150_000, "102"]]);
    const rules = ruleFile(dir, [
      { ...base, id: "close", frequency: "once_per_bar_close", condition: { type: "price", op: "crosses_up", value: "100.5" }, message: "{{rule}} {{symbol}} {{close}} {{interval}} {{venue}}" },
      { ...base, id: "intra", frequency: "once_per_bar", condition: { type: "price", op: "crosses_up", value: "100.5" } },
    ]);
    const io = capture();
    expect(await runCli(["alerts", "test", rules, "--replay", rec, "--venue", "kraken", "--json"], io)).toBe(0);
    const fires = io.stdout.map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(fires).toEqual([
      { rule: "intra", time: T0 + 62_000, barTime: T0 + 60_000, value: "101", message: "intra: BTC/USD crosses up 100.5 (close 101)" },
      { rule: "intra", time: T0 + 121_000, barTime: T0 + 120_000, value: "101", message: "intra: BTC/USD crosses up 100.5 (close 101)" },
      { rule: "close", time: T0 + 180_000, barTime: T0 + 120_000, value: "102", message: "close BTC/USD 102 1m kraken" },
    ]);
    expect(Object.keys(fires[0]!)).toEqual(["rule", "time", "barTime", "value", "message"]);
    expect(io.stderr.at(-1)).toBe("2 rules, 6 trades, 3 fires");
  });

  it("runs a strategy rule: the saved strategy's orders are the fires, with the order placeholders", async () => {
    const dir = mkdtempSync(path.join(tmpdir(), "alerts-cli-"));
    const app = openAppDb(dir);
    saveStrategyVersion(app.db, "Flip", FLIP, null);
    app.close();
    const rec = krakenRecording(dir, [[1000, "100"], [61_000, "99"], [121_000, "101"], [150_000, "102"]]);
    const rules = ruleFile(dir, { ...base, id: "flip", frequency: "once_per_bar_close", condition: { type: "strategy", strategy: "Flip", params: { size: 2 } }, message: "{{order.side}} {{order.size}} @ {{order.price}}" });
    const io = capture();
    expect(await runCli(["alerts", "test", rules, "--replay", rec, "--venue", "kraken", "--data-dir", dir], io)).toBe(0);
    expect(io.stdout.map((l) => JSON.parse(l) as Record<string, unknown>)).toEqual([
      { rule: "flip", time: T0 + 61_000, barTime: T0, value: "100", message: "buy 2 @ 100" },
      { rule: "flip", time: T0 + 121_000, barTime: T0 + 60_000, value: "99", message: "sell 2 @ 99" },
      { rule: "flip", time: T0 + 180_000, barTime: T0 + 120_000, value: "102", message: "buy 2 @ 102" },
    ]);
  }, 60_000);

  it("refuses bad rules with the field named, strategy rules naming a missing strategy, and bad arguments", async () => {
    const dir = mkdtempSync(path.join(tmpdir(), "alerts-cli-"));
    const rec = krakenRecording(dir, [[1000, "100"]]);
    const bad = capture();
    expect(await runCli(["alerts", "test", ruleFile(dir, { ...base, id: "x", frequency: "once", condition: { type: "price", op: "above", value: "1" }, message: "{{nope}}" }), "--replay", rec, "--venue", "kraken"], bad)).toBe(1);
    expect(bad.stderr.join("\n")).toContain("rule.message: unknown placeholder {{nope}}");
    const strategy = capture();
    expect(await runCli(["alerts", "test", ruleFile(dir, { ...base, id: "s", frequency: "once", condition: { type: "strategy", strategy: "x" } }), "--replay", rec, "--venue", "kraken", "--data-dir", dir], strategy)).toBe(1);
    expect(strategy.stderr.join("\n")).toContain("rule s: condition.strategy: no saved strategy named x");
    expect(await runCli(["alerts", "test", "r.json", "--replay", rec, "--venue", "ftx"], capture())).toBe(2);
    expect(await runCli(["alerts", "frobnicate"], capture())).toBe(2);
  });
});

describe("workstation alerts add | list | remove | log", () => {
  const rule = { id: "btc-up", venue: "simulated", symbol: "BTC/USD", timeframe: "1s", frequency: "once_per_bar", condition: { type: "price", op: "above", value: "1" }, deliver: { desktop: true } };

  it("works on the app database when no core runs", async () => {
    const dir = mkdtempSync(path.join(tmpdir(), "alerts-cli-"));
    const file = ruleFile(dir, rule);
    const add = capture();
    expect(await runCli(["alerts", "add", file, "--data-dir", dir], add)).toBe(0);
    expect(add.stdout).toEqual(["added btc-up  simulated  BTC/USD  1s  once_per_bar  active  above 1"]);
    expect(add.stderr).toContain("no core is running; the rules start with the next core");
    const list = capture();
    expect(await runCli(["alerts", "list", "--json", "--data-dir", dir], list)).toBe(0);
    expect((JSON.parse(list.stdout[0]!) as { rule: { id: string } }[]).map((r) => r.rule.id)).toEqual(["btc-up"]);
    expect(await runCli(["alerts", "remove", "btc-up", "--data-dir", dir], capture())).toBe(0);
    const missing = capture();
    expect(await runCli(["alerts", "remove", "btc-up", "--data-dir", dir], missing)).toBe(1);
    expect(missing.stderr.join("\n")).toContain("no alert rule btc-up");
  });

  it("goes through the running core, which evaluates the rule on its live feed and logs the fires", async () => {
    const dir = mkdtempSync(path.join(tmpdir(), "alerts-cli-core-"));
    const core = await startCore({ dataDir: dir, log: silentLogger(), port: 0, staticDir: dir });
    try {
      const bad = capture();
      expect(await runCli(["alerts", "add", ruleFile(dir, { ...rule, venue: "ftx" }), "--data-dir", dir], bad)).toBe(1);
      expect(bad.stderr.join("\n")).toMatch(/rule\.venue: unknown venue ftx/);
      const add = capture();
      expect(await runCli(["alerts", "add", ruleFile(dir, rule), "--json", "--data-dir", dir], add)).toBe(0);
      expect(add.stderr).toEqual([]);
      const fires = async (): Promise<Record<string, unknown>[]> => {
        const io = capture();
        expect(await runCli(["alerts", "log", "--json", "--rule", "btc-up", "--data-dir", dir], io)).toBe(0);
        return io.stdout.map((l) => JSON.parse(l) as Record<string, unknown>);
      };
      await expect.poll(async () => (await fires()).length, { timeout: 15_000 }).toBeGreaterThan(0);
      const [latest] = await fires();
      expect(latest).toMatchObject({ rule: "btc-up", lateMs: null });
      expect(latest!.key).toBe(`btc-up:${String(latest!.barTime)}`);
      const text = capture();
      expect(await runCli(["alerts", "log", "--limit", "1", "--data-dir", dir], text)).toBe(0);
      expect(text.stdout[0]).toMatch(/^\d{4}-\d\d-\d\dT.*Z {2}btc-up {2}btc-up: BTC\/USD above 1 \(close \d+(\.\d+)?\) {2}desktop:(pending|delivered)$/);
      expect(await runCli(["alerts", "remove", "btc-up", "--data-dir", dir], capture())).toBe(0);
      const list = capture();
      expect(await runCli(["alerts", "list", "--data-dir", dir], list)).toBe(0);
      expect(list.stdout).toEqual([]);
    } finally {
      await core.stop();
    }
  }, 30_000);
});
