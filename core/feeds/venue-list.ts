/**
 * The venues a core knows: the built-in table (`core/venues/definitions.ts`) with the overrides of
 * feeds.json / `WORKSTATION_FEEDS` and the trader's on/off switches from Settings applied. A venue
 * is on when the trader switched it on; without a switch, when its configuration says so; without
 * either, when its URLs come from the configuration — so a fresh data directory lists every real
 * venue switched off and tries no DNS until the trader enables one.
 */
import type { VenueId } from "../../common/market/events.ts";
import { builtInVenues, type VenueVariant } from "../venues/definitions.ts";
import type { ConfigSource, EnvironmentConfig, FeedsConfig, VenueSwitch } from "./config.ts";

/** Where a venue's URLs come from. */
export type VenueSource = "built-in" | ConfigSource;

/** One venue environment as core will serve it. */
export interface ResolvedVenue {
  /** Feed id: `kraken`, `binance-us`. */
  id: string;
  venue: VenueId;
  variant: VenueVariant | null;
  name: string;
  ws: string;
  rest: string;
  source: VenueSource;
  enabled: boolean;
  /** Symbols the UI offers first. */
  symbols: string[];
}

/** Symbols offered first when neither the configuration nor the trader lists any. */
export const DEFAULT_SYMBOLS: Readonly<Record<VenueId, readonly string[]>> = {
  kraken: ["BTC/USD", "ETH/USD"],
  coinbase: ["BTC/USD", "ETH/USD"],
  binance: ["BTC/USDT", "ETH/USDT"],
};

function overrides(config: FeedsConfig, venue: VenueId, variant: VenueVariant | null): EnvironmentConfig | undefined {
  const entry = config.venues[venue];
  return variant === null ? entry : entry?.variants?.[variant];
}

/** Every venue environment with its URLs, source, on/off state and symbols. */
export function resolveVenues(config: FeedsConfig, switches: readonly VenueSwitch[]): ResolvedVenue[] {
  return builtInVenues().map((b) => {
    const o = overrides(config, b.venue, b.variant);
    const configured = o?.ws !== undefined && o.rest !== undefined;
    const source: VenueSource = configured ? (config.source ?? "feeds.json") : "built-in";
    const sw = switches.find((s) => s.id === b.id);
    const enabled = sw?.enabled ?? o?.enabled ?? configured;
    const symbols = sw && sw.symbols.length > 0 ? [...sw.symbols] : [...(o?.symbols ?? DEFAULT_SYMBOLS[b.venue])];
    return { id: b.id, venue: b.venue, variant: b.variant, name: b.name, ws: configured ? o.ws! : b.ws, rest: configured ? o.rest! : b.rest, source, enabled, symbols };
  });
}
