/**
 * The workstation UI end to end in browser mode: core runs with the simulated venue plus a
 * loopback Binance simulator that injects sequence gaps (its REST snapshots are slowed, so the
 * book visibly resyncs), and 1-minute bars of a local symbol imported for backtests. Chromium
 * drives the UI through each step of the issue and saves a screenshot per step.
 */
import fs from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Browser, BrowserContext, Page } from "playwright-core";
import { ROOT, launchBrowser, screenshot, startServe, stopServe, tempDataDir, type ServeProcess } from "./harness.ts";
import { importCsv, minuteBarsCsv, openSymbol, startSimulator, waitForCount, waitForTextChange, type SimulatorProcess } from "./ui-helpers.ts";

let browser: Browser;
let context: BrowserContext;
let page: Page;
let serve: ServeProcess;
let sim: SimulatorProcess;
const dataDir = tempDataDir("ws-ui-e2e-");

beforeAll(async () => {
  importCsv(dataDir, "demo-1m.csv", minuteBarsCsv(3000, Date.now()), "DEMO/USD", "local");
  sim = await startSimulator(["--venues", "binance", "--rest-delay-ms", "1500", "--fault", "gap:4"]);
  const binance = sim.urls.binance!;
  serve = await startServe(dataDir, { env: { WORKSTATION_FEEDS: JSON.stringify({ venues: { binance }, simulated: true }) } });
  browser = await launchBrowser();
  context = await browser.newContext({ viewport: { width: 1600, height: 960 } });
  page = await context.newPage();
}, 120_000);

afterAll(async () => {
  await browser?.close();
  if (serve) await stopServe(serve);
  await sim?.stop();
});

