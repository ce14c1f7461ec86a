/**
 * The setup of `bench:ui`'s four-chart row (issue #28): each symbol gets one drawing of every kind
 * (trend line, horizontal line, rectangle, Fibonacci retracement) through core, anchored on its
 * own recent bars; then the page shows the 2×2 grid, unlinked, the further charts on the other
 * symbols, with an SMA and an RSI on every chart.
 */
import type { Page } from "playwright-core";
import type { ApiClient } from "../common/api/client.ts";
import type { ChartDrawing } from "../common/api/ui-chart.ts";
import { connectApi, openSymbol } from "../e2e/ui-helpers.ts";
import type { BenchSession } from "./ui-session.ts";

/** One drawing of each kind over `bars` (times ascending, at least two). */
function drawingsOver(time: number[], close: number[]): ChartDrawing[] {
  const n = time.length, a = { time: time[Math.floor(n / 4)]!, price: close[Math.floor(n / 4)]! }, b = { time: time[n - 1]!, price: close[n - 1]! };
  const hi = { ...b, price: b.price * 1.01 }, lo = { ...a, price: a.price * 0.99 };
  return [
    { id: "bench-trend", kind: "trend", a, b },
    { id: "bench-hline", kind: "hline", a: hi, b: hi },
    { id: "bench-rect", kind: "rect", a: lo, b: hi },
    { id: "bench-fib", kind: "fib", a, b: hi },
  ];
}

/** Saves four drawings on each symbol of `venue` (on its newest 1-minute bars); returns how many were saved. */
export async function seedDrawings(client: ApiClient, venue: string, symbols: readonly string[]): Promise<number> {
  let saved = 0;
  for (const symbol of symbols) {
    const page = await client.call("store.candles", { symbol, venue, timeframe: "1m", limit: 60 });
    if (page.time.length < 2) throw new Error(`${symbol} on ${venue} has fewer than two bars to draw on`);
    saved += (await client.call("ui.drawings.set", { venue, symbol, drawings: drawingsOver(page.time, page.close) })).length;
  }
  return saved;
}

/** Shows the 2×2 grid, unlinked, charts 1..3 on `others` (watchlist symbols of `venue`), with an SMA and an RSI; waits for every chart's bars and drawings. */
export async function openFourCharts(page: Page, venue: string, others: readonly string[]): Promise<void> {
  for (const kind of ["sma", "rsi"]) await page.getByTestId("add-indicator").selectOption(kind);
  await page.getByTestId("grid-4").click();
  await page.getByTestId("link-symbol").uncheck();
  for (let i = 1; i <= 3; i++) {
    await page.getByTestId(`cell-${i}-symbol`).selectOption(`${venue}\u0000${others[i - 1]}`);
    await page.locator(`[data-testid="chart-${i}"][data-status="ready"][data-drawings="4"][data-indicators="2"]`).waitFor({ timeout: 60_000 });
  }
  await page.locator('[data-testid="chart"][data-status="ready"][data-drawings="4"]').waitFor({ timeout: 60_000 });
}

/** The bench's three simulated symbols: the watchlist, and the charts of the grid. */
export const FOUR_CHART_SYMBOLS = ["BTC/USD", "ETH/USD", "SOL/USD"] as const;

/** From a fresh session: the watchlist, BTC/USD open, the drawings seeded, then the four-chart grid. */
export async function openBenchFourCharts({ serve, page }: Pick<BenchSession, "serve" | "page">): Promise<void> {
  const client = await connectApi(serve);
  try {
    await client.call("ui.watchlist.set", { items: FOUR_CHART_SYMBOLS.map((symbol) => ({ venue: "simulated", symbol })) });
    await openSymbol(page, "BTC/USD", "simulated", "BTC/USD");
    await page.locator('[data-testid="chart"][data-status="ready"]').waitFor({ timeout: 60_000 });
    await seedDrawings(client, "simulated", FOUR_CHART_SYMBOLS);
    await openFourCharts(page, "simulated", ["ETH/USD", "SOL/USD", "BTC/USD"]);
  } finally {
    client.close();
  }
}

/** Back to one chart without the indicators the setup added. */
export async function closeFourCharts(page: Page): Promise<void> {
  await page.getByTestId("grid-1").click();
  for (const kind of ["sma", "rsi"]) {
    await page.getByTestId(`indicator-${kind}`).locator("summary").click();
    await page.getByTestId(`indicator-${kind}`).getByRole("button", { name: "Remove" }).click();
  }
}
