/**
 * The chart and workspace a TradingView user expects (issue #28), in browser mode on the simulated
 * venue: a trend line, horizontal line, rectangle and retracement are back after a reload; the log
 * and percent scales; a 4-chart grid linked by symbol and timeframe, each chart with the main
 * chart's indicators; that 4-chart layout saved and restored; each indicator pane a quarter of the
 * chart's height (the price pane at least half) in one chart and in four, as indicators come and
 * go, after a layout restore and a resize; the editor's room at 1366×768
 * (collapsed run form with Run visible, maximise, a problems list that jumps to the line); New
 * window opening a chart-only window and Detach an editor window; no page errors.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Browser, Page } from "playwright-core";
import { launchBrowser, screenshot, startServe, stopServe, tempDataDir, type ServeProcess } from "./harness.ts";
import { connectApi, openSymbol } from "./ui-helpers.ts";

let browser: Browser;
let page: Page;
let serve: ServeProcess;
const errors: string[] = [];

beforeAll(async () => {
  serve = await startServe(tempDataDir("ws-workspace-e2e-"));
  const client = await connectApi(serve);
  await client.call("ui.watchlist.set", { items: ["BTC/USD", "ETH/USD", "SOL/USD"].map((symbol) => ({ venue: "simulated", symbol })) });
  client.close();
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

const CELLS = [1, 2, 3];

/** Waits for grid chart `i` to match the attribute selector `attrs`. */
async function cell(i: number, attrs: string): Promise<void> {
  await page.locator(`[data-testid="chart-${i}"]${attrs}`).waitFor({ timeout: 30_000 });
}

/** Clicks the main chart's price pane at fractions of its canvas. */
async function clickChart(fx: number, fy: number): Promise<void> {
  const box = (await page.locator('[data-testid="chart"] .chart-canvas').boundingBox())!;
  await page.mouse.click(box.x + box.width * fx, box.y + box.height * fy);
}

/**
 * Null when chart `testId` (its `data-testid`) shows `n` indicator panes below the price pane,
 * each a quarter of the panes' height (the chart less its time axis; with more than two they share
 * half) and, in a chart of at least `minChart` px, at least 18 % of the whole chart; otherwise the
 * heights it shows. lightweight-charts lays a chart out as table rows: each pane, a 1 px separator
 * between panes, the time axis last.
 */
async function paneMismatch(testId: string, n: number, minChart = 180): Promise<string | null> {
  const { chart, panes } = await page.getByTestId(testId).locator(".chart-canvas").evaluate((el) => {
    const rows = [...(el.querySelector("table")?.rows ?? [])].slice(0, -1);
    return { chart: el.getBoundingClientRect().height, panes: rows.map((r) => r.getBoundingClientRect().height).filter((h) => h > 1) };
  });
  const total = panes.reduce((a, b) => a + b, 0);
  const share = Math.min(0.25, 0.5 / n);
  const ok = panes.length === n + 1 && panes[0]! / total > 0.48 &&
    panes.slice(1).every((h) => Math.abs(h / total - share) < 0.02 && (chart < minChart || n > 2 || h / chart >= 0.18));
  return ok ? null : `${testId}: chart ${chart} px, panes ${panes.join(", ")} px`;
}

/** Waits until chart `testId` shows `n` indicator panes sized as {@link paneMismatch} checks. */
async function expectIndicatorPanes(testId: string, n: number): Promise<void> {
  await expect.poll(() => paneMismatch(testId, n), { timeout: 10_000 }).toBeNull();
}

/** Adds an indicator of `kind` to the main chart. */
async function addIndicator(kind: string): Promise<void> {
  await page.getByTestId("add-indicator").selectOption(kind);
}

/** Removes the main chart's last indicator of `kind` through its chip's menu. */
async function removeIndicator(kind: string): Promise<void> {
  const chip = page.getByTestId(`indicator-${kind}`).last();
  await chip.locator("summary").click();
  await chip.getByRole("button", { name: "Remove" }).click();
}

