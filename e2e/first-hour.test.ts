/**
 * A trader's first hour (issue 19), end to end in browser mode: a fresh data directory's first
 * "Run backtest" of the SMA template on the simulated market gives results, its equity chart fits
 * the whole run, and saving the template asks for a name (at 1366×768 and 1600×1000); a CSV dropped
 * on the window imports with a preview and opens on its own timeframe, and bad drops import
 * nothing; a daily run reads right (dates without a clock, unsigned drawdown), past runs are listed,
 * compared and reopened, a sweep row's params go into the run form, and the daily series opens on 1w
 * and 1M. No uncaught page error anywhere.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Browser, Page } from "playwright-core";
import { launchBrowser, screenshot, startServe, stopServe, tempDataDir, type ServeProcess } from "./harness.ts";
import { dailyCsv, waitForCount } from "./ui-helpers.ts";

let browser: Browser;
const errors: string[] = [];

beforeAll(async () => {
  browser = await launchBrowser();
}, 60_000);

afterAll(async () => {
  await browser?.close();
});

async function openPage(serve: ServeProcess, width: number, height: number): Promise<Page> {
  const context = await browser.newContext({ viewport: { width, height } });
  const page = await context.newPage();
  page.on("pageerror", (err) => errors.push(`${width}x${height}: ${err.message}`));
  await page.goto(serve.url);
  await page.getByTestId("core-status").filter({ hasText: "core connected" }).waitFor();
  return page;
}

/** Drops files (name → text, or bytes) on the window as a trader drags them in. */
async function dropFiles(page: Page, files: Array<{ name: string; text?: string; bytes?: number[] }>): Promise<void> {
  const dt = await page.evaluateHandle((list) => {
    const transfer = new DataTransfer();
    for (const f of list) transfer.items.add(new File([f.bytes ? new Uint8Array(f.bytes) : (f.text ?? "")], f.name));
    return transfer;
  }, files);
  await page.dispatchEvent("body", "dragover", { dataTransfer: dt });
  await page.dispatchEvent("body", "drop", { dataTransfer: dt });
}

/** The first run on a fresh data directory, at one window size. */
async function firstRun(width: number, height: number): Promise<void> {
  const serve = await startServe(tempDataDir("ws-first-"));
  try {
    const page = await openPage(serve, width, height);
    await page.getByTestId("symbol-button").filter({ hasText: "BTC/USD · simulated" }).waitFor();
    await page.locator('[data-testid="chart"][data-status="ready"]').waitFor({ timeout: 30_000 });
    const run = page.getByTestId("run-backtest");
    await expect.poll(() => run.textContent(), { timeout: 10_000 }).toBe("Run backtest");
    const box = (await run.boundingBox())!;
    expect(box.y + box.height).toBeLessThanOrEqual(height);
    expect(box.x + box.width).toBeLessThanOrEqual(width);
    await run.click();
    await page.getByTestId("metrics").waitFor({ timeout: 90_000 });
    expect(await page.getByTestId("metric-totalReturn").textContent()).toMatch(/^Total return[+-]?\d/);
    expect(await page.getByTestId("trade-row").count()).toBeGreaterThan(0);
    await expectEquityFits(page);
    await expectMetricsFit(page);
    const code = (await page.locator(".monaco-editor").first().boundingBox())!;
    expect(code.width).toBeGreaterThanOrEqual(300);
    await screenshot(page, `first-hour-run-${width}x${height}`);
    // The draft's run added nothing to the library; saving the template asks for a name.
    expect(await page.getByTestId("strategy-select").locator("option").allTextContents()).toEqual(["SMA crossover (unsaved)"]);
    await page.locator("body").press("Control+s");
    await page.getByRole("dialog", { name: "Save as" }).waitFor();
    await page.keyboard.press("Escape");
  } finally {
    await stopServe(serve);
  }
}

/** Every metric's figure sits on one line inside its card. */
async function expectMetricsFit(page: Page): Promise<void> {
  const misfits = await page.locator(".metric-value").evaluateAll((cells) =>
    cells
      .filter((c) => c.scrollWidth > c.clientWidth || c.getBoundingClientRect().height > 1.5 * parseFloat(getComputedStyle(c).lineHeight || "20"))
      .map((c) => c.textContent),
  );
  expect(misfits).toEqual([]);
}

/** The equity chart shows the run's first and last bar. */
async function expectEquityFits(page: Page): Promise<void> {
  const chart = page.getByTestId("equity-chart");
  await expect
    .poll(async () => {
      const [from, to, runFrom, runTo] = await Promise.all(["data-visible-from", "data-visible-to", "data-run-from", "data-run-to"].map((a) => chart.getAttribute(a)));
      return Number(from) <= Number(runFrom) && Number(to) >= Number(runTo) && from !== "";
    }, { timeout: 10_000 })
    .toBe(true);
}

