/**
 * The Screener panel (issue #25) in browser mode on a synthetic universe: a column screen run from
 * the panel, a row click opening that symbol on the chart, the store's schema beside the SQL
 * editor, a strategy screen whose progress bar shows and whose Cancel stops it (the same workers
 * then run the next screen, which ranks by its metric and shows an error row), a live column
 * screen watched until Stop, the screen saved as an alert rule core runs, and the universe's
 * sweep/walk-forward command lines; no page errors.
 */
import { execFileSync } from "node:child_process";
import path from "node:path";
import fs from "node:fs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Browser, Locator, Page } from "playwright-core";
import { connectApi } from "../core/cli/core-client.ts";
import { ROOT, launchBrowser, screenshot, startServe, stopServe, tempDataDir, type ServeProcess } from "./harness.ts";

/** A strategy that burns CPU on every bar, so a screen of it runs long enough to cancel. */
const SLOW = `import { defineStrategy } from "workstation";
export default defineStrategy({
  params: {},
  setup: () => ({ x: 0 }),
  onBar(_bar, _ctx, s) {
    for (let i = 0; i < 3_000_000; i++) s.x = (s.x + i) % 1_000_003;
  },
});
`;

let browser: Browser;
let page: Page;
let serve: ServeProcess;
let dataDir = "";
const errors: string[] = [];

beforeAll(async () => {
  dataDir = tempDataDir("ws-screener-e2e-");
  execFileSync(path.join(ROOT, "bin", "workstation"), ["universe", "synth", "--symbols", "8", "--bars", "300", "--seed", "2", "--data-dir", dataDir], { cwd: ROOT, stdio: ["ignore", "ignore", "inherit"] });
  serve = await startServe(dataDir);
  const api = await connectApi(serve.port, serve.token);
  try {
    await api.call("ui.strategies.save", { name: "Slow", source: SLOW });
    await api.call("ui.strategies.save", { name: "Crossover", source: fs.readFileSync(path.join(ROOT, "resources/templates/sma-crossover.ts"), "utf8") });
  } finally {
    api.close();
  }
  browser = await launchBrowser();
  page = await (await browser.newContext({ viewport: { width: 1600, height: 960 } })).newPage();
  page.on("pageerror", (err) => errors.push(err.message));
  await page.goto(serve.url);
  await page.getByTestId("core-status").filter({ hasText: "core connected" }).waitFor();
  await page.getByTestId("area-tab-screener").click();
}, 120_000);

afterAll(async () => {
  await browser?.close();
  if (serve) await stopServe(serve);
  if (dataDir) fs.rmSync(dataDir, { recursive: true, force: true });
});

const panel = (): Locator => page.getByTestId("panel-screener");
const rows = (): Locator => panel().getByTestId("screener-row");

