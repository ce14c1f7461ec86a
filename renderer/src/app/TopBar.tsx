/**
 * The top bar: app name, active symbol (opens search), the kill switch whenever anything trades
 * (a paper session runs, an order is open, or trading is halted / reduce-only), core status,
 * import, settings, shortcuts, new window, theme.
 */
import { openNewWindow } from "../bridge.ts";
import { pickFilesToImport } from "../import/drop.ts";
import { useChart } from "../stores/chart.ts";
import { useConnection } from "../stores/connection.ts";
import { useDialogs } from "../stores/dialogs.ts";
import { useTheme } from "../stores/theme.ts";
import { useTrading } from "../stores/trading.ts";
import { isTrading } from "../trading/activity.ts";
import { KillSwitch } from "../trading/TradingPanel.tsx";
import { LiveKillSwitch } from "../trading/LiveTab.tsx";
import { useLive } from "../stores/live.ts";

const STATUS_TEXT = {
  connecting: "connecting to core…",
  open: "core connected",
  reconnecting: "core disconnected",
  closed: "core closed",
} as const;

/** The top bar. */
export function TopBar(): React.JSX.Element {
  const state = useConnection((s) => s.state);
  const instrument = useChart((s) => s.instrument);
  const { theme, toggle } = useTheme();
  const show = useDialogs((s) => s.show);
  const trading = useTrading(isTrading);
  const liveAccounts = useLive((s) => s.accounts);
  return (
    <header className="topbar">
      <span className="brand">Workstation</span>
      <button type="button" className="symbol" title="Search a symbol (/ or Ctrl+K)" data-testid="symbol-button" onClick={() => show("search")}>
        {instrument ? `${instrument.symbol} · ${instrument.venue}` : "Open a symbol…"}
      </button>
      <span className="spacer" />
      {liveAccounts.map((a) => <LiveKillSwitch key={a.id} account={a.id} testPrefix="topbar-live-kill-switch" />)}
      {trading ? <KillSwitch testId="topbar-kill-switch" /> : null}
      <span className={`status status-${state}`} data-testid="core-status" role="status">
        <span className="dot" />
        {STATUS_TEXT[state]}
      </span>
      <button type="button" onClick={pickFilesToImport} title="Import CSV or Parquet files (or drop them on the window)" data-testid="import-button">Import…</button>
      <button type="button" onClick={() => show("settings")} title="Settings (Ctrl+,)" data-testid="settings-button">Settings</button>
      <button type="button" onClick={() => show("shortcuts")} title="Keyboard shortcuts (?)" aria-label="Keyboard shortcuts">?</button>
      <button type="button" onClick={() => openNewWindow()} title="Open in new window (Alt+N)" data-testid="new-window">New window</button>
      <button type="button" onClick={toggle} title="Switch theme (Alt+T)" data-testid="theme-toggle">
        {theme === "dark" ? "Light" : "Dark"}
      </button>
    </header>
  );
}
