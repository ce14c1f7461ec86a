/**
 * Which venues core connects to, and where. Venue URLs are configuration, never compiled in, so
 * tests and the simulator point them at loopback and a machine without network never tries a real
 * venue. Sources, later ones winning: `<dataDir>/feeds.json`, then the `WORKSTATION_FEEDS`
 * environment variable (the same JSON). Without any venue configured core serves only the
 * "simulated" feed. Example:
 *
 * ```json
 * { "venues": { "kraken": { "ws": "wss://<kraken ws host>/v2", "rest": "https://<kraken api host>" } }, "simulated": true }
 * ```
 */
import fs from "node:fs";
import path from "node:path";
import { z } from "zod";
import type { VenueId } from "../../common/market/events.ts";
import type { VenueEndpoints } from "./feed.ts";

const endpoints = z.object({
  ws: z.string().regex(/^wss?:\/\//, "ws must be a ws:// or wss:// URL"),
  rest: z.string().regex(/^https?:\/\//, "rest must be an http(s) URL").transform((s) => s.replace(/\/+$/, "")),
  /** Symbols the UI offers first (default: BTC and ETH against the venue's main quote). */
  symbols: z.array(z.string().regex(/^[A-Z0-9]{1,20}\/[A-Z0-9]{1,20}$/, "symbols must be BASE/QUOTE")).max(1000).optional(),
});

const schema = z.object({
  venues: z.object({ kraken: endpoints.optional(), coinbase: endpoints.optional(), binance: endpoints.optional() }).default({}),
  /** Offer the local simulator as the "simulated" feed (default true). */
  simulated: z.boolean().default(true),
  /** Market steps per second of the simulated feed. */
  simulatedRate: z.number().int().min(1).max(10_000).default(20),
});

/** One configured venue. */
export interface VenueConfig extends VenueEndpoints {
  symbols?: string[];
}

/** Parsed feeds configuration. */
export interface FeedsConfig {
  venues: Partial<Record<VenueId, VenueConfig>>;
  simulated: boolean;
  simulatedRate: number;
}

/** A configuration with only the simulator. */
export const SIMULATED_ONLY: FeedsConfig = { venues: {}, simulated: true, simulatedRate: 20 };

/** Parses a configuration object; throws an Error naming the bad field. */
export function parseFeedsConfig(raw: unknown, source: string): FeedsConfig {
  const parsed = schema.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new Error(`${source}: ${issue?.path.join(".") || "config"}: ${issue?.message ?? "invalid"}`);
  }
  return parsed.data as FeedsConfig;
}

/** Loads the configuration of a data directory (file, then environment). */
export function loadFeedsConfig(dataDir: string, env: NodeJS.ProcessEnv): FeedsConfig {
  let config = SIMULATED_ONLY;
  const file = path.join(dataDir, "feeds.json");
  if (fs.existsSync(file)) config = parseFeedsConfig(readJson(fs.readFileSync(file, "utf8"), file), file);
  if (env.WORKSTATION_FEEDS) config = parseFeedsConfig(readJson(env.WORKSTATION_FEEDS, "WORKSTATION_FEEDS"), "WORKSTATION_FEEDS");
  return config;
}

function readJson(text: string, source: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    throw new Error(`${source}: not valid JSON`);
  }
}

/** A venue switch from the UI's settings (`ui.settings` → `venues`). */
export interface VenueSwitch {
  id: string;
  enabled: boolean;
  symbols: string[];
}

/**
 * Applies the UI's venue switches to a configuration: a configured venue switched off is left out,
 * and a switch's symbol list (when not empty) replaces the venue's default symbols. Switches for
 * venues without configured endpoints change nothing: URLs come only from feeds.json or the environment.
 */
export function applyVenueSwitches(config: FeedsConfig, switches: readonly VenueSwitch[]): FeedsConfig {
  const venues: FeedsConfig["venues"] = {};
  for (const [id, venue] of Object.entries(config.venues) as [VenueId, VenueConfig][]) {
    const sw = switches.find((s) => s.id === id);
    if (sw && !sw.enabled) continue;
    venues[id] = sw && sw.symbols.length > 0 ? { ...venue, symbols: [...sw.symbols] } : venue;
  }
  return { ...config, venues };
}
