import { afterEach, describe, expect, it } from "vitest";
import type { BinancePrivateSim } from "../../venues/binance/private/simulator.ts";
import { startBinanceSim, TEST_KEY } from "../../venues/binance/private/testing.ts";
import { REPLAY_RISK_LIMITS } from "../risk.ts";
import { MemoryTradingStore } from "../store.ts";
import { krakenTierOf, openLiveBroker } from "./open.ts";
import { memorySecrets } from "./testing.ts";

let sim: BinancePrivateSim | null = null;
afterEach(async () => {
  await sim?.close();
  sim = null;
});

async function open(apiKey: string, apiSecret: string, save = true) {
  const s = await startBinanceSim();
  sim = s.sim;
  const secrets = memorySecrets();
  if (save) await secrets.save("binance-demo", { apiKey, apiSecret });
  return openLiveBroker({ venue: "binance", env: "demo", store: new MemoryTradingStore(), limits: REPLAY_RISK_LIMITS, symbols: ["BTC/USDT"], processEnv: { WORKSTATION_LIVE_ENDPOINTS: JSON.stringify({ binance: s.urls }) }, log: () => {}, secrets });
}

describe("openLiveBroker", () => {
  it("opens with a trade-only key from the keychain, reconciled", async () => {
    const broker = await open(TEST_KEY.apiKey, TEST_KEY.secret);
    expect(broker.reconciliations).toBe(1);
    broker.stop();
  });

  it("refuses a missing key, a key with withdrawal rights and a key the venue does not accept, before sending anything", async () => {
    await expect(open("x", "y", false)).rejects.toThrow("no binance-demo key in the OS keychain: add one with `workstation keys add binance --env demo`");
    await sim?.close();
    await expect(open("withdrawKey000000000000000000001", "withdrawSecret")).rejects.toThrow(/^the binance-demo key is refused: the key has withdrawal or transfer rights/);
    await sim?.close();
    await expect(open("revokedKey0000000000", "whatever")).rejects.toThrow(/^the binance-demo key is refused: the venue refused the key \(-2015/);
    expect(sim!.orderRequests).toEqual([]);
  });
});

describe("krakenTierOf", () => {
  it("takes the option, else WORKSTATION_KRAKEN_TIER, else starter, and refuses anything else naming the tiers", () => {
    expect(krakenTierOf({ processEnv: {} })).toBe("starter");
    expect(krakenTierOf({ processEnv: { WORKSTATION_KRAKEN_TIER: "Pro" } })).toBe("pro");
    expect(krakenTierOf({ krakenTier: "intermediate", processEnv: { WORKSTATION_KRAKEN_TIER: "pro" } })).toBe("intermediate");
    expect(() => krakenTierOf({ processEnv: { WORKSTATION_KRAKEN_TIER: "gold" } })).toThrow(/one of starter, intermediate, pro \(got "gold"\)/);
  });
});
