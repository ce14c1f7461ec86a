/** Entry point of live market data for core's composition root. */
import type { Logger } from "../log.ts";
import { applyVenueSwitches, loadFeedsConfig, SIMULATED_ONLY, type FeedsConfig, type VenueSwitch } from "./config.ts";
import { FeedManager } from "./manager.ts";

/**
 * The feed manager of a core: configuration from the data directory and environment (a bad
 * configuration is logged and replaced by the simulator alone, so `serve` always starts), then a
 * background reachability probe of configured venues. Connects to nothing until a stream subscribes.
 * The UI's venue switches (read once, at start) turn configured venues off or change their symbols.
 */
export function createFeedManager(
  dataDir: string,
  env: NodeJS.ProcessEnv,
  log: Logger,
  config?: FeedsConfig,
  switches: readonly VenueSwitch[] = [],
): FeedManager {
  let resolved = config;
  if (!resolved) {
    try {
      resolved = applyVenueSwitches(loadFeedsConfig(dataDir, env), switches);
    } catch (err) {
      log.error({ err: (err as Error).message }, "feeds configuration ignored; serving the simulated feed only");
      resolved = SIMULATED_ONLY;
    }
  }
  const manager = new FeedManager({ config: resolved, log });
  manager.probe();
  return manager;
}