describe("workstation UI", () => {
  it("opens a live symbol at once and the chart's candles move", async () => {
    await page.goto(serve.url);
    await page.getByTestId("core-status").filter({ hasText: "core connected" }).waitFor();
    await openSymbol(page, "BTC", "simulated", "BTC/USD");
    await page.locator('[data-testid="chart"][data-status="ready"]').waitFor();
    await page.mouse.move(5, 5);
    const first = (await page.getByTestId("chart-legend").textContent()) ?? "";
    const next = await waitForTextChange(page, "chart-legend", first);
    expect(next).not.toBe(first);
    await screenshot(page, "ui-1-live-chart");
  });

  it("switches timeframe by keyboard and by button", async () => {
    await page.locator("body").press("3");
    await page.locator('[data-testid="tf-5m"][aria-pressed="true"]').waitFor();
    await page.locator('[data-testid="chart"][data-status="ready"]').waitFor();
    await page.getByTestId("tf-1m").click();
    await page.locator('[data-testid="tf-1m"][aria-pressed="true"]').waitFor();
    expect(await page.getByTestId("tf-5m").getAttribute("aria-pressed")).toBe("false");
    await screenshot(page, "ui-2-timeframe");
  });

  it("searches and opens another symbol, adds it to the watchlist, and the watchlist survives a reload", async () => {
    await openSymbol(page, "eth", "simulated", "ETH/USD", true);
    await page.locator('[data-testid="watchlist-row"][data-symbol="ETH/USD"]').waitFor();
    await page.keyboard.press("Alt+KeyW");
    await screenshot(page, "ui-3-watchlist");
    await page.reload();
    await page.getByTestId("core-status").filter({ hasText: "core connected" }).waitFor();
    await page.locator('[data-testid="watchlist-row"][data-symbol="ETH/USD"]').waitFor();
    expect(await page.getByTestId("symbol-button").textContent()).toContain("ETH/USD");
  });

  it("streams the order book and shows resyncing after an injected gap, then recovers", async () => {
    await openSymbol(page, "BTC/USDT", "binance", "BTC/USDT");
    await page.locator('[data-testid="order-book"][data-state="live"]').waitFor({ timeout: 30_000 });
    const spread = (await page.getByTestId("book-spread").textContent()) ?? "";
    expect(spread).toMatch(/Spread \d/);
    await page.locator('[data-testid="order-book"][data-state="resyncing"]').waitFor({ timeout: 30_000 });
    await page.getByTestId("book-resyncing").waitFor();
    await screenshot(page, "ui-4-book-resyncing");
    await page.locator('[data-testid="order-book"][data-state="live"]').waitFor({ timeout: 30_000 });
    const rows = async (testId: string): Promise<number> => Number(await page.getByTestId(testId).getAttribute("data-rows"));
    expect((await rows("book-bids")) + (await rows("book-asks"))).toBeGreaterThan(10);
    expect(await rows("trades-tape")).toBeGreaterThan(0);
    expect(await page.getByTestId("book-bids").getByRole("img").getAttribute("aria-label")).toMatch(/^Bids: \d+ levels, best /);
  });

  it("marks a type error in the editor, and after the fix backtests the strategy with metrics, trades and markers; a trade opens the run's symbol on the chart", async () => {
    await openSymbol(page, "DEMO", "local", "DEMO/USD");
    await waitForCount(page, "chart", "data-bars", 2000);
    await page.getByTestId("template-select").selectOption("sma-crossover");
    await page.locator(".monaco-editor .view-lines").first().waitFor();
    // Click the visible text area (right of the gutter): the lines element is as wide as the longest
    // line, so its centre may lie beyond the editor's visible width, under the run form.
    await page.locator(".monaco-editor").first().click({ position: { x: 90, y: 60 } });
    await page.keyboard.press("Control+End");
    await page.keyboard.type('\nconst broken: number = "text";');
    await waitForCount(page, "editor-errors", "data-count", 1, 30_000);
    await page.locator(".monaco-editor .squiggly-error").first().waitFor();
    await screenshot(page, "ui-5-type-error");
    await page.keyboard.press("Control+Shift+KeyK");
    await page.locator('[data-testid="editor-errors"][data-count="0"]').waitFor({ timeout: 30_000 });
    await page.keyboard.press("Control+Enter");
    await page.getByTestId("metrics").waitFor({ timeout: 60_000 });
    const trades = await page.getByTestId("trade-row").count();
    expect(trades).toBeGreaterThan(0);
    expect(await page.getByTestId("metric-trades").textContent()).toContain(String(trades));
    await waitForCount(page, "chart", "data-markers", 1);
    await openSymbol(page, "eth", "simulated", "ETH/USD");
    await page.getByTestId("trade-row").first().click();
    await page.getByTestId("symbol-button").filter({ hasText: "DEMO/USD · local" }).waitFor();
    await waitForCount(page, "chart", "data-markers", 1);
    await screenshot(page, "ui-6-backtest");
  });

  it("shows a failed run with its reason", async () => {
    await page.getByTestId("template-select").selectOption("rsi-mean-reversion");
    await page.getByTestId("param-period").fill("0");
    await page.getByTestId("run-backtest").click();
    await page.getByTestId("run-failed").waitFor({ timeout: 60_000 });
    expect(((await page.getByTestId("run-failed").textContent()) ?? "").length).toBeGreaterThan(20);
  });

  it("opens a chart window on the same core", async () => {
    const [second] = await Promise.all([context.waitForEvent("page"), page.getByTestId("new-window").click()]);
    await second.getByTestId("core-status").filter({ hasText: "core connected" }).waitFor();
    await second.locator('[data-testid="chart"][data-status="ready"]').waitFor();
    expect(await second.getByTestId("panel-watchlist").count()).toBe(0);
    expect(await second.getByTestId("panel-editor").count()).toBe(0);
    await screenshot(second, "ui-7-second-window");
    await second.close();
  });

  it("keeps a setting typed into a field when the dialog is closed with Esc", async () => {
    await page.locator("body").press("Control+,");
    const cash = page.getByTestId("settings-dialog").getByLabel("Cash");
    await cash.fill("54321");
    await page.keyboard.press("Escape");
    await page.getByTestId("settings-dialog").waitFor({ state: "detached" });
    await page.locator("body").press("Control+,");
    await expect.poll(() => page.getByTestId("settings-dialog").getByLabel("Cash").inputValue()).toBe("54321");
    await page.getByTestId("settings-dialog").getByLabel("Cash").fill("100000");
    await page.keyboard.press("Escape");
    await page.getByTestId("settings-dialog").waitFor({ state: "detached" });
  });

  it("saves the overview screenshot under artifacts/ (npm run screenshot copies it to the README): a run's results beside a live chart, book and tape", async () => {
    await page.getByTestId("template-select").selectOption("sma-crossover");
    await page.getByTestId("run-backtest").click();
    await page.getByTestId("run-progress").waitFor({ state: "detached", timeout: 60_000 });
    await page.getByTestId("metrics").scrollIntoViewIfNeeded();
    await openSymbol(page, "BTC", "simulated", "BTC/USD");
    await page.locator('[data-testid="order-book"][data-state="live"]').waitFor({ timeout: 30_000 });
    await page.locator('[data-testid="trades-tape"][data-rows]:not([data-rows="0"])').waitFor();
    await page.mouse.move(700, 300);
    const file = await screenshot(page, "ui-8-overview");
    expect(file.startsWith(path.join(ROOT, "artifacts"))).toBe(true);
    expect(fs.statSync(file).size).toBeGreaterThan(0);
  });
});