describe("screener panel", () => {
  it("runs a column screen over a saved universe", async () => {
    await panel().getByLabel("Universe").fill("synthetic");
    await panel().getByLabel("Columns").fill("last,change_pct_10,rsi_14");
    await panel().getByLabel("Sort").fill("change_pct_10:desc");
    await panel().getByRole("button", { name: "Run" }).click();
    await panel().getByTestId("screener-table").waitFor();
    expect(await rows().count()).toBe(8);
    const header = await panel().getByTestId("screener-table").locator("th").allTextContents();
    expect(header).toEqual(expect.arrayContaining(["last", "change_pct_10", "rsi_14"]));
    await screenshot(page, "screener-1-columns");
  });

  it("opens a row's symbol on the chart", async () => {
    const symbol = (await rows().nth(2).getAttribute("data-symbol"))!;
    await rows().nth(2).click();
    await page.waitForFunction((s) => document.querySelector('[data-testid="chart-legend"] strong')?.textContent?.startsWith(`${s} ·`) ?? false, symbol, { timeout: 30_000 });
  });

  it("shows the store's schema beside the SQL editor", async () => {
    await panel().getByLabel("Screen kind").selectOption("sql");
    const schema = panel().getByTestId("screener-schema");
    await schema.locator("b", { hasText: "bars" }).waitFor();
    const text = (await schema.textContent()) ?? "";
    for (const part of ["tf_ms", "BIGINT", "close", "DOUBLE", "universe", "view", "$timeframe", "$from", "$to"]) expect(text).toContain(part);
    await panel().getByLabel("Sort").fill("");
    await panel().getByRole("button", { name: "Run" }).click();
    await panel().locator("th", { hasText: "bars" }).waitFor();
    expect(await rows().count()).toBe(8);
    await screenshot(page, "screener-2-sql");
  });

  it("shows a strategy screen's progress and stops it on Cancel", async () => {
    await panel().getByLabel("Screen kind").selectOption("strategy");
    await panel().getByLabel("Strategy").selectOption({ label: "Slow" });
    await panel().getByRole("button", { name: "Run" }).click();
    const progress = panel().getByTestId("screener-progress");
    await progress.waitFor({ timeout: 60_000 });
    expect(Number(await progress.getAttribute("max"))).toBe(8);
    await screenshot(page, "screener-3-progress");
    await panel().getByRole("button", { name: "Cancel" }).click();
    await panel().getByRole("button", { name: "Run" }).waitFor();
    expect(await progress.count()).toBe(0);
    expect(await panel().getByRole("alert").count()).toBe(0);
  }, 90_000);

  it("ranks a saved strategy's backtests by the chosen metric, with an error row", async () => {
    await panel().getByLabel("Universe").fill("synthetic:SYN0001/USD,synthetic:SYN0002/USD,synthetic:SYN0003/USD,synthetic:NOPE");
    await panel().getByLabel("Strategy").selectOption({ label: "Crossover" });
    await panel().getByLabel("Metric").selectOption("sharpe");
    await panel().getByRole("button", { name: "Run" }).click();
    await panel().locator("th", { hasText: /^sharpe$/ }).waitFor({ timeout: 60_000 });
    expect(await rows().count()).toBe(4);
    await expect.poll(() => rows().last().getAttribute("data-symbol")).toBe("NOPE");
    expect(await rows().last().getAttribute("class")).toContain("error-row");
    await screenshot(page, "screener-4-strategy");
  }, 90_000);

  it("watches a column screen live until Stop", async () => {
    await panel().getByLabel("Screen kind").selectOption("columns");
    await panel().getByLabel("Universe").fill("synthetic");
    await panel().getByLabel("Sort").fill("");
    await panel().getByLabel("Live").check();
    await panel().getByLabel("Alert top N").fill("3");
    await panel().getByRole("button", { name: "Watch" }).click();
    await panel().getByTestId("screener-live").waitFor({ timeout: 30_000 });
    await expect.poll(() => rows().count()).toBe(8);
    await screenshot(page, "screener-5-live");
    await panel().getByRole("button", { name: "Stop" }).click();
    await panel().getByRole("button", { name: "Watch" }).waitFor();
  });

  it("saves the screen as an alert rule that core runs, and tells how to sweep the universe", async () => {
    await panel().getByLabel("Alert top N").fill("3");
    await panel().getByRole("button", { name: "Alert when a symbol enters the top 3" }).click();
    await expect.poll(() => panel().getByTestId("screener-notice").textContent()).toMatch(/alert screen-synthetic-1h-top3 saved/);
    const api = await connectApi(serve.port, serve.token);
    const rules = await api.call("alerts.list", {}).finally(() => api.close());
    expect(rules.map((r) => r.rule)).toContainEqual(expect.objectContaining({ id: "screen-synthetic-1h-top3", venue: "screener", symbol: "synthetic", condition: expect.objectContaining({ type: "screen", top: 3 }) }));
    await panel().getByRole("button", { name: "Sweep / walk-forward this universe…" }).click();
    await expect.poll(() => panel().getByTestId("screener-notice").textContent()).toContain("workstation sweep STRATEGY.ts --grid JSON --universe synthetic --timeframe 1h");
  });

  it("raised no page errors", () => {
    expect(errors).toEqual([]);
  });
});
