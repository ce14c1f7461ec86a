/**
 * The trade-only check of a venue key before it is saved or used: where the venue exposes a key's
 * permissions (Binance `GET /sapi/v1/account/apiRestrictions`, Kraken `POST /0/private/GetApiKeyInfo`,
 * Coinbase `GET /api/v3/brokerage/key_permissions`), a key with withdrawal or transfer rights is
 * refused, a key that cannot trade is refused, and a key the venue does not accept (revoked,
 * another environment's, an IP not allowed) is refused with the venue's answer.
 */
import { BinancePrivateClient, describeOutcome } from "../../venues/binance/private/client.ts";
import { parseRestrictions } from "../../venues/binance/private/parse.ts";
import type { BinanceKey } from "../../venues/binance/private/sign.ts";
import { CoinbasePrivateClient, describeCoinbase } from "../../venues/coinbase/private/client.ts";
import type { CdpKey } from "../../venues/coinbase/private/jwt.ts";
import { parseKeyPermissions } from "../../venues/coinbase/private/parse.ts";
import { describeKraken, KrakenPrivateClient, type KrakenKey } from "../../venues/kraken/private/client.ts";
import { parseApiKeyInfo } from "../../venues/kraken/private/parse.ts";
import type { LiveEndpoints, LiveEnv } from "./environments.ts";

/** What the check found: the label to show, or why the key is refused. */
export type KeyCheck = { ok: true; label: string } | { ok: false; reason: string };

const message = (err: unknown) => (err instanceof Error ? err.message : String(err));

/** Checks a Binance key's permissions (Spot Testnet has no `/sapi` endpoints: its keys are checked with `/api/v3/account`). */
export async function checkBinanceKey(endpoints: LiveEndpoints, env: LiveEnv, key: BinanceKey): Promise<KeyCheck> {
  const client = new BinancePrivateClient({ baseUrl: endpoints.rest, key });
  try {
    await client.syncTime();
  } catch (err) {
    return { ok: false, reason: message(err) };
  }
  const path = env === "testnet" ? "/api/v3/account" : "/sapi/v1/account/apiRestrictions";
  const r = await client.signed("GET", path, []);
  if (r.kind !== "ok") return { ok: false, reason: `the venue refused the key (${describeOutcome(r)}): revoked, for another environment, or not allowed from this IP` };
  if (env === "testnet") return { ok: true, label: "testnet key (the Spot Testnet does not report permissions)" };
  const p = parseRestrictions(r.body);
  if (p.enableWithdrawals || p.enableInternalTransfer || p.permitsUniversalTransfer) return { ok: false, reason: "the key has withdrawal or transfer rights; create a trade-only key (reading and spot trading only)" };
  if (!p.enableSpotAndMarginTrading) return { ok: false, reason: "the key cannot trade spot; enable spot trading for it" };
  return { ok: true, label: "trade-only" };
}

/** Checks a Kraken key with `GetApiKeyInfo`: `withdraw-funds` is refused, `modify-trades` is needed. */
export async function checkKrakenKey(endpoints: LiveEndpoints, key: KrakenKey): Promise<KeyCheck> {
  let r;
  try {
    r = await new KrakenPrivateClient({ baseUrl: endpoints.rest, key }).call("GetApiKeyInfo");
  } catch (err) {
    return { ok: false, reason: `the key is not usable: ${message(err)}` };
  }
  if (r.kind !== "ok") return { ok: false, reason: `the venue refused the key (${describeKraken(r)}): revoked, mistyped, or not allowed from this IP` };
  let info;
  try {
    info = parseApiKeyInfo(r.result);
  } catch (err) {
    return { ok: false, reason: `kraken GetApiKeyInfo answer did not parse (${message(err)})` };
  }
  if (info.permissions.some((p) => p.includes("withdraw"))) return { ok: false, reason: "the key has the withdraw-funds permission; create a trade-only key (query funds, query/modify/cancel orders, WebSocket token)" };
  if (!info.permissions.includes("modify-trades")) return { ok: false, reason: "the key cannot create orders; give it the modify-trades (Create & Modify Orders) permission" };
  return { ok: true, label: "trade-only" };
}

/** Checks a Coinbase CDP key with `GET /api/v3/brokerage/key_permissions`: `can_transfer` is refused, `can_trade` is needed. */
export async function checkCoinbaseKey(endpoints: LiveEndpoints, key: CdpKey): Promise<KeyCheck> {
  let client;
  try {
    client = new CoinbasePrivateClient({ baseUrl: endpoints.rest, key });
    await client.syncTime();
  } catch (err) {
    return { ok: false, reason: message(err) };
  }
  const r = await client.request("GET", "/api/v3/brokerage/key_permissions");
  if (r.kind !== "ok") return { ok: false, reason: `the venue refused the key (${describeCoinbase(r)}): revoked, mistyped, or not allowed from this IP` };
  let p;
  try {
    p = parseKeyPermissions(r.body);
  } catch (err) {
    return { ok: false, reason: `coinbase key_permissions answer did not parse (${message(err)})` };
  }
  if (p.canTransfer) return { ok: false, reason: "the key has transfer rights (can_transfer); create a CDP key with View and Trade only" };
  if (!p.canTrade) return { ok: false, reason: "the key cannot trade (can_trade is false); give it the Trade permission" };
  return { ok: true, label: "trade-only" };
}

/** A Binance key from stored credentials: a PEM secret is an Ed25519 key, anything else HMAC. */
export function binanceKey(apiKey: string, apiSecret: string): BinanceKey {
  return { apiKey, secret: apiSecret, kind: apiSecret.startsWith("-----BEGIN") ? "ed25519" : "hmac" };
}

/** Checks stored credentials for `venue` (for Coinbase the API key is the CDP key name). */
export function checkVenueKey(venue: string, endpoints: LiveEndpoints, env: LiveEnv, apiKey: string, apiSecret: string): Promise<KeyCheck> {
  if (venue === "kraken") return checkKrakenKey(endpoints, { apiKey, secret: apiSecret });
  if (venue === "coinbase") return checkCoinbaseKey(endpoints, { name: apiKey, secret: apiSecret });
  return checkBinanceKey(endpoints, env, binanceKey(apiKey, apiSecret));
}
