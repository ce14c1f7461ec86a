/**
 * The workstation frame: top bar, reconnect banner and the layout traders expect — watchlist on
 * the left, the chart in the middle taking most of the space, order book and trades on the
 * right; below, the strategy editor, one tabbed area (backtest results, screener, alerts, paper
 * trading) and the assistant.
 * Splitters resize it. The editor can be maximised over the rest; a window opened with
 * `?view=editor` shows only the editor and the results (a detached editor), one with
 * `?view=chart` only the charts.
 */
import { useEffect } from "react";
import { BookPanel } from "../book/BookPanel.tsx";
import { ChartGrid } from "../chart/ChartGrid.tsx";
import { EditorPanel } from "../editor/EditorPanel.tsx";
import { useEditorView } from "../editor/view.ts";
import { installFileDrop } from "../import/drop.ts";
import { installShortcuts } from "../lib/keyboard.ts";
import { ChatPanel } from "../panels/chat/ChatPanel.tsx";
import { ResultsPanel } from "../results/ResultsPanel.tsx";
import { ResultsArea } from "../screener/ResultsArea.tsx";
import { useLayout } from "../stores/layout.ts";
import { WatchlistPanel } from "../watchlist/WatchlistPanel.tsx";
import { Dialogs } from "./Dialogs.tsx";
import { useFirstStart } from "./first-start.ts";
import { useGlobalActions } from "./global-actions.ts";
import { ReconnectBanner } from "./ReconnectBanner.tsx";
import { Splitter } from "./Splitter.tsx";
import { TopBar } from "./TopBar.tsx";
import { VenueStatusBar } from "../venues/VenueStatusBar.tsx";
import { windowView } from "./view.ts";

/** A detached editor: the editor and the results, side by side, filling the window. */
function EditorWindow(): React.JSX.Element {
  const { editorShare } = useLayout();
  return (
    <main className="layout">
      <div className="layout-row layout-top">
        <EditorPanel style={{ flex: `${editorShare} 1 0` }} detached />
        <Splitter size="editorShare" orientation="col" direction={1} label="Resize editor" />
        <ResultsPanel style={{ flex: `${1 - editorShare} 1 0` }} />
      </div>
    </main>
  );
}

/** A chart window ("New window"): the chart grid alone. */
function ChartWindow(): React.JSX.Element {
  return (
    <main className="layout">
      <div className="layout-row layout-top">
        <ChartGrid />
      </div>
    </main>
  );
}

/** The whole workstation; with the editor maximised its row covers the top one. */
function Workstation(): React.JSX.Element {
  const { watchlist, book, bottom, editorShare } = useLayout();
  const maximised = useEditorView((s) => s.maximised);
  return (
    <main className={maximised ? "layout editor-max" : "layout"}>
      <div className="layout-row layout-top">
        <WatchlistPanel style={{ width: watchlist }} />
        <Splitter size="watchlist" orientation="col" direction={1} label="Resize watchlist" />
        <ChartGrid />
        <Splitter size="book" orientation="col" direction={-1} label="Resize order book" />
        <BookPanel style={{ width: book }} />
      </div>
      <Splitter size="bottom" orientation="row" direction={-1} label="Resize bottom panels" />
      <div className="layout-row layout-bottom" style={{ height: bottom }}>
        <EditorPanel style={{ flex: `${editorShare} 1 0` }} />
        <Splitter size="editorShare" orientation="col" direction={1} label="Resize editor" />
        <ResultsArea style={{ flex: `${1 - editorShare} 1 0` }} />
        <div className="splitter-gap" />
        <ChatPanel style={{ width: book }} />
      </div>
    </main>
  );
}

/** The root component. */
export function App(): React.JSX.Element {
  const view = windowView(window.location.search);
  useEffect(() => installShortcuts(), []);
  useEffect(() => installFileDrop(), []);
  useGlobalActions();
  useFirstStart();
  return (
    <div className="app">
      <TopBar />
      <ReconnectBanner />
      {view === "editor" ? <EditorWindow /> : view === "chart" ? <ChartWindow /> : <Workstation />}
      <VenueStatusBar />
      <Dialogs />
    </div>
  );
}
