/**
 * First start: with no symbol chosen yet, open the first symbol of core's default feed (the
 * simulated venue when no real venue is configured or reachable), so the chart moves at once.
 */
import { useEffect } from "react";
import { api } from "../stores/connection.ts";
import { useChart } from "../stores/chart.ts";
import { useConnection } from "../stores/connection.ts";

/** Picks the default feed's first symbol when the chart has none. */
export async function openDefaultInstrument(): Promise<void> {
  if (useChart.getState().instrument) return;
  const { feeds, defaultFeed } = await api.call("market.feeds", {});
  const feed = feeds.find((f) => f.feed === defaultFeed) ?? feeds[0];
  const symbol = feed?.symbols[0];
  if (feed && symbol && !useChart.getState().instrument) useChart.getState().open({ venue: feed.feed, symbol });
}

/** Hook: runs {@link openDefaultInstrument} once core is connected. */
export function useFirstStart(): void {
  const state = useConnection((s) => s.state);
  useEffect(() => {
    if (state === "open") openDefaultInstrument().catch((err: unknown) => console.warn("no default feed:", err));
  }, [state]);
}
