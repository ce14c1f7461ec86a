/**
 * How the chart's height is shared between the price pane and the indicator panes below it: each
 * indicator pane gets a quarter of the panes' height, and together they never take more than half
 * (the price pane keeps at least half; more panes share that half equally).
 *
 * The shares are set as every pane's stretch factor, the price pane's included: lightweight-charts
 * sizes panes in proportion to their factors, and gives the chart's first pane a factor of 2
 * (others 1), so an indicator pane's factor alone gave it 0.35 / 2.35 ≈ 15 % of the height (about
 * 22 px in a chart of the 4-chart grid with RSI and MACD).
 */

/** An indicator pane's share of the panes' height (the chart less its time axis). */
export const INDICATOR_PANE_SHARE = 0.25;
/** The least share of the panes' height the price pane keeps, however many indicator panes there are. */
export const PRICE_PANE_MIN_SHARE = 0.5;

/** Stretch factors of the price pane and of each indicator pane: their shares of the height (summing to 1). */
export interface PaneStretch {
  price: number;
  indicator: number;
}

/** The stretch factors for a chart with `indicatorPanes` indicator panes below the price pane. */
export function paneStretch(indicatorPanes: number): PaneStretch {
  if (indicatorPanes <= 0) return { price: 1, indicator: 0 };
  const indicator = Math.min(INDICATOR_PANE_SHARE, (1 - PRICE_PANE_MIN_SHARE) / indicatorPanes);
  return { price: 1 - indicator * indicatorPanes, indicator };
}
