/**
 * Records what the live venue feeds publish into the market store: trades, book snapshots and
 * integrity events (gaps, checksum mismatches, bad frames) go to the store's recorder, which
 * batches them off the hot path. The simulated feed is not recorded: it would fill a trader's
 * disk with made-up prices (its history is stored as generated bars instead, see
 * `simulated-history.ts`). Recording is on by default and follows the store's `recordFeeds`
 * setting as it changes; the recorder's disk cap (`maxRecordingBytes`) bounds it. Events that
 * arrive while the recorder is opening are kept and written in order once it is open. A venue
 * switched off stops being recorded at once; one switched on is recorded from its first event.
 */
import type { MarketEvent } from "../../common/market/events.ts";
import { ANY_SYMBOL } from "../feeds/bus.ts";
import type { FeedManager } from "../feeds/manager.ts";
import type { Logger } from "../log.ts";
import type { Store } from "../store/index.ts";
import type { Recorder } from "../store/recorder.ts";

/** Records every enabled venue feed, following venues switched on and off; returns the function that stops it. */
export function recordVenueFeeds(feeds: FeedManager, store: Store, log: Logger): () => void {
  let recorder: Recorder | null = null;
  let waiting: MarketEvent[] | null = null;
  let enabled = recordingEnabled(store, log);
  const offSettings = store.onSettingsChanged((settings) => (enabled = settings.recordFeeds));
  const record = (event: MarketEvent): void => {
    if (!enabled) return;
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
  const offs = new Map<string, () => void>();
  const follow = (): void => {
    const live = new Set(feeds.feeds().filter((info) => !info.simulated).map((info) => info.feed));
    for (const [feed, off] of offs) {
      if (live.has(feed)) continue;
      off();
      offs.delete(feed);
    }
    for (const feed of live) if (!offs.has(feed)) offs.set(feed, feeds.bus.onEvent(feed, ANY_SYMBOL, record));
  };
  follow();
  const offChange = feeds.onChange(follow);
  return () => {
    offSettings();
    offChange();
    for (const off of offs.values()) off();
    offs.clear();
  };
}

/** The `recordFeeds` setting; on when the settings cannot be read (as before the setting existed). */
function recordingEnabled(store: Store, log: Logger): boolean {
  try {
    return store.settings().recordFeeds;
  } catch (err) {
    log.error({ err: (err as Error).message }, "store settings unreadable; recording the live feeds");
    return true;
  }
}
