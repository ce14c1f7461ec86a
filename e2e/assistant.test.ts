/**
 * The assistant end to end: `workstation serve` with the fake OpenAI-compatible provider (started
 * here, on loopback) and imported hourly bars; Chromium drives the chat panel — the strategy
 * fails type-check once, is repaired and saved, lands in the editor, and its sandboxed backtest
 * shows in the results panel with the run form's cash and costs (set in Settings), which its card
 * shows too. Also: Stop, and a workstation with no provider configured.
 */
import { execFileSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import type { Browser, Page } from "playwright-core";
import { type FakeProvider, startFakeProvider } from "../core/assistant/testing/fake-provider.ts";
import { RSI_DIP, RSI_DIP_TYPO, hourlyCsv2024 } from "../core/assistant/testing/strategies.ts";
import { connectApi } from "../core/cli/core-client.ts";
import { ROOT, launchBrowser, screenshot, startServe, stopServe, tempDataDir, type ServeProcess } from "./harness.ts";

let browser: Browser;
let fake: FakeProvider | null = null;
let serve: ServeProcess | null = null;

beforeAll(async () => {
  browser = await launchBrowser();
});

afterEach(async () => {
  if (serve) await stopServe(serve);
  serve = null;
  await fake?.close();
  fake = null;
});

afterAll(async () => {
  await browser?.close();
});

function importBars(dataDir: string): void {
  const csv = path.join(dataDir, "btc-1h-2024.csv");
  fs.writeFileSync(csv, hourlyCsv2024());
  execFileSync(path.join(ROOT, "bin", "workstation"), ["import", csv, "--symbol", "BTC-USD", "--data-dir", dataDir], { cwd: ROOT, stdio: ["ignore", "ignore", "inherit"] });
}

async function openPage(env: Record<string, string>, withData: boolean): Promise<Page> {
  const dataDir = tempDataDir("ws-e2e-assistant-");
  if (withData) importBars(dataDir);
  serve = await startServe(dataDir, { env });
  const page = await browser.newPage({ viewport: { width: 1600, height: 1000 } });
  page.on("pageerror", (err) => console.error(`page error: ${err.message}\n${err.stack ?? ""}`));
  await page.goto(serve.url);
  await page.getByTestId("core-status").filter({ hasText: "core connected" }).waitFor();
  await page.getByTestId("panel-chat").waitFor();
  return page;
}

async function ask(page: Page, text: string): Promise<void> {
  const box = page.getByLabel("Message to the assistant");
  await box.fill(text);
  await box.press("Enter");
}

describe("the assistant's chat panel", () => {
  it("writes a strategy, repairs its type error, opens it in the editor and shows its backtest in the results", async () => {
    fake = await startFakeProvider([
      { text: "I'll write it.", toolCalls: [{ name: "write_strategy", args: { name: "rsi-dip", code: RSI_DIP_TYPO } }] },
      { text: "Fixing the typo.", toolCalls: [{ name: "write_strategy", args: { name: "rsi-dip", code: RSI_DIP } }] },
      { toolCalls: [{ name: "run_backtest", args: { strategy: "rsi-dip", symbol: "BTC-USD", timeframe: "1h", from: "2024-01-01", to: "2025-01-01" } }] },
      (req) => {
        const last = req.toolResults[req.toolResults.length - 1] ?? "";
        const trades = /"trades":(\d+)/.exec(last)?.[1] ?? "?";
        return { text: `Backtest done: ${trades} trades over 2024.` };
      },
    ]);
    const page = await openPage({ WORKSTATION_AI_BASE_URL: fake.baseUrl, WORKSTATION_AI_MODEL: "fake-model" }, true);
    // The run form's cash and costs (its defaults, as Settings sets them): the assistant's run uses and shows them.
    const api = await connectApi(serve!.port, serve!.token);
    await api.call("ui.settings.set", { backtest: { cash: 50_000, commission: 0.002, slippageBps: 5 } });
    api.close();
    const chat = page.getByTestId("panel-chat");
    await ask(page, "Buy BTC when the 1-hour RSI drops under 25 and sell after a 3% gain; how would it have done last year?");
    await chat.getByText(/Backtest done: \d+ trades over 2024\./).waitFor({ timeout: 150_000 }).catch(async (err: unknown) => {
      await screenshot(page, "assistant-backtest-failed");
      throw err;
    });
    await expect(chat.locator('[data-testid="tool-write_strategy"][data-state="failed"]').count()).resolves.toBe(1);
    await expect(chat.getByTestId("chat-diagnostics").textContent()).resolves.toMatch(/7:21 Property 'updat' does not exist/);
    await expect(chat.locator('[data-testid="tool-write_strategy"][data-state="ok"]').count()).resolves.toBe(1);
    await expect(chat.locator('[data-testid="tool-run_backtest"][data-state="ok"]').count()).resolves.toBe(1);
    await page.locator('[data-testid="strategy-select"] option:checked', { hasText: "rsi-dip" }).waitFor({ state: "attached" });
    const results = page.getByTestId("panel-results");
    await results.getByTestId("metrics").waitFor();
    const trades = await results.getByTestId("metric-trades").locator(".metric-value").textContent();
    expect(Number(trades)).toBeGreaterThan(0);
    await expect(chat.getByText(`Backtest done: ${trades} trades over 2024.`).count()).resolves.toBe(1);
    await expect(chat.getByTestId("assistant-costs").textContent()).resolves.toBe("cash 50,000 · commission 0.2 % · slippage 5 bps");
    await expect(results.getByTestId("result-params").textContent()).resolves.toContain("cash 50,000 · commission 0.2 % · slippage 5 bps");
    await screenshot(page, "assistant-backtest");
    await page.close();
  }, 180_000);

  it("stops generation, then answers again", async () => {
    fake = await startFakeProvider([{ kind: "hang", when: "stream", text: "Let me think about this for a long time" }, { text: "Here I am again." }]);
    const page = await openPage({ WORKSTATION_AI_BASE_URL: fake.baseUrl, WORKSTATION_AI_MODEL: "fake-model" }, false);
    const chat = page.getByTestId("panel-chat");
    await ask(page, "think hard");
    await chat.getByText("Let me think about this for a long time").waitFor();
    await chat.getByTestId("chat-stop").click();
    await chat.getByText("Stopped.").waitFor();
    expect(await fake.waitForAbandoned()).toBe(1);
    await ask(page, "hello?");
    await chat.getByText("Here I am again.").waitFor();
    expect(fake.requests).toHaveLength(2);
    await page.close();
  });

  it("shows a provider error plainly with Retry, which sends the message again", async () => {
    fake = await startFakeProvider([{ kind: "error", status: 401, body: { error: { message: "Incorrect API key provided" } } }, { text: "Retried and answered." }]);
    const page = await openPage({ WORKSTATION_AI_BASE_URL: fake.baseUrl, WORKSTATION_AI_MODEL: "fake-model" }, false);
    const chat = page.getByTestId("panel-chat");
    await ask(page, "hello");
    const error = chat.getByTestId("chat-error");
    await error.waitFor();
    await expect(error.textContent()).resolves.toMatch(/refused the API key \(HTTP 401\): Incorrect API key provided/);
    await screenshot(page, "assistant-provider-error");
    await error.getByRole("button", { name: "Retry" }).click();
    await chat.getByText("Retried and answered.").waitFor();
    await expect(chat.getByTestId("chat-user").count()).resolves.toBe(1);
    await page.close();
  });

  it("explains how to add a provider when none is configured, and the rest of the workstation works", async () => {
    const page = await openPage({}, false);
    const setup = page.getByTestId("chat-setup");
    await setup.waitFor();
    await expect(setup.textContent()).resolves.toMatch(/No AI provider is configured.*Ollama/);
    await expect(page.getByLabel("Message to the assistant").count()).resolves.toBe(0);
    for (const panel of ["watchlist", "chart", "book", "editor", "results"]) await page.getByTestId(`panel-${panel}`).waitFor();
    await screenshot(page, "assistant-no-provider");
    await page.close();
  });
});
