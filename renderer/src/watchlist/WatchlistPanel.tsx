/**
 * The watchlist: symbols with last price, 24 h change, 24 h volume and a sparkline. Click opens a symbol on
 * the chart; drag (or Alt+↑/↓ on a focused row) reorders; × removes; "+" adds via search and
 * Alt+W adds the chart's symbol. The list is saved in core (SQLite) and shared by all windows.
 */
import { useEffect, useState } from "react";
import type { WatchItem } from "../../../common/api/ui.ts";
import { formatCompact, formatPercent, formatPrice } from "../lib/format.ts";
import { onAction } from "../lib/shortcuts.ts";
import type { ThemeColors } from "../lib/theme-colors.ts";
import { Empty, Panel } from "../panels/Placeholder.tsx";
import { instrumentKey, useChart } from "../stores/chart.ts";
import { useDialogs } from "../stores/dialogs.ts";
import { useThemeColors } from "../stores/theme.ts";
import { useWatchlist } from "../stores/watchlist.ts";
import { loadQuote, subscribeTickers, useQuotes } from "./quotes.ts";
import { Sparkline } from "./Sparkline.tsx";

const REFRESH_MS = 60_000;

function Row({ item, index, active, colors }: { item: WatchItem; index: number; active: boolean; colors: ThemeColors }): React.JSX.Element {
  const quote = useQuotes((q) => q[instrumentKey(item)]);
  const { remove, move } = useWatchlist.getState();
  const change = quote?.change24h ?? null;
  const onKeyDown = (e: React.KeyboardEvent): void => {
    if (e.key === "Enter") useChart.getState().open(item);
    else if (e.altKey && (e.key === "ArrowUp" || e.key === "ArrowDown")) {
      e.preventDefault();
      void move(index, index + (e.key === "ArrowUp" ? -1 : 1));
    } else if (e.key === "Delete") void remove(item);
  };
  return (
    <li
      className={active ? "watch-row active" : "watch-row"}
      data-testid="watchlist-row"
      data-symbol={item.symbol}
      tabIndex={0}
      draggable
      onDragStart={(e) => e.dataTransfer.setData("text/x-watch-index", String(index))}
      onDragOver={(e) => e.preventDefault()}
      onDrop={(e) => void move(Number(e.dataTransfer.getData("text/x-watch-index")), index)}
      onClick={() => useChart.getState().open(item)}
      onKeyDown={onKeyDown}
      title={`${item.symbol} on ${item.venue} — click to open, drag or Alt+↑/↓ to reorder`}
    >
      <span className="watch-symbol">{item.symbol}<small>{item.venue}</small></span>
      <Sparkline values={quote?.spark ?? []} color={change !== null && change < 0 ? colors.down : colors.up} />
      <span className="watch-last">{quote ? (quote.lastText ?? formatPrice(quote.last)) : "—"}</span>
      <span className={`watch-change ${change === null ? "" : change >= 0 ? "up" : "down"}`}>{formatPercent(change)}</span>
      <span className="watch-volume muted" title="Volume over 24 h" data-testid="watch-volume">{quote?.volume24h != null ? formatCompact(quote.volume24h) : "—"}</span>
      <button type="button" className="icon" aria-label={`Remove ${item.symbol}`} onClick={(e) => { e.stopPropagation(); void remove(item); }}>×</button>
    </li>
  );
}

/** The watchlist panel. */
export function WatchlistPanel({ style }: { style?: React.CSSProperties }): React.JSX.Element {
  const { items, loaded, error } = useWatchlist();
  const instrument = useChart((s) => s.instrument);
  const colors = useThemeColors();
  const [tick, setTick] = useState(0);
  useEffect(() => {
    const timer = setInterval(() => setTick((t) => t + 1), REFRESH_MS);
    return () => clearInterval(timer);
  }, []);
  useEffect(() => items.forEach((i) => void loadQuote(i)), [items, tick]);
  useEffect(() => subscribeTickers(items), [items]);
  useEffect(
    () =>
      onAction("watch", () => {
        const current = useChart.getState().instrument;
        if (current) void useWatchlist.getState().add(current);
      }),
    [],
  );
  const add = <button type="button" data-testid="watch-add" title="Add a symbol (Alt+W adds the chart's symbol)" onClick={() => useDialogs.getState().show("search")}>+</button>;
  return (
    <Panel title="Watchlist" area="watchlist" style={style} actions={add}>
      {error ? <p className="error">{error}</p> : null}
      {loaded && items.length === 0 ? (
        <Empty action={instrument ? <button type="button" onClick={() => void useWatchlist.getState().add(instrument)}>Add {instrument.symbol}</button> : null}>
          No symbols yet. Search with / and press Alt+W to add the chart's symbol.
        </Empty>
      ) : (
        <ul className="watchlist" aria-label="Watched symbols">
          {items.map((item, i) => <Row key={instrumentKey(item)} item={item} index={i} colors={colors} active={instrument !== null && instrumentKey(instrument) === instrumentKey(item)} />)}
        </ul>
      )}
    </Panel>
  );
}
