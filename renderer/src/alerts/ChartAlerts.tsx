/**
 * Alerts on the chart: a dashed line at each active price or channel alert of the shown instrument,
 * and a right-click menu on the price pane offering "Alert when crossing <price>", which adds a
 * crossing rule on the chart's instrument and timeframe (fired on closed bars).
 */
import { useEffect, useMemo, useState } from "react";
import type { ChartController } from "../chart/controller.ts";
import { formatPrice } from "../lib/format.ts";
import { askNotificationPermission, useAlerts } from "../stores/alerts.ts";
import { useChart } from "../stores/chart.ts";
import { alertLines, crossingRule, levelAt } from "./alert-rules.ts";

interface Menu {
  x: number;
  y: number;
  level: string;
}

/** The chart's alert lines and right-click menu; `host` is the element the chart draws in. */
export function ChartAlerts({ ctrl, host }: { ctrl: ChartController | null; host: HTMLElement | null }): React.JSX.Element | null {
  const { instrument, timeframe } = useChart();
  const rules = useAlerts((s) => s.rules);
  const [menu, setMenu] = useState<Menu | null>(null);
  const lines = useMemo(() => alertLines(rules, instrument), [rules, instrument]);
  useEffect(() => ctrl?.setAlertLines(lines), [ctrl, lines]);
  useEffect(() => {
    if (!ctrl || !host || !instrument) return;
    const onContext = (e: MouseEvent): void => {
      const box = host.getBoundingClientRect();
      const price = ctrl.priceAt(e.clientY - box.top);
      if (price === null) return;
      e.preventDefault();
      setMenu({ x: e.clientX - box.left, y: e.clientY - box.top, level: levelAt(price, ctrl.decimals) });
    };
    host.addEventListener("contextmenu", onContext);
    return () => host.removeEventListener("contextmenu", onContext);
  }, [ctrl, host, instrument]);
  useEffect(() => {
    if (!menu) return;
    const close = (e: KeyboardEvent | PointerEvent): void => {
      if (e instanceof KeyboardEvent && e.key !== "Escape") return;
      if (e instanceof PointerEvent && (e.target as HTMLElement | null)?.closest(".chart-alert-menu")) return;
      setMenu(null);
    };
    window.addEventListener("keydown", close);
    window.addEventListener("pointerdown", close);
    return () => {
      window.removeEventListener("keydown", close);
      window.removeEventListener("pointerdown", close);
    };
  }, [menu]);
  if (!menu || !instrument) return null;
  const add = (): void => {
    askNotificationPermission();
    void useAlerts.getState().add(crossingRule(instrument, timeframe, menu.level));
    setMenu(null);
  };
  return (
    <div className="chart-alert-menu" role="menu" style={{ left: menu.x, top: menu.y }} data-testid="chart-alert-menu">
      <button type="button" role="menuitem" onClick={add}>
        Alert when crossing {formatPrice(Number(menu.level), ctrl?.decimals)}
      </button>
    </div>
  );
}
