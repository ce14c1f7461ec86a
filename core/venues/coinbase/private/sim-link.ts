/**
 * The Coinbase private simulator beside the public one (`workstation simulate --private`): the
 * public Coinbase markets as products (`BTC-USD`), following their mid prices, with the ES256 test
 * key (generated per process: its name and PEM secret are printed by `simulate`).
 */
import type { SimMarket } from "../../../simulator/market.ts";
import { linkPrivateSim } from "../../binance/private/sim-link.ts";
import { CoinbasePrivateSim } from "./simulator.ts";
import { CDP_TEST_KEY } from "./testing.ts";

/** Starts a Coinbase private simulator over `markets` that follows their mid prices every `followMs`. */
export function startLinkedCoinbaseSim(markets: ReadonlyMap<string, SimMarket>, followMs = 100): Promise<{ sim: CoinbasePrivateSim; urls: { rest: string; wsUser: string }; stop(): Promise<void> }> {
  return linkPrivateSim(markets, (base, quote) => ({ symbol: `${base}-${quote}`, baseAsset: base, quoteAsset: quote }), (symbols, balances) => new CoinbasePrivateSim(symbols, [CDP_TEST_KEY], balances), followMs);
}
