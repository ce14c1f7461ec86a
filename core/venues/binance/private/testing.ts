/** Test helpers: the Binance private simulator with a test key and an adapter connected to it. */
import { BinanceExecution } from "./adapter.ts";
import { BinancePrivateSim } from "./simulator.ts";
import type { BinanceKey } from "./sign.ts";

/** The simulator's test key. */
export const TEST_KEY: BinanceKey = { apiKey: "simTestKey0000000000000000000001", secret: "simTestSecret000000000000000000001", kind: "hmac" };

/** Starts a simulator trading BTC/USDT at 50 000 with 10 000 USDT and 1 BTC; returns it and a prepared adapter. */
export async function startBinanceSim(): Promise<{ sim: BinancePrivateSim; adapter: BinanceExecution; urls: { rest: string; wsApi: string } }> {
  const sim = new BinancePrivateSim(
    [{ symbol: "BTCUSDT", baseAsset: "BTC", quoteAsset: "USDT", tickSize: "0.01000000", stepSize: "0.00001000", minQty: "0.00001000", minNotional: "5.00000000", price: 50_000 }],
    [{ apiKey: TEST_KEY.apiKey, secret: TEST_KEY.secret }, { apiKey: "withdrawKey000000000000000000001", secret: "withdrawSecret", canWithdraw: true }],
    { USDT: 10_000, BTC: 1 },
  );
  const urls = await sim.start();
  const adapter = new BinanceExecution(urls, TEST_KEY);
  await adapter.prepare();
  return { sim, adapter, urls };
}
