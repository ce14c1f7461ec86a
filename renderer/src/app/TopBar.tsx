/** The top bar: app name, active symbol, core connection status, theme and new-window buttons. */
import { openNewWindow } from "../bridge.ts";
import { useConnection } from "../stores/connection.ts";
import { useTheme } from "../stores/theme.ts";

const STATUS_TEXT = {
  connecting: "connecting to core…",
  open: "core connected",
  reconnecting: "core disconnected",
  closed: "core closed",
} as const;

/** The top bar. */
export function TopBar(): React.JSX.Element {
  const state = useConnection((s) => s.state);
  const { theme, toggle } = useTheme();
  return (
    <header className="topbar">
      <span className="brand">Workstation</span>
      <span className="symbol" title="Active symbol">BTC/USD</span>
      <span className="spacer" />
      <span className={`status status-${state}`} data-testid="core-status" role="status">
        <span className="dot" />
        {STATUS_TEXT[state]}
      </span>
      <button type="button" onClick={openNewWindow} title="Open in new window">New window</button>
      <button type="button" onClick={toggle} title="Switch theme" data-testid="theme-toggle">
        {theme === "dark" ? "Light" : "Dark"}
      </button>
    </header>
  );
}
