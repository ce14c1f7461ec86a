/**
 * Records what the live venue feeds publish into the market store: trades, book snapshots and
 * integrity events (gaps, checksum mismatches, bad frames) go to the store's recorder, which
 * batches them off the hot path. The simulated feed is not recorded: it would fill a trader's
 * disk with made-up prices. Events that arrive while the recorder is opening are kept and written
 * in order once it is open.
 */
import type { MarketEvent } from "../../common/market/events.ts";
import { ANY_SYMBOL } from "../feeds/bus.ts";
import type { FeedManager } from "../feeds/manager.ts";
import type { Logger } from "../log.ts";
import type { Store } from "../store/index.ts";
import type { Recorder } from "../store/recorder.ts";

/** Starts recording every configured venue feed; returns the function that stops it. */
export function recordVenueFeeds(feeds: FeedManager, store: Store, log: Logger): () => void {
  let recorder: Recorder | null = null;
  let waiting: MarketEvent[] | null = null;
  const record = (event: MarketEvent): void => {
    if (recorder) {
      recorder.record(event);
      return;
    }
    if (waiting) {
      waiting.push(event);
      return;
    }
    waiting = [event];
    store.recorder().then(
      (opened) => {
        recorder = opened;
        for (const e of waiting ?? []) opened.record(e);
        waiting = null;
      },
      (err: unknown) => {
        waiting = null;
        log.error({ err }, "could not open the recorder; live data is not being recorded");
      },
    );
  };
  const offs = feeds
    .feeds()
    .filter((info) => !info.simulated)
    .map((info) => feeds.bus.onEvent(info.feed, ANY_SYMBOL, record));
  return () => {
    for (const off of offs) off();
  };
}
