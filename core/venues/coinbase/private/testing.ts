/** Test helpers: CDP test keys (ES256 and Ed25519, generated per process), the Coinbase private simulator and an adapter connected to it. */
import { generateKeyPairSync } from "node:crypto";
import { CoinbaseExecution } from "./adapter.ts";
import type { CdpKey } from "./jwt.ts";
import { CoinbasePrivateSim } from "./simulator.ts";

function ecKey(name: string): CdpKey {
  const { privateKey } = generateKeyPairSync("ec", { namedCurve: "prime256v1" });
  return { name, secret: privateKey.export({ type: "sec1", format: "pem" }).toString() };
}

function edKey(name: string): CdpKey {
  const jwk = generateKeyPairSync("ed25519").privateKey.export({ format: "jwk" });
  return { name, secret: Buffer.concat([Buffer.from(jwk.d!, "base64url"), Buffer.from(jwk.x!, "base64url")]).toString("base64") };
}

/** The simulator's trade-only ES256 test key. */
export const CDP_TEST_KEY: CdpKey = ecKey("organizations/sim-org/apiKeys/sim-trade-key-0001");
/** A trade-only Ed25519 test key. */
export const CDP_ED_KEY: CdpKey = edKey("organizations/sim-org/apiKeys/sim-ed-key-0001");
/** A key with transfer rights (refused by the key check). */
export const CDP_TRANSFER_KEY: CdpKey = ecKey("organizations/sim-org/apiKeys/sim-transfer-key-0001");

/** A simulator trading BTC-USD at 50 000 with 10 000 USD and 1 BTC, accepting the test keys. */
export function coinbaseSim(): CoinbasePrivateSim {
  return new CoinbasePrivateSim(
    [{ symbol: "BTC-USD", baseAsset: "BTC", quoteAsset: "USD", tickSize: "0.01", stepSize: "0.00000001", minQty: "0.00001", minNotional: "1", price: 50_000 }],
    [CDP_TEST_KEY, CDP_ED_KEY, { ...CDP_TRANSFER_KEY, canTransfer: true }],
    { USD: 10_000, BTC: 1 },
  );
}

/** Starts {@link coinbaseSim}; returns it, its URLs and a prepared adapter (log lines collected in `lines`). */
export async function startCoinbaseSim(key: CdpKey = CDP_TEST_KEY): Promise<{ sim: CoinbasePrivateSim; adapter: CoinbaseExecution; urls: { rest: string; wsUser: string }; lines: string[] }> {
  const sim = coinbaseSim();
  const urls = await sim.start();
  const lines: string[] = [];
  const adapter = new CoinbaseExecution(urls, key, (l) => lines.push(l));
  await adapter.prepare();
  return { sim, adapter, urls, lines };
}
