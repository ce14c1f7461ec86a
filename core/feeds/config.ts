/**
 * Which venues core may connect to, and where. Every venue's documented public endpoints are
 * built in (`core/venues/definitions.ts`); `<dataDir>/feeds.json`, or the `WORKSTATION_FEEDS`
 * environment variable (the same JSON, which then replaces the file), overrides them — tests and
 * the simulator point them at loopback. Example:
 *
 * ```json
 * { "venues": { "kraken": { "ws": "ws://127.0.0.1:9000/kraken/v2", "rest": "http://127.0.0.1:9000/kraken" },
 *               "binance": { "variants": { "us": { "ws": "…", "rest": "…" } } } },
 *   "simulated": true }
 * ```
 *
 * Bad input never stops core: each bad key is reported as one line naming it and the built-in
 * value stays in force.
 */
import fs from "node:fs";
import path from "node:path";
import { z } from "zod";
import type { VenueId } from "../../common/market/events.ts";
import { VENUE_DEFINITIONS, type VenueVariant } from "../venues/definitions.ts";
import { isVenueId } from "../venues/index.ts";

const wsUrl = z.string().regex(/^wss?:\/\/[^\s/]+/, "ws must be a ws:// or wss:// URL");
const restUrl = z.string().regex(/^https?:\/\/[^\s/]+/, "rest must be an http(s) URL").transform((s) => s.replace(/\/+$/, ""));
const symbolList = z.array(z.string().regex(/^[A-Z0-9]{1,20}\/[A-Z0-9]{1,20}$/, "symbols must be BASE/QUOTE")).max(1000);

const environment = z
  .object({ ws: wsUrl.optional(), rest: restUrl.optional(), symbols: symbolList.optional(), enabled: z.boolean().optional() })
  .strict()
  .refine((e) => (e.ws === undefined) === (e.rest === undefined), "give ws and rest together");

/** One environment's overrides: URLs (both or none), symbols offered first, an explicit on/off. */
export interface EnvironmentConfig {
  ws?: string;
  rest?: string;
  symbols?: string[];
  /** On/off unless the trader switched it in Settings (default: on when its URLs come from here). */
  enabled?: boolean;
}

/** One configured venue: its main environment's overrides and its variants'. */
export interface VenueConfig extends EnvironmentConfig {
  variants?: Partial<Record<VenueVariant, EnvironmentConfig>>;
}

/** Where a configuration came from. */
export type ConfigSource = "feeds.json" | "env";

/** Parsed feeds configuration. */
export interface FeedsConfig {
  venues: Partial<Record<VenueId, VenueConfig>>;
  simulated: boolean;
  simulatedRate: number;
  /** Where the overrides came from (default "feeds.json"). */
  source?: ConfigSource;
}

/** The configuration when nothing overrides the built-in table. */
export const BUILT_IN_CONFIG: FeedsConfig = { venues: {}, simulated: true, simulatedRate: 20 };

type Warn = (line: string) => void;

function issueLine(where: string, error: z.ZodError): string {
  const issue = error.issues[0];
  const key = issue?.code === "unrecognized_keys" ? `${where}.${issue.keys[0]}` : [where, ...(issue?.path ?? [])].join(".");
  return `${key}: ${issue?.code === "unrecognized_keys" ? "unknown key" : (issue?.message ?? "invalid")}`;
}

function parseEnvironment(raw: unknown, where: string, warn: Warn): EnvironmentConfig | null {
  const parsed = environment.safeParse(raw);
  if (parsed.success) return parsed.data;
  warn(`${issueLine(where, parsed.error)}; the built-in value stays`);
  return null;
}

