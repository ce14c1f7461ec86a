/**
 * Paper trading in the UI end to end, in browser mode: core runs against the simulator's public
 * Binance market. In Chromium the editor's "Deploy → Paper" dialog starts the open strategy on the
 * chart's symbol and timeframe (next-trade fills); the strategy appears in the Trading panel's
 * Strategies tab as running on that venue, symbol and timeframe, takes bars, and its buy shows as
 * a position. The session runs on core's worker pool (its session thread), as in the app.
 */
import fs from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Browser, Page } from "playwright-core";
import { launchBrowser, screenshot, startServe, stopServe, tempDataDir, type ServeProcess } from "./harness.ts";
import { openSymbol, startSimulator, type SimulatorProcess } from "./ui-helpers.ts";

const SOURCE = `import { defineStrategy } from "workstation";
export default defineStrategy({ params: {}, onBar(bar, ctx) { if (ctx.position.size === 0 && ctx.openOrders.length === 0) ctx.buy(0.01); } });
`;

let browser: Browser;
let page: Page;
let serve: ServeProcess;
let sim: SimulatorProcess;
const dataDir = tempDataDir("ws-paper-e2e-");

beforeAll(async () => {
  sim = await startSimulator(["--venues", "binance", "--rate", "50"]);
  serve = await startServe(path.join(dataDir, "core"), { env: { WORKSTATION_FEEDS: JSON.stringify({ venues: { binance: sim.urls.binance }, simulated: true }) } });
  browser = await launchBrowser();
  const context = await browser.newContext({ viewport: { width: 1600, height: 960 } });
  await context.addInitScript((source) => localStorage.setItem("workstation.editor", JSON.stringify({ name: "buy-once", draft: source, id: null })), SOURCE);
  page = await context.newPage();
}, 120_000);

afterAll(async () => {
  await browser?.close();
  if (serve) await stopServe(serve);
  await sim?.stop();
  fs.rmSync(dataDir, { recursive: true, force: true });
});

describe("paper trading in the UI", () => {
  it("Deploy → Paper starts the strategy on the simulator; it shows in the Trading panel, running, with its position", async () => {
    await page.goto(serve.url);
    await page.getByTestId("core-status").filter({ hasText: "core connected" }).waitFor();
    await openSymbol(page, "BTC/USDT", "binance", "BTC/USDT");
    await page.getByTestId("tf-1s").click();
    await page.locator('[data-testid="tf-1s"][aria-pressed="true"]').waitFor();
    await page.getByTestId("deploy-paper").click();
    const dialog = page.getByTestId("deploy-paper-dialog");
    await dialog.waitFor();
    await dialog.getByTestId("deploy-fillModel").selectOption("next-trade");
    await screenshot(page, "paper-1-deploy");
    await dialog.getByTestId("deploy-paper-confirm").click();
    await dialog.waitFor({ state: "detached", timeout: 30_000 });

    await page.getByTestId("area-tab-trading").click();
    await page.getByTestId("trading-tab-strategies").click();
    const row = page.getByTestId("sessions-table").locator("tbody tr").first();
    await row.waitFor();
    await expect.poll(() => row.textContent()).toMatch(/buy-once.*binance.*BTC\/USDT.*1s.*next-trade.*running/s);
    await expect.poll(async () => Number((await row.locator("td").nth(7).textContent()) ?? 0), { timeout: 60_000 }).toBeGreaterThan(1);

    await page.getByTestId("trading-tab-positions").click();
    await expect.poll(() => page.getByTestId("positions-table").textContent(), { timeout: 60_000 }).toMatch(/binance.*BTC\/USDT.*0\.01/s);
    await screenshot(page, "paper-2-running");
  }, 180_000);
});
