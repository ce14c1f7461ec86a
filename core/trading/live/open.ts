/**
 * Opens the live order layer of a venue environment for a command: the key from the OS keychain
 * (never from the store or an argument), the venue's execution adapter (Binance, Kraken, Coinbase),
 * the app database's order store. The key is checked again first (trade-only, accepted by this
 * environment: {@link checkVenueKey}), then `start`
 * checks the clock, loads the filters and reconciles before anything is sent.
 */
import { SecretStore } from "../../secrets/keychain.ts";
import { BinanceExecution } from "../../venues/binance/private/adapter.ts";
import { CoinbaseExecution } from "../../venues/coinbase/private/adapter.ts";
import { KrakenExecutionAdapter } from "../../venues/kraken/private/adapter.ts";
import { KRAKEN_TIERS, type KrakenTier } from "../../venues/kraken/private/rate-counter.ts";
import type { ExecutionAdapter } from "./adapter.ts";
import type { RiskLimits } from "../risk.ts";
import type { TradingStore } from "../store.ts";
import { endpointsOf, keyAccount, type LiveEnv } from "./environments.ts";
import { binanceKey, checkVenueKey } from "./key-check.ts";
import { LiveBroker } from "./live-broker.ts";

export { binanceKey } from "./key-check.ts";

/** What {@link openLiveBroker} needs. */
export interface OpenLiveOptions {
  venue: string;
  env: LiveEnv;
  store: TradingStore;
  limits: RiskLimits;
  symbols: string[];
  processEnv: NodeJS.ProcessEnv;
  log(line: string): void;
  secrets?: SecretStore;
  /** The Kraken key's verification tier (rate counters); else `WORKSTATION_KRAKEN_TIER`, else `starter`. */
  krakenTier?: KrakenTier;
}

/** The Kraken tier of `o`; throws a one-line Error naming the tiers when the setting is not one. */
export function krakenTierOf(o: Pick<OpenLiveOptions, "krakenTier" | "processEnv">): KrakenTier {
  const raw = o.krakenTier ?? o.processEnv.WORKSTATION_KRAKEN_TIER ?? "starter";
  const tier = KRAKEN_TIERS.find((t) => t === raw.toLowerCase());
  if (!tier) throw new Error(`WORKSTATION_KRAKEN_TIER must be one of ${KRAKEN_TIERS.join(", ")} (got ${JSON.stringify(raw)})`);
  return tier;
}

/** The started live broker (reconciled), or throws a one-line Error (no key, clock skew, key refused). */
export async function openLiveBroker(o: OpenLiveOptions): Promise<LiveBroker> {
  const account = keyAccount(o.venue, o.env);
  const creds = await (o.secrets ?? new SecretStore()).credentials(account);
  if (!creds) throw new Error(`no ${account} key in the OS keychain: add one with \`workstation keys add ${o.venue}${o.env === "live" ? "" : ` --env ${o.env}`}\``);
  const endpoints = endpointsOf(o.venue, o.env, o.processEnv);
  const check = await checkVenueKey(o.venue, endpoints, o.env, creds.apiKey, creds.apiSecret);
  if (!check.ok) throw new Error(`the ${account} key is refused: ${check.reason}`);
  if (o.venue === "kraken") return startBroker(o, new KrakenExecutionAdapter({ rest: endpoints.rest, wsAuth: endpoints.wsApi }, { apiKey: creds.apiKey, secret: creds.apiSecret }, { validate: o.env === "validate", log: o.log, tier: krakenTierOf(o) }));
  if (o.venue === "coinbase") return startBroker(o, new CoinbaseExecution({ rest: endpoints.rest, wsUser: endpoints.wsApi }, { name: creds.apiKey, secret: creds.apiSecret }, o.log));
  return startBroker(o, new BinanceExecution(endpoints, binanceKey(creds.apiKey, creds.apiSecret), o.log));
}

/** The live broker over `adapter`, started (the adapter prepared, the venue reconciled). */
async function startBroker(o: OpenLiveOptions, adapter: ExecutionAdapter): Promise<LiveBroker> {
  const broker = new LiveBroker({ store: o.store, adapter, limits: o.limits, symbols: o.symbols, log: o.log });
  await broker.start();
  return broker;
}
