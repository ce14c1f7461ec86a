/**
 * The workstation frame: top bar, reconnect banner and the layout traders expect — watchlist on
 * the left, the chart in the middle taking most of the space, order book and trades on the
 * right; strategy editor, backtest results, paper trading and the assistant below. Splitters resize it.
 */
import { useEffect } from "react";
import { AlertsPanel } from "../alerts/AlertsPanel.tsx";
import { BookPanel } from "../book/BookPanel.tsx";
import { ChartPanel } from "../chart/ChartPanel.tsx";
import { EditorPanel } from "../editor/EditorPanel.tsx";
import { installFileDrop } from "../import/drop.ts";
import { installShortcuts } from "../lib/keyboard.ts";
import { ChatPanel } from "../panels/chat/ChatPanel.tsx";
import { ResultsArea } from "../screener/ResultsArea.tsx";
import { useLayout } from "../stores/layout.ts";
import { WatchlistPanel } from "../watchlist/WatchlistPanel.tsx";
import { Dialogs } from "./Dialogs.tsx";
import { useFirstStart } from "./first-start.ts";
import { useGlobalActions } from "./global-actions.ts";
import { ReconnectBanner } from "./ReconnectBanner.tsx";
import { Splitter } from "./Splitter.tsx";
import { TopBar } from "./TopBar.tsx";
import { TradingPanel } from "../trading/TradingPanel.tsx";
import { VenueStatusBar } from "../venues/VenueStatusBar.tsx";

/** The root component. */
export function App(): React.JSX.Element {
  const { watchlist, book, bottom, editorShare } = useLayout();
  useEffect(() => installShortcuts(), []);
  useEffect(() => installFileDrop(), []);
  useGlobalActions();
  useFirstStart();
  return (
    <div className="app">
      <TopBar />
      <ReconnectBanner />
      <main className="layout">
        <div className="layout-row layout-top">
          <WatchlistPanel style={{ width: watchlist }} />
          <Splitter size="watchlist" orientation="col" direction={1} label="Resize watchlist" />
          <ChartPanel />
          <Splitter size="book" orientation="col" direction={-1} label="Resize order book" />
          <BookPanel style={{ width: book }} />
        </div>
        <Splitter size="bottom" orientation="row" direction={-1} label="Resize bottom panels" />
        <div className="layout-row layout-bottom" style={{ height: bottom }}>
          <EditorPanel style={{ flex: `${editorShare} 1 0` }} />
          <Splitter size="editorShare" orientation="col" direction={1} label="Resize editor" />
          <ResultsArea style={{ flex: `${1 - editorShare} 1 0` }} />
          <div className="splitter-gap" />
          <AlertsPanel style={{ width: book }} />
          <div className="splitter-gap" />
          <TradingPanel style={{ flex: "0.8 1 0" }} />
          <div className="splitter-gap" />
          <ChatPanel style={{ width: book }} />
        </div>
      </main>
      <VenueStatusBar />
      <Dialogs />
    </div>
  );
}
