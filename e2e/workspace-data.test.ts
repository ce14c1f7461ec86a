/**
 * The chart and workspace of issue #28 against data and settings prepared through core: search
 * by venue name, a venue that is not connected never listed as live; the watchlist's 24 h
 * change, volume and sparkline; the compare overlay; "Fit all" zooming out to ten years of daily
 * bars; and bad input restored as far as possible with a note, never a blank window — drawings on
 * a symbol with no data, a layout saved by a newer version naming a symbol that no longer exists.
 * No uncaught page errors.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Browser, Page } from "playwright-core";
import { DEFAULT_VENUES } from "../common/api/ui.ts";
import { launchBrowser, screenshot, startServe, stopServe, tempDataDir, type ServeProcess } from "./harness.ts";
import { connectApi, dailyCsv, importCsv, openSymbol } from "./ui-helpers.ts";

/** Ten years of daily bars: more than the chart's first page (2,000 bars). */
const DAYS = 3650;
const NODATA = { venue: "local", symbol: "NODATA" };

let browser: Browser;
let page: Page;
let serve: ServeProcess;
const errors: string[] = [];

/** Settings with a venue switched on that core serves no feed for, drawings on a symbol without bars, a layout from a newer version. */
async function prepare(): Promise<void> {
  const client = await connectApi(serve);
  try {
    await client.call("ui.settings.set", { venues: [...DEFAULT_VENUES, { id: "kraken", enabled: true, symbols: ["XBT/USD", "ETH/USD"] }] });
    await client.call("ui.watchlist.set", { items: [{ venue: "simulated", symbol: "BTC/USD" }] });
    const hline = { time: Date.UTC(2024, 0, 2), price: 100 };
    await client.call("ui.drawings.set", { ...NODATA, drawings: [{ id: "kept", kind: "hline", a: hline, b: hline }] });
    const gone = { venue: "local", symbol: "DELISTED" };
    const layout = {
      version: 99,
      chart: { instrument: gone, timeframe: "1m", scale: "log", indicators: [{ id: 1, kind: "sma", period: 20 }], panels: ["from the future"] },
      grid: { count: 4, linkSymbol: false, linkTimeframe: true, cells: [null, { instrument: gone, timeframe: "1m" }, null, null], tabs: 3 },
    };
    await client.call("ui.layouts.save", { name: "from v99", layout });
  } finally {
    client.close();
  }
}

beforeAll(async () => {
  const dataDir = tempDataDir("ws-workspace-data-e2e-");
  importCsv(dataDir, "long.csv", dailyCsv(DAYS), "LONG", "local");
  serve = await startServe(dataDir);
  await prepare();
  browser = await launchBrowser();
  page = await (await browser.newContext({ viewport: { width: 1600, height: 960 } })).newPage();
  page.on("pageerror", (err) => errors.push(err.message));
  await page.goto(serve.url);
  await page.getByTestId("core-status").filter({ hasText: "core connected" }).waitFor();
}, 120_000);

afterAll(async () => {
  await browser?.close();
  if (serve) await stopServe(serve);
});

const chart = (): ReturnType<Page["getByTestId"]> => page.getByTestId("chart");
const hits = (symbol: string, venue: string): ReturnType<Page["locator"]> => page.locator(`[data-testid="search-hit"][data-symbol="${symbol}"]`).filter({ hasText: venue });

