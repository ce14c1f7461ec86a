/**
 * Full conversations through `workstation ask --json` against the fake provider, on a real data
 * directory: imported hourly bars, the real type checker, the sandboxed backtest and SQLite.
 */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { startCore } from "../app.ts";
import { ConversationStore } from "../assistant/history.ts";
import { loadStrategy } from "../strategy/library.ts";
import { type FakeProvider, type RecordedRequest, startFakeProvider } from "../assistant/testing/fake-provider.ts";
import { RSI_DIP, RSI_DIP_TYPO, hourlyCsv2024 } from "../assistant/testing/strategies.ts";
import { silentLogger } from "../log.ts";
import { openAppDb } from "../store/app-db.ts";
import type { AskJson } from "./ask.ts";
import { runCli } from "./main.ts";

let dataDir = "";
let fake: FakeProvider | null = null;

beforeAll(async () => {
  dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "ws-ask-"));
  const csv = path.join(dataDir, "btc-1h-2024.csv");
  fs.writeFileSync(csv, hourlyCsv2024());
  const res = await cli(["import", csv, "--symbol", "BTC-USD"], {});
  expect(res.code, res.err).toBe(0);
}, 60_000);

afterAll(() => fs.rmSync(dataDir, { recursive: true, force: true }));
afterEach(async () => {
  await fake?.close();
  fake = null;
});

async function cli(argv: string[], env: Record<string, string>): Promise<{ code: number; out: string; err: string }> {
  const out: string[] = [];
  const err: string[] = [];
  const code = await runCli([...argv, "--data-dir", dataDir], { out: (l) => out.push(l), err: (l) => err.push(l), env: { ...env } });
  return { code, out: out.join("\n"), err: err.join("\n") };
}

function providerEnv(extra: Record<string, string> = {}): Record<string, string> {
  return { WORKSTATION_AI_BASE_URL: fake!.baseUrl, WORKSTATION_AI_MODEL: "fake-model", ...extra };
}

const lastToolResult = (req: RecordedRequest): string => req.toolResults[req.toolResults.length - 1] ?? "";

/** The JSON payload inside a quoted tool result. */
function payloadOf(quoted: string): Record<string, unknown> {
  const start = quoted.indexOf("{");
  const end = quoted.lastIndexOf("}");
  return JSON.parse(quoted.slice(start, end + 1)) as Record<string, unknown>;
}

