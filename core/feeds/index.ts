/** Entry point of live market data for core's composition root. */
import type { Logger } from "../log.ts";
import { loadFeedsConfig, type FeedsConfig, type VenueSwitch } from "./config.ts";
import { FeedManager, type InstrumentCache } from "./manager.ts";

/**
 * The feed manager of a core: the built-in venue table with feeds.json / `WORKSTATION_FEEDS`
 * overrides (each bad key is logged as one line and its built-in value kept, so `serve` always
 * starts) and the trader's venue switches from Settings, then a background reachability probe of
 * enabled venues. Connects to nothing until a stream subscribes.
 */
export function createFeedManager(
  dataDir: string,
  env: NodeJS.ProcessEnv,
  log: Logger,
  config?: FeedsConfig,
  switches: readonly VenueSwitch[] = [],
  instrumentCache?: InstrumentCache,
): FeedManager {
  const resolved = config ?? loadFeedsConfig(dataDir, env, (line) => log.error(line));
  const manager = new FeedManager({ config: resolved, switches, log, ...(instrumentCache ? { instrumentCache } : {}) });
  manager.probe();
  return manager;
}