describe("chart workspace with prepared data", () => {
  it("matches venue names in search and never lists a venue core is not connected to as live", async () => {
    await page.locator("body").press("/");
    await page.getByTestId("search-input").fill("kraken");
    await hits("XBT/USD", "kraken").getByTestId("search-source").filter({ hasText: "not connected — enable in Settings" }).waitFor();
    expect(await hits("ETH/USD", "kraken").getByTestId("search-source").textContent()).toBe("not connected — enable in Settings");
    expect(await page.getByTestId("search-hit").filter({ hasText: "simulated" }).count()).toBe(0);
    await screenshot(page, "workspace-data-1-search");
    await page.getByTestId("search-input").fill("sim eth");
    await hits("ETH/USD", "simulated").getByTestId("search-source").filter({ hasText: "live" }).waitFor();
    expect(await page.getByTestId("search-hit").filter({ hasText: "kraken" }).count()).toBe(0);
    await page.locator("body").press("Escape");
  });

  it("shows the watchlist's 24 h change, 24 h volume and a sparkline", async () => {
    const row = page.locator('[data-testid="watchlist-row"][data-symbol="BTC/USD"]');
    await row.locator(".watch-change").filter({ hasText: /^[+-]?\d+\.\d\d ?%$/ }).waitFor({ timeout: 30_000 });
    await expect.poll(() => row.getByTestId("watch-volume").textContent(), { timeout: 30_000 }).toMatch(/^\d/);
    const painted = await row.locator("canvas").evaluate((c: HTMLCanvasElement) => {
      const data = c.getContext("2d")!.getImageData(0, 0, c.width, c.height).data;
      return data.some((v, i) => i % 4 === 3 && v > 0);
    });
    expect(painted).toBe(true);
  });

  it("overlays a second symbol on the percent scale and removes it", async () => {
    await openSymbol(page, "BTC/USD", "simulated", "BTC/USD");
    await page.locator('[data-testid="chart"][data-status="ready"]').waitFor({ timeout: 30_000 });
    await page.getByTestId("compare-input").fill("ETH/USD");
    await page.getByTestId("compare-input").press("Enter");
    await page.getByTestId("compare-remove").filter({ hasText: "vs ETH/USD" }).waitFor();
    expect(await chart().getAttribute("data-compare")).toBe("ETH/USD");
    expect(await chart().getAttribute("data-scale")).toBe("percent");
    await page.waitForFunction(() => Number(document.querySelector('[data-testid="chart"]')?.getAttribute("data-compare-bars")) > 0);
    expect(await page.getByTestId("chart-note").count()).toBe(0);
    await screenshot(page, "workspace-data-2-compare");
    await page.getByTestId("compare-remove").click();
    expect(await chart().getAttribute("data-compare")).toBe("");
    expect(await chart().getAttribute("data-compare-bars")).toBe("0");
  });

  it("zooms out to the whole history: ten years of daily bars", async () => {
    await openSymbol(page, "LONG", "local", "LONG");
    await page.locator('[data-testid="chart"][data-status="ready"]').waitFor({ timeout: 30_000 });
    await page.locator('[data-testid="tf-1d"][aria-pressed="true"]').waitFor();
    expect(Number(await chart().getAttribute("data-bars"))).toBeLessThan(DAYS);
    await page.getByTestId("fit-all").click();
    await page.locator(`[data-testid="chart"][data-bars="${DAYS}"]`).waitFor({ timeout: 30_000 });
    expect(await page.getByTestId("chart-note").count()).toBe(0);
    await screenshot(page, "workspace-data-3-fit-all");
  });

  it("keeps the drawings of a symbol with no data, saying so, on a chart that is not blank", async () => {
    await page.evaluate((i) => localStorage.setItem("workstation.chart", JSON.stringify({ instrument: i, timeframe: "1m" })), NODATA);
    await page.reload();
    await page.getByTestId("core-status").filter({ hasText: "core connected" }).waitFor();
    await page.locator('[data-testid="chart"][data-status="empty"][data-drawings="1"]').waitFor({ timeout: 30_000 });
    await page.getByTestId("chart-empty").filter({ hasText: "No data for this symbol yet" }).waitFor();
    await page.getByTestId("chart-note").filter({ hasText: "1 drawing kept: shown once the symbol has bars" }).waitFor();
    await screenshot(page, "workspace-data-4-no-data");
  });

  it("restores a layout from a newer version naming a symbol that no longer exists as far as it can, with notes", async () => {
    await openSymbol(page, "BTC/USD", "simulated", "BTC/USD");
    await page.getByTestId("layout-restore").selectOption("from v99");
    const notes = page.getByTestId("layout-notes");
    await notes.filter({ hasText: "Saved by a newer version (layout v99)" }).waitFor();
    expect(await notes.textContent()).toContain("DELISTED on local no longer exists: the chart keeps its symbol.");
    expect(await notes.textContent()).toContain("its grid chart follows the main chart's symbol");
    expect(await page.getByTestId("chart-grid").getAttribute("data-count")).toBe("4");
    await page.locator('[data-testid="chart"][data-status="ready"]').waitFor({ timeout: 30_000 });
    expect(await page.getByTestId("symbol-button").textContent()).toContain("BTC/USD");
    expect(await chart().getAttribute("data-scale")).toBe("log");
    await page.locator('[data-testid="chart-1"][data-symbol="BTC/USD"][data-status="ready"][data-indicators="1"]').waitFor({ timeout: 30_000 });
    await screenshot(page, "workspace-data-5-future-layout");
  });

  it("raised no uncaught page error", () => {
    expect(errors).toEqual([]);
  });
});