describe("workstation ask --json", () => {
  it("writes a strategy that fails type-check, repairs it, saves it, backtests it and answers with the metrics", async () => {
    let seenErrors = "";
    fake = await startFakeProvider([
      { text: "I'll write the strategy.", toolCalls: [{ name: "write_strategy", args: { name: "rsi-dip", code: RSI_DIP_TYPO } }] },
      (req) => {
        seenErrors = lastToolResult(req);
        return { toolCalls: [{ name: "write_strategy", args: { name: "rsi-dip", code: RSI_DIP } }] };
      },
      { toolCalls: [{ name: "run_backtest", args: { strategy: "rsi-dip", symbol: "BTC-USD", timeframe: "1h", from: "2024-01-01", to: "2025-01-01" } }] },
      (req) => {
        const result = payloadOf(lastToolResult(req));
        const metrics = result.metrics as Record<string, number>;
        return { text: `Backtest done: total return ${metrics.totalReturn}, ${metrics.trades} trades, max drawdown ${metrics.maxDrawdown}.` };
      },
    ]);
    const res = await cli(["ask", "Buy BTC when the 1-hour RSI drops under 25 and sell after a 3% gain; how would it have done last year?", "--json"], providerEnv());
    expect(res.code, res.err).toBe(0);
    const json = JSON.parse(res.out) as AskJson;
    expect(Object.keys(json).sort()).toEqual(["backtests", "messages", "strategies", "toolCalls"]);
    expect(seenErrors).toMatch(/7:21 Property 'updat' does not exist/);
    expect(json.toolCalls.map((c) => [c.name, c.ok])).toEqual([
      ["write_strategy", false],
      ["write_strategy", true],
      ["run_backtest", true],
    ]);
    expect(json.toolCalls[0]!.error).toMatch(/type-check failed: 7:21 /);
    expect(json.toolCalls[2]!.args).toMatchObject({ strategy: "rsi-dip", symbol: "BTC-USD", timeframe: "1h" });
    expect(json.strategies).toEqual(["rsi-dip"]);
    expect(json.backtests).toHaveLength(1);
    const metrics = json.backtests[0]!.metrics;
    expect(json.backtests[0]!.strategy).toBe("rsi-dip");
    expect(metrics.trades).toBeGreaterThan(0);
    expect(Object.keys(metrics)).toEqual(expect.arrayContaining(["totalReturn", "sharpe", "maxDrawdown", "winRate", "buyAndHoldReturn"]));
    expect(json.messages[0]).toEqual({ role: "user", content: expect.stringMatching(/^Buy BTC/) });
    expect(json.messages.map((m) => m.role)).toEqual(["user", "assistant", "tool", "tool", "tool", "assistant"]);
    expect(json.messages.at(-1)!.content).toBe(`Backtest done: total return ${metrics.totalReturn}, ${metrics.trades} trades, max drawdown ${metrics.maxDrawdown}.`);
    const app = openAppDb(dataDir);
    try {
      expect(loadStrategy(app.db, "rsi-dip")).toMatchObject({ version: 1, source: RSI_DIP });
      expect(app.db.prepare("SELECT count(*) AS n FROM backtest_runs").get()).toEqual({ n: 1 });
      const conversations = new ConversationStore(app.db);
      const saved = conversations.get(conversations.list()[0]!.id)!;
      expect(saved.entries.map((e) => e.role)).toEqual(["user", "assistant", "tool", "assistant", "tool", "assistant", "tool", "assistant"]);
    } finally {
      app.close();
    }
  }, 60_000);

  it("refuses a query_data that tries to write, and the data stays", async () => {
    fake = await startFakeProvider([
      { toolCalls: [{ name: "query_data", args: { sql: "DELETE FROM bars" } }] },
      { toolCalls: [{ name: "query_data", args: { sql: "SELECT count(*)::INTEGER AS n FROM bars WHERE symbol = 'BTC-USD'" } }] },
      { text: "The store is read-only for me." },
    ]);
    const res = await cli(["ask", "delete all bars", "--json"], providerEnv());
    expect(res.code, res.err).toBe(0);
    const json = JSON.parse(res.out) as AskJson;
    expect(json.toolCalls[0]).toMatchObject({ name: "query_data", ok: false, error: expect.stringMatching(/read-only/) });
    expect(json.toolCalls[1]).toMatchObject({ ok: true });
    expect(payloadOf(fake.requests[1]!.toolResults[0]!)).toMatchObject({ error: expect.stringMatching(/read-only/) });
    expect(payloadOf(fake.requests[2]!.toolResults[1]!).rows).toEqual([[366 * 24]]);
  }, 30_000);

  it("retries a provider that returns 429 and then succeeds", async () => {
    fake = await startFakeProvider([{ kind: "error", status: 429, headers: { "retry-after": "0" } }, { text: "Hello after the rate limit." }]);
    const res = await cli(["ask", "hi", "--json"], providerEnv());
    expect(res.code, res.err).toBe(0);
    expect(res.err).toMatch(/rate-limiting; retrying in 0 s \(1\/3\)/);
    expect((JSON.parse(res.out) as AskJson).messages.at(-1)).toEqual({ role: "assistant", content: "Hello after the rate limit." });
    expect(fake.requests).toHaveLength(2);
  }, 30_000);

  it("fails clearly when the provider hangs, still printing the JSON", async () => {
    fake = await startFakeProvider([{ kind: "hang", when: "headers" }]);
    const res = await cli(["ask", "hi", "--json"], providerEnv({ WORKSTATION_AI_TIMEOUT_MS: "300" }));
    expect(res.code).toBe(1);
    const json = JSON.parse(res.out) as AskJson;
    expect(json.error).toMatch(/did not answer within 300 ms/);
    expect(json.messages).toEqual([{ role: "user", content: "hi" }]);
    expect(res.err).toMatch(/did not answer/);
  }, 30_000);

  it("explains how to configure a provider when none is set", async () => {
    const res = await cli(["ask", "hi", "--json"], {});
    expect(res.code).toBe(1);
    expect((JSON.parse(res.out) as AskJson).error).toMatch(/No AI provider is configured.*Ollama/);
  });

  it("goes through a running core's store when one serves the data directory", async () => {
    const core = await startCore({ dataDir, log: silentLogger(), port: 0 });
    try {
      fake = await startFakeProvider([
        { toolCalls: [{ name: "list_symbols", args: {} }, { name: "get_candles", args: { symbol: "BTC-USD", timeframe: "1d", from: "2024-06-01", to: "2024-07-01" } }] },
        { text: "done" },
      ]);
      const res = await cli(["ask", "what data do I have?", "--json"], providerEnv());
      expect(res.code, res.err).toBe(0);
      const json = JSON.parse(res.out) as AskJson;
      expect(json.toolCalls.map((c) => c.ok)).toEqual([true, true]);
      expect(fake.requests[1]!.toolResults[0]).toContain("BTC-USD");
      expect(payloadOf(fake.requests[1]!.toolResults[1]!)).toMatchObject({ from: "2024-06-01", to: "2024-06-30", stats: { bars: 30 } });
    } finally {
      await core.stop();
    }
  }, 30_000);

  it("reports a bad environment variable in the JSON", async () => {
    const res = await cli(["ask", "hi", "--json"], { WORKSTATION_AI_PROVIDER: "openai" });
    expect(res.code).toBe(1);
    expect((JSON.parse(res.out) as AskJson).error).toMatch(/WORKSTATION_AI_PROVIDER must be one of openai-compatible, anthropic, google/);
  });

  it("refuses an empty prompt as a usage error", async () => {
    const res = await cli(["ask"], {});
    expect(res.code).toBe(2);
  });
});
