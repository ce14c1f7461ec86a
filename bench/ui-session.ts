/**
 * The setup `bench:ui` and its profiler share: a temp data dir (optionally holding `bars`, a CSV of
 * stored BIG/USD bars imported as a local source), core serving it with the simulated venue at
 * `rate` msgs/s, and a 1600×960 Chromium page on the workstation, connected to core.
 */
import fs from "node:fs";
import path from "node:path";
import type { Browser, Page } from "playwright-core";
import { launchBrowser, startServe, stopServe, tempDataDir, type ServeProcess } from "../e2e/harness.ts";
import { importCsv } from "../e2e/ui-helpers.ts";

/** A running core and a browser page on it; `close()` stops both. */
export interface BenchSession {
  serve: ServeProcess;
  browser: Browser;
  page: Page;
  close(): Promise<void>;
}

/**
 * Starts core on a fresh data dir (importing `barsCsv` as BIG/USD when given) and opens the UI in
 * Chromium; `root` is the checkout whose core and built renderer serve it (this one by default).
 */
export async function openBenchSession(prefix: string, rate: number, barsCsv: string | null, root?: string): Promise<BenchSession> {
  const dataDir = tempDataDir(prefix);
  if (barsCsv !== null) {
    importCsv(dataDir, "big.csv", barsCsv, "BIG/USD", "local");
    fs.rmSync(path.join(dataDir, "big.csv"));
  }
  const serve = await startServe(dataDir, { root, env: { WORKSTATION_FEEDS: JSON.stringify({ simulated: true, simulatedRate: rate }) } });
  const browser = await launchBrowser();
  const close = async (): Promise<void> => {
    await browser.close();
    await stopServe(serve);
  };
  try {
    const page = await browser.newPage({ viewport: { width: 1600, height: 960 } });
    await page.goto(serve.url);
    await page.getByTestId("core-status").filter({ hasText: "core connected" }).waitFor();
    return { serve, browser, page, close };
  } catch (err) {
    await close();
    throw err;
  }
}

/** One horizontal wheel step (~2,400 px towards the past) over the page's pointer, then waits for a frame. */
export async function wheelBack(page: Page): Promise<void> {
  await page.mouse.wheel(-3000, 0);
  await page.evaluate(() => new Promise((r) => requestAnimationFrame(r)));
}