function parseVenue(venue: VenueId, raw: unknown, where: string, warn: Warn): VenueConfig | null {
  if (typeof raw !== "object" || raw === null || Array.isArray(raw)) {
    warn(`${where}: expected an object; the built-in value stays`);
    return null;
  }
  const { variants, ...main } = raw as Record<string, unknown>;
  const out: VenueConfig = parseEnvironment(main, where, warn) ?? {};
  if (variants === undefined) return out;
  const known = Object.keys(VENUE_DEFINITIONS[venue].variants);
  if (typeof variants !== "object" || variants === null || Array.isArray(variants)) {
    warn(`${where}.variants: expected an object; the built-in value stays`);
    return out;
  }
  for (const [name, value] of Object.entries(variants)) {
    if (!known.includes(name)) {
      warn(`${where}.variants.${name}: unknown variant (${venue} has ${known.length > 0 ? known.join(", ") : "none"})`);
      continue;
    }
    const env = parseEnvironment(value, `${where}.variants.${name}`, warn);
    if (env) out.variants = { ...out.variants, [name]: env };
  }
  return out;
}

/**
 * Parses a configuration object leniently: each bad key is reported through `warn` as one line
 * naming it (`feeds.json: venues.krakn: unknown venue …`) and left at its built-in value.
 */
export function parseFeedsConfig(raw: unknown, source: ConfigSource, warn: Warn, label: string = source): FeedsConfig {
  const config: FeedsConfig = { ...BUILT_IN_CONFIG, venues: {}, source };
  if (typeof raw !== "object" || raw === null || Array.isArray(raw)) {
    warn(`${label}: expected a JSON object; using the built-in venues`);
    return config;
  }
  for (const [key, value] of Object.entries(raw as Record<string, unknown>)) {
    if (key === "simulated") {
      if (typeof value === "boolean") config.simulated = value;
      else warn(`${label}: simulated: expected true or false`);
    } else if (key === "simulatedRate") {
      if (Number.isInteger(value) && (value as number) >= 1 && (value as number) <= 10_000) config.simulatedRate = value as number;
      else warn(`${label}: simulatedRate: expected an integer from 1 to 10000`);
    } else if (key === "venues" && typeof value === "object" && value !== null && !Array.isArray(value)) {
      for (const [venue, entry] of Object.entries(value as Record<string, unknown>)) {
        if (!isVenueId(venue)) {
          warn(`${label}: venues.${venue}: unknown venue (known: ${Object.keys(VENUE_DEFINITIONS).join(", ")})`);
          continue;
        }
        const parsed = parseVenue(venue, entry, `${label}: venues.${venue}`, warn);
        if (parsed) config.venues[venue] = parsed;
      }
    } else warn(`${label}: ${key}: ${key === "venues" ? "expected an object" : "unknown key"}`);
  }
  return config;
}

/**
 * Loads the configuration of a data directory: `WORKSTATION_FEEDS` when set, else
 * `<dataDir>/feeds.json` when present, else the built-in table alone. Never throws: problems go
 * to `warn`, one line each.
 */
export function loadFeedsConfig(dataDir: string, env: NodeJS.ProcessEnv, warn: Warn = () => undefined): FeedsConfig {
  if (env.WORKSTATION_FEEDS) return parseText(env.WORKSTATION_FEEDS, "env", "WORKSTATION_FEEDS", warn);
  const file = path.join(dataDir, "feeds.json");
  let text: string;
  try {
    text = fs.readFileSync(file, "utf8");
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== "ENOENT") warn(`${file}: cannot be read (${(err as Error).message}); using the built-in venues`);
    return { ...BUILT_IN_CONFIG };
  }
  return parseText(text, "feeds.json", file, warn);
}

function parseText(text: string, source: ConfigSource, label: string, warn: Warn): FeedsConfig {
  try {
    return parseFeedsConfig(JSON.parse(text), source, warn, label);
  } catch {
    warn(`${label}: not valid JSON; using the built-in venues`);
    return { ...BUILT_IN_CONFIG, source };
  }
}

/** A venue switch from the UI's settings (`ui.settings` → `venues`), keyed by feed id. */
export interface VenueSwitch {
  id: string;
  enabled: boolean;
  symbols: string[];
}
