/**
 * The assistant's backtests cost what the UI's run form costs (item 7 of the first-hour issue), on
 * a real core over WebSocket with the fake provider: the run form's cash, commission and slippage
 * (its defaults in `ui.settings`) are what the sandboxed run used — in the saved run's config and
 * in its fees — and what its card and the model are shown. The CLI's own defaults stay commission 0.
 */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { TurnSnapshot } from "../../common/api/assistant.ts";
import type { ApiClient } from "../../common/api/client.ts";
import { type RunningCore, startCore } from "../app.ts";
import { type FakeProvider, startFakeProvider } from "../assistant/testing/fake-provider.ts";
import { RSI_DIP, hourlyCsv2024 } from "../assistant/testing/strategies.ts";
import { connectApi } from "../cli/core-client.ts";
import { silentLogger } from "../log.ts";

let core: RunningCore;
let client: ApiClient;
let fake: FakeProvider | null = null;
let dataDir = "";

beforeEach(async () => {
  dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "ws-assistant-costs-"));
  core = await startCore({ dataDir, log: silentLogger(), port: 0 });
  client = await connectApi(core.port, core.token);
});

afterEach(async () => {
  client.close();
  await core.stop();
  await fake?.close();
  fake = null;
  fs.rmSync(dataDir, { recursive: true, force: true });
});

function finished(text: string): Promise<TurnSnapshot> {
  return new Promise((resolve, reject) => {
    const stop = client.subscribe("assistant.chat", { text }, {
      onEvent: (s) => {
        if (s.status === "running" || s.status === "retrying") return;
        stop();
        resolve(s);
      },
      onEnd: (err) => reject(err ?? new Error("stream ended")),
    });
  });
}

describe("the assistant's backtests", () => {
  it("use the run form's cash and costs, and show them on the card and to the model", async () => {
    const csv = path.join(dataDir, "btc-1h-2024.csv");
    fs.writeFileSync(csv, hourlyCsv2024());
    await client.call("store.import", { files: [csv], symbol: "BTC-USD" });
    const form = { cash: 50_000, commission: 0.002, slippageBps: 5 };
    await client.call("ui.settings.set", { backtest: form });
    fake = await startFakeProvider([
      { toolCalls: [{ name: "write_strategy", args: { name: "rsi-dip", code: RSI_DIP } }] },
      { toolCalls: [{ name: "run_backtest", args: { strategy: "rsi-dip", symbol: "BTC-USD", timeframe: "1h" } }] },
      { text: "Done." },
    ]);
    await client.call("assistant.configure", { provider: "openai-compatible", baseUrl: fake.baseUrl, model: "fake-model" });

    const turn = await finished("backtest an RSI dip strategy");
    expect(turn.status).toBe("done");
    const calls = turn.entries.flatMap((e) => (e.role === "assistant" ? e.toolCalls : []));
    const card = calls.find((c) => c.name === "run_backtest")?.view;
    expect(card).toMatchObject({ kind: "backtest", costs: form });
    if (card?.kind !== "backtest" || card.runId === null) throw new Error("no saved backtest");
    expect(card.trades).toBeGreaterThan(0);

    const toModel = fake.requests.at(-1)!.toolResults.at(-1)!;
    expect(toModel).toContain(`"costs":${JSON.stringify(form)}`);

    const saved = await client.call("strategy.run", { id: card.runId });
    expect(saved.config).toMatchObject(form);
    const trades = saved.result!.trades;
    expect(trades.length).toBe(card.trades);
    // Every fill paid 0.2 % of its notional (a round trip: entry and exit, slippage included in the prices).
    for (const t of trades.filter((x) => x.exitPrice !== null)) {
      expect(t.fees).toBeCloseTo(t.size * (t.entryPrice + t.exitPrice!) * form.commission, 6);
    }
  }, 120_000);
});
