/**
 * Equity and drawdown of a run (and of the compared run), as a small two-pane lightweight chart.
 * It opens on the whole run, however many bars (no minimum bar spacing holds it back), fitted
 * again when its size changes until the user scrolls or zooms; daily runs show dates only.
 */
import { useEffect, useRef } from "react";
import { AreaSeries, ColorType, LineSeries, createChart, type IChartApi, type UTCTimestamp } from "lightweight-charts";
import { themeColors } from "../lib/theme-colors.ts";
import type { RunResult } from "../stores/backtest.ts";
import { useTheme } from "../stores/theme.ts";
import { drawdown } from "./table.ts";
import { isDateOnly } from "../../../common/market/timeframes.ts";
import { paneStretch } from "../chart/pane-layout.ts";

function points(times: readonly number[], values: readonly number[]): Array<{ time: UTCTimestamp; value: number }> {
  const out: Array<{ time: UTCTimestamp; value: number }> = [];
  let prev = -1;
  for (let i = 0; i < times.length; i++) {
    const time = Math.floor(times[i]! / 1000);
    if (time <= prev || !Number.isFinite(values[i]!)) continue;
    prev = time;
    out.push({ time: time as UTCTimestamp, value: values[i]! });
  }
  return out;
}

function draw(chart: IChartApi, run: RunResult, compare: RunResult | null): void {
  const c = themeColors();
  chart.addSeries(LineSeries, { color: c.accent, lineWidth: 2, priceLineVisible: false, title: "equity" }, 0).setData(points(run.equityTime, run.equity));
  if (compare) chart.addSeries(LineSeries, { color: c.muted, lineWidth: 1, priceLineVisible: false, title: "compared" }, 0).setData(points(compare.equityTime, compare.equity));
  const dd = drawdown(run.equity).map((v) => v * 100);
  chart
    .addSeries(AreaSeries, { lineColor: c.down, topColor: `${c.down}10`, bottomColor: `${c.down}60`, invertFilledArea: true, priceLineVisible: false, title: "drawdown %" }, 1)
    .setData(points(run.equityTime, dd));
  // Both factors set: the first pane's default factor is 2, which left the drawdown pane ~15 %.
  const stretch = paneStretch(1);
  chart.panes()[0]?.setStretchFactor(stretch.price);
  chart.panes()[1]?.setStretchFactor(stretch.indicator);
  chart.timeScale().fitContent();
}

/** Marks on the element which times are visible, so a test can tell the whole run is shown. */
function markVisible(chart: IChartApi, el: HTMLElement): void {
  const range = chart.timeScale().getVisibleRange();
  el.dataset.visibleFrom = range ? String(Number(range.from) * 1000) : "";
  el.dataset.visibleTo = range ? String(Number(range.to) * 1000) : "";
}

/** The equity chart of a run. */
export function EquityChart({ run, compare }: { run: RunResult; compare: RunResult | null }): React.JSX.Element {
  const ref = useRef<HTMLDivElement | null>(null);
  const theme = useTheme((s) => s.theme);
  useEffect(() => {
    if (!ref.current) return;
    const c = themeColors();
    const chart = createChart(ref.current, {
      autoSize: true,
      layout: { background: { type: ColorType.Solid, color: c.panel }, textColor: c.text, attributionLogo: false },
      grid: { vertLines: { color: c.grid }, horzLines: { color: c.grid } },
      timeScale: { timeVisible: !isDateOnly(run.timeframe), minBarSpacing: 0.001 },
    });
    draw(chart, run, compare);
    const el = ref.current;
    let fitted = true;
    const refit = (): void => {
      if (fitted) chart.timeScale().fitContent();
      markVisible(chart, el);
    };
    const user = (): void => void (fitted = false);
    el.addEventListener("wheel", user, { passive: true });
    el.addEventListener("mousedown", user);
    const observer = new ResizeObserver(() => requestAnimationFrame(refit));
    observer.observe(el);
    requestAnimationFrame(refit);
    return () => {
      observer.disconnect();
      el.removeEventListener("wheel", user);
      el.removeEventListener("mousedown", user);
      chart.remove();
    };
  }, [run, compare, theme]);
  return <div className="equity-chart" ref={ref} data-testid="equity-chart" data-run-from={run.equityTime[0]} data-run-to={run.equityTime.at(-1)} />;
}
