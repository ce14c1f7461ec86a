/**
 * The chart and workspace a TradingView user expects (issue #28), in browser mode on the simulated
 * venue: a drawing is back after a reload, the log scale, a 2-chart grid whose second chart
 * follows the main chart's timeframe, a named layout saved and restored, and the editor's room at
 * 1366×768 (collapsed run form with Run visible, maximise, a problems list that jumps to the
 * line), and New window opening a chart-only window; no page errors.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Browser, Page } from "playwright-core";
import { launchBrowser, screenshot, startServe, stopServe, tempDataDir, type ServeProcess } from "./harness.ts";

let browser: Browser;
let page: Page;
let serve: ServeProcess;
const errors: string[] = [];

beforeAll(async () => {
  serve = await startServe(tempDataDir("ws-workspace-e2e-"));
  browser = await launchBrowser();
  page = await (await browser.newContext({ viewport: { width: 1600, height: 960 } })).newPage();
  page.on("pageerror", (err) => errors.push(err.message));
  await page.goto(serve.url);
  await page.getByTestId("core-status").filter({ hasText: "core connected" }).waitFor();
  await page.locator('[data-testid="chart"][data-status="ready"]').waitFor({ timeout: 30_000 });
}, 120_000);

afterAll(async () => {
  await browser?.close();
  if (serve) await stopServe(serve);
});

const chart = (): ReturnType<Page["getByTestId"]> => page.getByTestId("chart");

/** Clicks the main chart's price pane at fractions of its canvas. */
async function clickChart(fx: number, fy: number): Promise<void> {
  const box = (await page.locator('[data-testid="chart"] .chart-canvas').boundingBox())!;
  await page.mouse.click(box.x + box.width * fx, box.y + box.height * fy);
}

describe("chart workspace", () => {
  it("keeps a drawing across a reload", async () => {
    await page.getByTestId("draw-hline").click();
    await clickChart(0.5, 0.3);
    await page.locator('[data-testid="chart"][data-drawings="1"]').waitFor();
    await page.getByTestId("draw-trend").click();
    await clickChart(0.3, 0.4);
    await clickChart(0.6, 0.2);
    await page.locator('[data-testid="chart"][data-drawings="2"]').waitFor();
    await screenshot(page, "workspace-1-drawings");
    await page.reload();
    await page.locator('[data-testid="chart"][data-status="ready"]').waitFor({ timeout: 30_000 });
    await page.locator('[data-testid="chart"][data-drawings="2"]').waitFor();
  });

  it("switches the price axis to log scale and keeps it", async () => {
    await page.getByTestId("scale-log").click();
    expect(await chart().getAttribute("data-scale")).toBe("log");
    expect(await page.getByTestId("scale-log").getAttribute("aria-pressed")).toBe("true");
    await screenshot(page, "workspace-2-log");
    await page.reload();
    await page.locator('[data-testid="chart"][data-status="ready"]').waitFor({ timeout: 30_000 });
    expect(await chart().getAttribute("data-scale")).toBe("log");
  });

  it("shows two charts whose second follows the main chart's symbol and timeframe", async () => {
    await page.getByTestId("grid-2").click();
    const second = page.getByTestId("chart-1");
    await page.locator('[data-testid="chart-1"][data-status="ready"]').waitFor({ timeout: 30_000 });
    const title = (await page.getByTestId("chart-legend").locator("strong").textContent()) ?? "";
    expect(title.startsWith(`${await second.getAttribute("data-symbol")} ·`)).toBe(true);
    await page.getByTestId("tf-5m").click();
    await page.locator('[data-testid="chart-1"][data-timeframe="5m"][data-status="ready"]').waitFor({ timeout: 30_000 });
    await page.getByTestId("link-timeframe").uncheck();
    await page.getByTestId("tf-1m").click();
    await page.locator('[data-testid="chart"][data-status="ready"]').waitFor();
    expect(await second.getAttribute("data-timeframe")).toBe("5m");
    await screenshot(page, "workspace-3-grid");
  });

  it("saves a named layout and restores it", async () => {
    await page.getByTestId("layout-name").fill("two-up log");
    await page.getByTestId("layout-save").click();
    await page.getByTestId("layout-notes").filter({ hasText: 'Saved "two-up log".' }).waitFor();
    await page.getByTestId("grid-1").click();
    await page.getByTestId("scale-normal").click();
    await page.getByTestId("chart-1").waitFor({ state: "detached" });
    await page.getByTestId("layout-restore").selectOption("two-up log");
    await page.getByTestId("layout-notes").filter({ hasText: 'Restored "two-up log".' }).waitFor();
    await page.locator('[data-testid="chart-1"][data-timeframe="5m"][data-status="ready"]').waitFor({ timeout: 30_000 });
    expect(await page.getByTestId("chart-grid").getAttribute("data-count")).toBe("2");
    expect(await chart().getAttribute("data-scale")).toBe("log");
    await screenshot(page, "workspace-4-layout");
  });

  it("gives the editor room at 1366x768: collapsed form, maximise, problems that jump to their line", async () => {
    const small = await (await browser.newContext({ viewport: { width: 1366, height: 768 } })).newPage();
    small.on("pageerror", (err) => errors.push(`1366x768: ${err.message}`));
    await small.goto(serve.url);
    await small.getByTestId("core-status").filter({ hasText: "core connected" }).waitFor();
    await small.locator(".code-editor .monaco-editor").waitFor({ timeout: 30_000 });
    expect(await small.getByTestId("run-form").getAttribute("class")).toContain("run-form-collapsed");
    expect(await small.getByTestId("run-backtest").isVisible()).toBe(true);
    const narrow = (await small.getByTestId("code-editor").boundingBox())!.width;
    await small.getByTestId("editor-maximise").click();
    const editor = (await small.getByTestId("panel-editor").boundingBox())!;
    expect(editor.height).toBeGreaterThan(500);
    expect((await small.getByTestId("code-editor").boundingBox())!.width).toBeGreaterThanOrEqual(narrow);
    await small.locator(".code-editor .monaco-editor .view-lines").click();
    await small.keyboard.press("Control+End");
    await small.keyboard.press("End");
    await small.keyboard.type("\nconst broken: number = missingName;");
    await small.keyboard.press("Escape");
    const problem = small.getByTestId("problem").first();
    await problem.waitFor({ timeout: 30_000 });
    const line = (await problem.getAttribute("data-line"))!;
    await small.keyboard.press("Control+Home");
    await problem.click();
    await expect.poll(() => small.locator(".code-editor .active-line-number").first().textContent()).toBe(line);
    await screenshot(small, "workspace-5-editor-1366");
    await small.getByTestId("editor-maximise").click();
    await small.close();
  });

  it("opens a chart-only window from New window", async () => {
    const [second] = await Promise.all([page.context().waitForEvent("page"), page.getByTestId("new-window").click()]);
    second.on("pageerror", (err) => errors.push(`chart window: ${err.message}`));
    await second.locator('[data-testid="chart"][data-status="ready"]').waitFor({ timeout: 30_000 });
    expect(await second.getByTestId("panel-watchlist").count()).toBe(0);
    expect(await second.getByTestId("panel-editor").count()).toBe(0);
    await second.close();
  });

  it("raised no page errors", () => {
    expect(errors).toEqual([]);
  });
});
