/**
 * Live trading in the UI end to end: core runs against the simulator's public Binance market and its
 * private API (`workstation simulate --private`), with the simulator's test key in a throw-away OS
 * keyring. In Chromium: Deploy → Live opens the approval dialog (summary, limits, first deployment),
 * which deploys only after the explicit confirmation; the strategy buys on the venue; the LIVE tab,
 * badges and the live kill switch show; the kill switch halts the live account.
 */
import fs from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Browser, Page } from "playwright-core";
import { hasKeyring, startKeyring, type KeyringSession } from "../core/secrets/testing-keyring.ts";
import { ROOT, launchBrowser, screenshot, startServe, stopServe, tempDataDir, type ServeProcess } from "./harness.ts";
import { openSymbol, startSimulator, type SimulatorProcess } from "./ui-helpers.ts";

const SOURCE = `import { defineStrategy } from "workstation";
export default defineStrategy({ params: {}, onBar(bar, ctx) { if (ctx.position.size === 0 && ctx.openOrders.length === 0) ctx.buy(0.01); } });
`;

const available = hasKeyring();
let browser: Browser;
let page: Page;
let serve: ServeProcess;
let sim: SimulatorProcess;
let keyring: KeyringSession | null = null;
const dataDir = tempDataDir("ws-live-e2e-");

beforeAll(async () => {
  if (!available) return;
  sim = await startSimulator(["--venues", "binance", "--private", "--rate", "50"]);
  const priv = sim.private!.binance!;
  const endpoints = JSON.stringify({ binance: { rest: priv.rest, wsApi: priv.wsApi } });
  keyring = await startKeyring(path.join(ROOT, "bin", "workstation"), dataDir, { ...process.env, WORKSTATION_LIVE_ENDPOINTS: endpoints }, [{ venue: "binance", env: "testnet", apiKey: priv.apiKey, secret: priv.secret }]);
  const env = Object.fromEntries(Object.entries(keyring.env).filter((e): e is [string, string] => typeof e[1] === "string"));
  serve = await startServe(path.join(dataDir, "core"), { env: { ...env, WORKSTATION_FEEDS: JSON.stringify({ venues: { binance: sim.urls.binance }, simulated: true }) } });
  browser = await launchBrowser();
  const context = await browser.newContext({ viewport: { width: 1600, height: 960 } });
  await context.addInitScript((source) => localStorage.setItem("workstation.editor", JSON.stringify({ name: "buy-once", draft: source, id: null })), SOURCE);
  page = await context.newPage();
}, 120_000);

afterAll(async () => {
  await browser?.close();
  if (serve) await stopServe(serve);
  keyring?.close();
  await sim?.stop();
  fs.rmSync(dataDir, { recursive: true, force: true });
});

describe("live trading in the UI", () => {
  it.skipIf(!available)("deploys live through the approval dialog, shows LIVE everywhere, halts with the live kill switch", async () => {
    await page.goto(serve.url);
    await page.getByTestId("core-status").filter({ hasText: "core connected" }).waitFor();
    await openSymbol(page, "BTC/USDT", "binance", "BTC/USDT");
    await page.getByTestId("tf-1s").click();
    await page.locator('[data-testid="tf-1s"][aria-pressed="true"]').waitFor();
    await page.getByTestId("deploy-live-env").selectOption("testnet");
    await page.getByTestId("deploy-live").click();
    const dialog = page.getByTestId("live-approval-dialog");
    await dialog.waitFor();
    await expect.poll(() => dialog.getByTestId("live-approval-summary").textContent()).toMatch(/binance \(testnet\).*live:binance.*BTC\/USDT/s);
    expect(await dialog.getByTestId("live-approval-badge").textContent()).toBe("LIVE");
    expect(await dialog.getByTestId("live-approval-diff").textContent()).toMatch(/No earlier approved version/);
    // No deployment without the explicit confirmation.
    expect(await dialog.getByTestId("live-approve-confirm").isDisabled()).toBe(true);
    await screenshot(page, "live-1-approval");
    await dialog.getByTestId("live-approve-check").check();
    await dialog.getByTestId("live-approve-confirm").click();
    await dialog.waitFor({ state: "detached", timeout: 30_000 });

    await page.getByTestId("area-tab-trading").click();
    await page.getByTestId("trading-tab-live").click();
    await page.getByTestId("live-session-row").waitFor();
    expect(await page.getByTestId("live-session-row").locator(".live-badge").textContent()).toBe("LIVE");
    await expect.poll(() => page.getByTestId("live-session-position").textContent(), { timeout: 60_000 }).toBe("0.01");
    await page.getByTestId("live-orders-table").locator(".live-badge").first().waitFor();
    await page.getByTestId("topbar-live-kill-switch-binance").waitFor();
    await screenshot(page, "live-2-running");

    await page.getByTestId("live-kill-switch-binance").click();
    await page.locator('[data-testid="live-kill-switch-binance"][data-mode="halt"]').waitFor();
    await page.locator('[data-testid="topbar-live-kill-switch-binance"][data-mode="halt"]').waitFor();
    await screenshot(page, "live-3-halted");
  }, 180_000);
});
