/** The workstation frame: top bar, reconnect banner and the panel layout a trader expects. */
import { Panel } from "../panels/Placeholder.tsx";
import { ReconnectBanner } from "./ReconnectBanner.tsx";
import { TopBar } from "./TopBar.tsx";

/** The root component. */
export function App(): React.JSX.Element {
  return (
    <div className="app">
      <TopBar />
      <ReconnectBanner />
      <main className="layout">
        <Panel title="Watchlist" area="watchlist">
          <p className="empty">Symbols with last price, 24h change and sparklines will be listed here.</p>
        </Panel>
        <Panel title="Chart" area="chart">
          <p className="empty">Candles with volume, indicators and backtest markers will be drawn here.</p>
        </Panel>
        <Panel title="Order book · Trades" area="book">
          <p className="empty">The top 20 levels, the spread and the live trade tape will stream here.</p>
        </Panel>
        <Panel title="Strategy editor" area="editor">
          <p className="empty">Write TypeScript strategies with completion and type checking here.</p>
        </Panel>
        <Panel title="Results" area="results">
          <p className="empty">Backtest metrics, equity curve and trades will appear here.</p>
        </Panel>
        <Panel title="Assistant" area="chat">
          <p className="empty">Ask the AI assistant to write and test a strategy here.</p>
        </Panel>
      </main>
    </div>
  );
}
