/**
 * The trade-only check of a venue key before it is saved: where the venue exposes a key's
 * permissions (Binance `GET /sapi/v1/account/apiRestrictions`), a key with withdrawal or transfer
 * rights is refused, a key that cannot trade is refused, and a key the venue does not accept
 * (revoked, another environment's, an IP not allowed) is refused with the venue's answer.
 */
import { BinancePrivateClient, describeOutcome } from "../../venues/binance/private/client.ts";
import { parseRestrictions } from "../../venues/binance/private/parse.ts";
import type { BinanceKey } from "../../venues/binance/private/sign.ts";
import type { LiveEndpoints, LiveEnv } from "./environments.ts";

/** What the check found: the label to show, or why the key is refused. */
export type KeyCheck = { ok: true; label: string } | { ok: false; reason: string };

/** Checks a Binance key's permissions (Spot Testnet has no `/sapi` endpoints: its keys are checked with `/api/v3/account`). */
export async function checkBinanceKey(endpoints: LiveEndpoints, env: LiveEnv, key: BinanceKey): Promise<KeyCheck> {
  const client = new BinancePrivateClient({ baseUrl: endpoints.rest, key });
  try {
    await client.syncTime();
  } catch (err) {
    return { ok: false, reason: err instanceof Error ? err.message : String(err) };
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
