import { afterEach, describe, expect, it } from "vitest";
import { deadManOf } from "../../venues/kraken/private/dead-man.ts";
import { KrakenExecutionAdapter } from "../../venues/kraken/private/adapter.ts";
import { KrakenPrivateSim } from "../../venues/kraken/private/simulator.ts";
import type { CoinbasePrivateSim } from "../../venues/coinbase/private/simulator.ts";
import { CDP_ED_KEY, CDP_TEST_KEY, CDP_TRANSFER_KEY, coinbaseSim } from "../../venues/coinbase/private/testing.ts";
import { checkVenueKey } from "./key-check.ts";

const b64 = (s: string) => Buffer.from(s).toString("base64");
const TRADE = { apiKey: "krakenTradeKey0000000000000001", secret: b64("krakenTradeSecret-00000000001") };
const WITHDRAW = { apiKey: "krakenWithdrawKey000000000001", secret: b64("krakenWithdrawSecret-0000001"), permissions: ["query-funds", "modify-trades", "withdraw-funds"] };
const READ_ONLY = { apiKey: "krakenReadKey00000000000000001", secret: b64("krakenReadSecret-000000000001"), permissions: ["query-funds", "query-open-trades"] };

let kraken: KrakenPrivateSim | null = null;
let coinbase: CoinbasePrivateSim | null = null;
afterEach(async () => {
  await kraken?.close();
  await coinbase?.close();
  kraken = coinbase = null;
});

describe("venue key checks", () => {
  it("Kraken: GetApiKeyInfo — trade-only accepted, withdraw-funds refused, no modify-trades refused, a wrong secret refused", async () => {
    kraken = new KrakenPrivateSim([], [TRADE, WITHDRAW, READ_ONLY], {});
    const urls = await kraken.start();
    const check = (k: { apiKey: string; secret: string }) => checkVenueKey("kraken", { rest: urls.rest, wsApi: urls.wsAuth }, "live", k.apiKey, k.secret);
    expect(await check(TRADE)).toEqual({ ok: true, label: "trade-only" });
    expect(await check(WITHDRAW)).toMatchObject({ ok: false, reason: /withdraw-funds permission/ });
    expect(await check(READ_ONLY)).toMatchObject({ ok: false, reason: /cannot create orders; give it the modify-trades/ });
    expect(await check({ ...TRADE, secret: b64("wrong") })).toMatchObject({ ok: false, reason: /the venue refused the key \(kraken EAPI:Invalid signature\)/ });
  });

  it("Coinbase: key_permissions — ES256 and Ed25519 trade keys accepted, can_transfer refused, an unknown key and a skewed clock refused", async () => {
    coinbase = coinbaseSim();
    const urls = await coinbase.start();
    const check = (k: { name: string; secret: string }) => checkVenueKey("coinbase", { rest: urls.rest, wsApi: urls.wsUser }, "live", k.name, k.secret);
    expect(await check(CDP_TEST_KEY)).toEqual({ ok: true, label: "trade-only" });
    expect(await check(CDP_ED_KEY)).toEqual({ ok: true, label: "trade-only" });
    expect(await check(CDP_TRANSFER_KEY)).toMatchObject({ ok: false, reason: /transfer rights \(can_transfer\)/ });
    expect(await check({ ...CDP_TEST_KEY, name: "organizations/x/apiKeys/revoked" })).toMatchObject({ ok: false, reason: /the venue refused the key \(coinbase UNAUTHENTICATED/ });
    expect(await check({ name: CDP_TEST_KEY.name, secret: "not a key" })).toMatchObject({ ok: false, reason: /^the Coinbase secret is not a CDP key/ });
    coinbase.clockSkewMs = 120_000;
    expect(await check(CDP_TEST_KEY)).toMatchObject({ ok: false, reason: /^clock-skew: / });
  });

  it("finds the dead-man's switch of an adapter that has one", () => {
    expect(deadManOf(new KrakenExecutionAdapter({ rest: "http://127.0.0.1:9", wsAuth: "ws://127.0.0.1:9" }, TRADE, { log: () => {} }))).not.toBeNull();
    expect(deadManOf({ venue: "binance" })).toBeNull();
  });
});
