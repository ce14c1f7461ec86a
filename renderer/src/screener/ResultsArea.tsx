/**
 * The bottom row's tabbed area: backtest results, the Screener, Alerts and paper Trading, one at a
 * time. A backtest or sweep that starts brings the results back, a click on a book level the
 * Trading tab (its order ticket); a new alert fire or a new fill
 * while its tab is hidden puts a dot on that tab until it is shown.
 */
import { useEffect, useState } from "react";
import { AlertsPanel } from "../alerts/AlertsPanel.tsx";
import { ResultsPanel } from "../results/ResultsPanel.tsx";
import { useAlerts } from "../stores/alerts.ts";
import { useBacktest } from "../stores/backtest.ts";
import { useScreener, type ScreenerState } from "../stores/screener.ts";
import { useTrading } from "../stores/trading.ts";
import { TradingPanel } from "../trading/TradingPanel.tsx";
import { ScreenerPanel } from "./ScreenerPanel.tsx";

type AreaTab = ScreenerState["view"];
const TABS: [AreaTab, string][] = [
  ["results", "Results"],
  ["screener", "Screener"],
  ["alerts", "Alerts"],
  ["trading", "Trading"],
];

/** Which hidden tabs got news: a new newest alert fire (alerts) or fill (trading). */
function useBadges(view: AreaTab): Set<AreaTab> {
  const [badges, setBadges] = useState<Set<AreaTab>>(new Set());
  useEffect(() => {
    const mark = (tab: AreaTab) => {
      if (useScreener.getState().view !== tab) setBadges((b) => new Set(b).add(tab));
    };
    const offAlerts = useAlerts.subscribe((s, prev) => {
      if (s.log[0] && s.log[0].key !== prev.log[0]?.key) mark("alerts");
    });
    const offTrading = useTrading.subscribe((s, prev) => {
      if (s.fills[0] && s.fills[0].id !== prev.fills[0]?.id) mark("trading");
    });
    return () => {
      offAlerts();
      offTrading();
    };
  }, []);
  useEffect(() => {
    setBadges((b) => (b.has(view) ? new Set([...b].filter((t) => t !== view)) : b));
  }, [view]);
  return badges;
}

function AreaBody({ view }: { view: AreaTab }): React.JSX.Element {
  const style = { flex: "1 1 0" };
  if (view === "screener") return <ScreenerPanel style={style} />;
  if (view === "alerts") return <AlertsPanel style={style} />;
  if (view === "trading") return <TradingPanel style={style} />;
  return <ResultsPanel style={style} />;
}

/** Results, Screener, Alerts or Trading, with the tabs that switch them. */
export function ResultsArea({ style }: { style?: React.CSSProperties }): React.JSX.Element {
  const view = useScreener((s) => s.view);
  const badges = useBadges(view);
  useEffect(() => {
    const offRuns = useBacktest.subscribe((s, prev) => {
      if (s.run.kind === "running" && prev.run.kind !== "running") useScreener.getState().show("results");
    });
    const offTicket = useTrading.subscribe((s, prev) => {
      if (s.ticketDraft && s.ticketDraft.seq !== prev.ticketDraft?.seq) useScreener.getState().show("trading");
    });
    return () => {
      offRuns();
      offTicket();
    };
  }, []);
  return (
    <div className="results-area" style={style}>
      <div role="tablist" className="area-tabs">
        {TABS.map(([id, label]) => (
          <button
            key={id}
            type="button"
            role="tab"
            data-testid={`area-tab-${id}`}
            aria-selected={view === id}
            className={view === id ? "active" : undefined}
            onClick={() => useScreener.getState().show(id)}
          >
            {label}
            {badges.has(id) ? <span className="tab-badge" data-testid={`area-badge-${id}`} aria-label="new" /> : null}
          </button>
        ))}
      </div>
      <AreaBody view={view} />
    </div>
  );
}
