/**
 * The Kraken private simulator beside the public one (`workstation simulate --private`): the public
 * Kraken markets under Kraken's names (`BTC/USD` → `XBTUSD`), following their mid prices, with a
 * trade-only test key.
 */
import type { SimMarket } from "../../../simulator/market.ts";
import { linkPrivateSim } from "../../binance/private/sim-link.ts";
import { KrakenPrivateSim } from "./simulator.ts";

/** The linked simulator's test key (the secret is base64, as Kraken shows it). */
export const KRAKEN_TEST_KEY = { apiKey: "krakenSimTestKey000000000000001", secret: Buffer.from("krakenSimTestSecret-00000000001").toString("base64") };

/** Starts a Kraken private simulator over `markets` that follows their mid prices every `followMs`. */
export function startLinkedKrakenSim(markets: ReadonlyMap<string, SimMarket>, followMs = 100): Promise<{ sim: KrakenPrivateSim; urls: { rest: string; wsAuth: string }; stop(): Promise<void> }> {
  const code = (a: string) => (a === "BTC" ? "XBT" : a);
  return linkPrivateSim(markets, (base, quote) => ({ symbol: `${code(base)}${code(quote)}`, baseAsset: code(base), quoteAsset: code(quote) }), (symbols, balances) => new KrakenPrivateSim(symbols, [KRAKEN_TEST_KEY], balances), followMs);
}
