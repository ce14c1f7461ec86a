import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
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

  it("refuses bad rules with the field named, strategy rules naming the live runner, and bad arguments", async () => {
    const dir = mkdtempSync(path.join(tmpdir(), "alerts-cli-"));
    const rec = krakenRecording(dir, [[1000, "100"]]);
    const bad = capture();
    expect(await runCli(["alerts", "test", ruleFile(dir, { ...base, id: "x", frequency: "once", condition: { type: "price", op: "above", value: "1" }, message: "{{nope}}" }), "--replay", rec, "--venue", "kraken"], bad)).toBe(1);
    expect(bad.stderr.join("\n")).toContain("rule.message: unknown placeholder {{nope}}");
    const strategy = capture();
    expect(await runCli(["alerts", "test", ruleFile(dir, { ...base, id: "s", frequency: "once", condition: { type: "strategy", strategy: "x" } }), "--replay", rec, "--venue", "kraken"], strategy)).toBe(1);
    expect(strategy.stderr.join("\n")).toContain("paper trading live runner");
    expect(await runCli(["alerts", "test", "r.json", "--replay", rec, "--venue", "ftx"], capture())).toBe(2);
    expect(await runCli(["alerts", "frobnicate"], capture())).toBe(2);
  });
});