describe("a trader's first hour", () => {
  it("the first Run backtest on a fresh data dir gives results that fit, at 1366×768", () => firstRun(1366, 768), 150_000);

  it("the first Run backtest on a fresh data dir gives results that fit, at 1600×1000", () => firstRun(1600, 1000), 150_000);

  it("imports a dropped CSV with a preview, opens it on its timeframe, refuses bad drops, and a daily run reads right", async () => {
    const serve = await startServe(tempDataDir("ws-import-"), { env: { WORKSTATION_MAX_UPLOAD_BYTES: "200000" } });
    try {
      const page = await openPage(serve, 1600, 1000);
      await dropFiles(page, [{ name: "blob.csv", bytes: [80, 75, 3, 4, 0, 0, 1, 2] }]);
      await expect.poll(() => page.getByTestId("import-error").textContent(), { timeout: 20_000 }).toMatch(/blob\.csv: binary data/);
      await dropFiles(page, [{ name: "empty.csv", text: "" }]);
      await expect.poll(() => page.getByTestId("import-error").textContent(), { timeout: 20_000 }).toMatch(/"empty\.csv" is empty/);
      await dropFiles(page, [{ name: "huge.csv", text: "x".repeat(300_000) }]);
      await expect.poll(() => page.getByTestId("import-error").textContent(), { timeout: 20_000 }).toMatch(/larger than/);
      await dropFiles(page, [{ name: "notes.txt", text: "hello,world\nfoo,bar\n" }]);
      await expect.poll(() => page.getByTestId("import-error").textContent(), { timeout: 20_000 }).toMatch(/notes\.txt/);
      expect(await page.evaluate(() => fetch("/api/health").then((r) => r.ok))).toBe(true);

      await dropFiles(page, [{ name: "orcl.csv", text: dailyCsv(800) }]);
      await page.getByTestId("import-preview").waitFor();
      expect(await page.getByTestId("import-layout").textContent()).toMatch(/Yahoo/);
      expect(await page.getByTestId("import-preview").locator("tbody tr").count()).toBe(5);
      expect(await page.getByTestId("import-symbol").inputValue()).toBe("ORCL");
      await page.getByTestId("import-confirm").click();
      await page.getByTestId("import-done").waitFor({ timeout: 30_000 });
      await page.getByTestId("import-open").click();
      await page.locator('[data-testid="tf-1d"][aria-pressed="true"]').waitFor();
      expect(await page.getByTestId("tf-1m").getAttribute("data-empty")).toBe("true");
      await waitForCount(page, "chart", "data-bars", 700);
      await screenshot(page, "first-hour-import");

      await page.getByTestId("run-backtest").click();
      await page.getByTestId("metrics").waitFor({ timeout: 90_000 });
      await expectEquityFits(page);
      expect(await page.getByTestId("metric-maxDrawdown").textContent()).not.toContain("+");
      expect(await page.getByTestId("metric-maxDrawdownDuration").textContent()).toMatch(/days?/);
      expect(await page.getByTestId("trades-table").textContent()).not.toMatch(/\d\d:\d\d/);

      // A second run with a commission; Past runs lists both, compares them and reopens one.
      await page.getByTestId("run-commission").fill("0.002");
      await page.getByTestId("run-backtest").click();
      await page.getByTestId("result-params").filter({ hasText: "commission 0.2 %" }).waitFor({ timeout: 90_000 });
      await page.getByTestId("open-runs").click();
      const saved = page.getByTestId("saved-run");
      await saved.nth(1).waitFor();
      expect(await saved.nth(0).textContent()).toMatch(/ORCL.*1d.*[+-]?\d+\.\d\d %/);
      await saved.nth(0).getByRole("checkbox").check();
      await saved.nth(1).getByRole("checkbox").check();
      await screenshot(page, "first-hour-past-runs");
      await page.getByTestId("runs-compare").click();
      await page.getByTestId("compare-label").waitFor();
      expect(await page.getByTestId("metric-totalReturn").locator(".metric-compare").textContent()).toMatch(/\d %$/);
      await expectEquityFits(page);
      await page.getByTestId("open-runs").click();
      const oldest = (await saved.nth(1).getAttribute("data-run-id"))!;
      await saved.nth(1).getByTestId("saved-run-open").click();
      await expect.poll(() => page.getByTestId("compare-label").count(), { timeout: 10_000 }).toBe(0);
      expect(await page.getByTestId("panel-results").textContent()).toContain(`#${oldest}`);
      expect(await page.getByTestId("trade-row").count()).toBeGreaterThan(0);
      await screenshot(page, "first-hour-runs");

      await page.getByTestId("sweep-toggle").check();
      await page.getByTestId("range-fast").fill("5,8");
      await page.getByTestId("range-slow").fill("20,40");
      await page.getByTestId("run-backtest").click();
      await page.getByTestId("sweep-row").nth(3).waitFor({ timeout: 90_000 });
      expect(await page.getByTestId("heatmap-cell").count()).toBe(4);
      const first = page.getByTestId("sweep-row").first();
      const fast = (await first.locator("td").first().textContent())!;
      await first.getByTestId("sweep-use").click();
      await expect.poll(() => page.getByTestId("param-fast").inputValue(), { timeout: 10_000 }).toBe(fast);
      await screenshot(page, "first-hour-sweep");

      // Weekly and monthly bars from the daily ones: 2015-01-01 … 2017-03-10 spans 115 Monday weeks and 27 months.
      await page.getByTestId("tf-1w").click();
      await expect.poll(() => page.getByTestId("chart").getAttribute("data-bars"), { timeout: 20_000 }).toBe("115");
      await page.getByTestId("tf-1M").click();
      await expect.poll(() => page.getByTestId("chart").getAttribute("data-bars"), { timeout: 20_000 }).toBe("27");
    } finally {
      await stopServe(serve);
    }
  }, 240_000);

  it("raised no uncaught page error", () => {
    expect(errors).toEqual([]);
  });
});
