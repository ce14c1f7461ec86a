/**
 * Real venues out of the box, end to end: core starts with Binance.US's built-in endpoints pointed
 * at a loopback simulator and switched off (as every real venue is on a fresh data directory).
 * The trader enables it in Settings, finds one of its instruments in symbol search (with status
 * and tick/lot), opens it, and the chart streams; the status bar shows the venue connected.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Browser, Page } from "playwright-core";
import { launchBrowser, screenshot, startServe, stopServe, tempDataDir, type ServeProcess } from "./harness.ts";
import { openSymbol, startSimulator, waitForTextChange, type SimulatorProcess } from "./ui-helpers.ts";

let browser: Browser;
let page: Page;
let serve: ServeProcess;
let sim: SimulatorProcess;

beforeAll(async () => {
  sim = await startSimulator(["--venues", "binance"]);
  const us = { ...sim.urls.binance!, enabled: false };
  serve = await startServe(tempDataDir("ws-venues-e2e-"), { env: { WORKSTATION_FEEDS: JSON.stringify({ venues: { binance: { variants: { us } } }, simulated: true }) } });
  browser = await launchBrowser();
  page = await (await browser.newContext({ viewport: { width: 1400, height: 900 } })).newPage();
}, 120_000);

afterAll(async () => {
  await browser?.close();
  if (serve) await stopServe(serve);
  await sim?.stop();
});

describe("venues", () => {
  it("Settings → enable a venue → symbol search finds its instruments → the chart streams", async () => {
    await page.goto(serve.url);
    await page.getByTestId("core-status").filter({ hasText: "core connected" }).waitFor();
    await page.getByTestId("venue-status-simulated").waitFor();
    expect(await page.getByTestId("venue-status-binance-us").count()).toBe(0);

    await page.getByTestId("settings-button").click();
    const state = page.getByTestId("venue-state-binance-us");
    await state.filter({ hasText: "disabled" }).waitFor();
    expect(await page.getByTestId("venue-toggle-binance").isChecked()).toBe(false);
    // The switch shows core's answer (it is checked once core has enabled the venue).
    await page.getByTestId("venue-toggle-binance-us").click();
    await expect.poll(() => page.getByTestId("venue-toggle-binance-us").isChecked()).toBe(true);
    await expect.poll(() => state.textContent()).not.toContain("disabled");
    await screenshot(page, "venues-1-enabled");
    await page.locator("body").press("Escape");
    await page.getByTestId("settings-dialog").waitFor({ state: "detached" });

    await page.locator("body").press("/");
    await page.getByTestId("search-input").and(page.locator(":focus")).waitFor();
    await page.keyboard.type("ETHUSDT");
    const hit = page.locator('[data-testid="search-hit"][data-symbol="ETH/USDT"]').filter({ hasText: "binance-us" }).first();
    await hit.getByTestId("search-status").filter({ hasText: "trading" }).waitFor();
    await screenshot(page, "venues-2-search");
    await openSymbol(page, "ETHUSDT", "binance-us", "ETH/USDT");
    await page.locator('[data-testid="chart"][data-status="ready"]').waitFor();
    await page.mouse.move(5, 5);
    await waitForTextChange(page, "chart-legend", (await page.getByTestId("chart-legend").textContent()) ?? "");
    await page.getByTestId("venue-status-binance-us").filter({ hasText: "Binance.US connected" }).waitFor();
    await screenshot(page, "venues-3-streaming");
  });
});