describe("chart workspace", () => {
  it("keeps a trend line, a horizontal line, a rectangle and a retracement across a reload", async () => {
    const tools: Array<[string, Array<[number, number]>]> = [
      ["hline", [[0.5, 0.3]]],
      ["trend", [[0.3, 0.4], [0.6, 0.2]]],
      ["rect", [[0.2, 0.5], [0.4, 0.35]]],
      ["fib", [[0.45, 0.6], [0.7, 0.25]]],
    ];
    for (const [i, [tool, points]] of tools.entries()) {
      await page.getByTestId(`draw-${tool}`).click();
      for (const [fx, fy] of points) await clickChart(fx, fy);
      await page.locator(`[data-testid="chart"][data-drawings="${i + 1}"]`).waitFor();
      expect(await page.getByTestId(`draw-${tool}`).getAttribute("aria-pressed")).toBe("false");
    }
    await screenshot(page, "workspace-1-drawings");
    await page.reload();
    await page.locator('[data-testid="chart"][data-status="ready"]').waitFor({ timeout: 30_000 });
    await page.locator('[data-testid="chart"][data-drawings="4"]').waitFor();
  });

  it("switches the price axis to log scale and to percent, and keeps it", async () => {
    for (const mode of ["log", "percent"]) {
      await page.getByTestId(`scale-${mode}`).click();
      expect(await chart().getAttribute("data-scale")).toBe(mode);
      expect(await page.getByTestId(`scale-${mode}`).getAttribute("aria-pressed")).toBe("true");
      await screenshot(page, `workspace-2-${mode}`);
      await page.reload();
      await page.locator('[data-testid="chart"][data-status="ready"]').waitFor({ timeout: 30_000 });
      expect(await chart().getAttribute("data-scale")).toBe(mode);
    }
  });

  it("shows four charts that follow the main chart's symbol and timeframe, each with its indicators and their legend values", async () => {
    await page.getByTestId("grid-4").click();
    await openSymbol(page, "ETH/USD", "simulated", "ETH/USD");
    for (const i of CELLS) await cell(i, '[data-symbol="ETH/USD"][data-status="ready"]');
    await page.getByTestId("tf-5m").click();
    for (const i of CELLS) await cell(i, '[data-timeframe="5m"][data-status="ready"]');
    await page.getByTestId("add-indicator").selectOption("sma");
    for (const i of CELLS) await cell(i, '[data-indicators="1"]');
    await page.getByTestId("chart-1-legend").getByTestId("legend-indicator").filter({ hasText: /SMA/ }).waitFor({ timeout: 30_000 });
    await page.getByTestId("chart-legend").getByTestId("legend-indicator").filter({ hasText: /SMA/ }).waitFor();
    // Unlinked, each chart keeps what it showed and takes its own symbol and timeframe.
    await page.getByTestId("link-symbol").uncheck();
    await page.getByTestId("link-timeframe").uncheck();
    await page.getByTestId("cell-2-symbol").selectOption("simulated\u0000SOL/USD");
    await page.getByTestId("cell-3-timeframe").selectOption("15m");
    await openSymbol(page, "BTC/USD", "simulated", "BTC/USD");
    await page.getByTestId("tf-1m").click();
    await cell(2, '[data-symbol="SOL/USD"][data-timeframe="5m"][data-status="ready"]');
    await cell(3, '[data-symbol="ETH/USD"][data-timeframe="15m"][data-status="ready"]');
    await cell(1, '[data-symbol="ETH/USD"][data-timeframe="5m"][data-status="ready"]');
    await screenshot(page, "workspace-3-grid");
  });

  it("saves the 4-chart layout under a name and restores it", async () => {
    await page.getByTestId("scale-log").click();
    await page.getByTestId("layout-name").fill("four-up log");
    await page.getByTestId("layout-save").click();
    await page.getByTestId("layout-notes").filter({ hasText: 'Saved "four-up log".' }).waitFor();
    await page.getByTestId("grid-1").click();
    await page.getByTestId("scale-normal").click();
    await page.getByTestId("link-symbol").check();
    await page.getByTestId("chart-1").waitFor({ state: "detached" });
    await page.getByTestId("layout-restore").selectOption("four-up log");
    await page.getByTestId("layout-notes").filter({ hasText: 'Restored "four-up log".' }).waitFor();
    expect(await page.getByTestId("chart-grid").getAttribute("data-count")).toBe("4");
    await cell(2, '[data-symbol="SOL/USD"][data-timeframe="5m"][data-status="ready"]');
    await cell(3, '[data-symbol="ETH/USD"][data-timeframe="15m"][data-status="ready"]');
    expect(await page.getByTestId("link-symbol").isChecked()).toBe(false);
    expect(await chart().getAttribute("data-scale")).toBe("log");
    await screenshot(page, "workspace-4-layout");
    await page.getByTestId("grid-1").click();
  });

  it("gives each indicator pane a quarter of the chart in one chart and in four, as indicators come and go, after a layout restore and a resize", async () => {
    await addIndicator("rsi");
    await expectIndicatorPanes("chart", 1);
    await addIndicator("macd");
    await expectIndicatorPanes("chart", 2);
    await addIndicator("rsi");
    await expectIndicatorPanes("chart", 3);
    await screenshot(page, "workspace-4b-panes-single");
    await removeIndicator("rsi");
    await expectIndicatorPanes("chart", 2);
    await page.getByTestId("grid-4").click();
    for (const i of CELLS) await cell(i, '[data-status="ready"]');
    for (const id of ["chart", "chart-1", "chart-2", "chart-3"]) await expectIndicatorPanes(id, 2);
    await screenshot(page, "workspace-4c-panes-grid");
    await page.getByTestId("layout-name").fill("panes");
    await page.getByTestId("layout-save").click();
    await page.getByTestId("layout-notes").filter({ hasText: 'Saved "panes".' }).waitFor();
    await page.getByTestId("grid-1").click();
    await removeIndicator("macd");
    await expectIndicatorPanes("chart", 1);
    await page.getByTestId("layout-restore").selectOption("panes");
    await page.getByTestId("layout-notes").filter({ hasText: 'Restored "panes".' }).waitFor();
    for (const i of CELLS) await cell(i, '[data-status="ready"]');
    for (const id of ["chart", "chart-1", "chart-2", "chart-3"]) await expectIndicatorPanes(id, 2);
    await page.setViewportSize({ width: 1366, height: 768 });
    for (const id of ["chart", "chart-1", "chart-2", "chart-3"]) await expectIndicatorPanes(id, 2);
    await screenshot(page, "workspace-4d-panes-grid-1366");
    await page.setViewportSize({ width: 1600, height: 960 });
    await page.getByTestId("grid-1").click();
    await expectIndicatorPanes("chart", 2);
    await removeIndicator("macd");
    await removeIndicator("rsi");
    await expectIndicatorPanes("chart", 0);
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

  it("detaches the editor into a window of its own, with the run form", async () => {
    const [editor] = await Promise.all([page.context().waitForEvent("page"), page.getByTestId("editor-detach").click()]);
    editor.on("pageerror", (err) => errors.push(`editor window: ${err.message}`));
    await editor.locator(".code-editor .monaco-editor").waitFor({ timeout: 30_000 });
    expect(await editor.getByTestId("run-backtest").isVisible()).toBe(true);
    expect(await editor.getByTestId("editor-detach").count()).toBe(0);
    expect(await editor.getByTestId("chart").count()).toBe(0);
    await editor.close();
  });

  it("raised no page errors", () => {
    expect(errors).toEqual([]);
  });
});
