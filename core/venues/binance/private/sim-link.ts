/**
 * A private simulator beside the public one (`workstation simulate --private`): its symbols, grids
 * and prices come from the public simulator's markets, and it follows their mid prices, so an order
 * sent to the private face fills at the price the public face's book shows. {@link linkPrivateSim}
 * does it for any venue's private simulator; {@link startLinkedPrivateSim} is Binance's.
 */
import { formatFixed, type SimMarket } from "../../../simulator/market.ts";
import { BinancePrivateSim } from "./simulator.ts";
import type { SimSymbol } from "./sim-book.ts";
import { TEST_KEY } from "./testing.ts";

/** What a linked private simulator needs to be: started, moved, closed. */
export interface LinkablePrivateSim<U> {
  start(): Promise<U>;
  setPrice(symbol: string, price: number): void;
  close(): Promise<void>;
}

/** How a venue names a market: its symbol and asset codes (`BTC`/`USD` → `XBTUSD`, `XBT`, `USD` on Kraken). */
export type VenueNaming = (base: string, quote: string) => { symbol: string; baseAsset: string; quoteAsset: string };

/** Starts the private simulator `make` builds over `markets` (100 000 of each quote asset, 10 of each base) and follows their mid prices every `followMs`. */
export async function linkPrivateSim<S extends LinkablePrivateSim<U>, U>(markets: ReadonlyMap<string, SimMarket>, naming: VenueNaming, make: (symbols: SimSymbol[], balances: Record<string, number>) => S, followMs = 100): Promise<{ sim: S; urls: U; stop(): Promise<void> }> {
  const mid = (m: SimMarket) => Number(m.price(m.mid()));
  const entries = [...markets.values()].map((m) => {
    const { base, quote, priceDecimals, sizeDecimals } = m.instrument;
    const step = formatFixed(1, sizeDecimals);
    return { market: m, symbol: { ...naming(base, quote), tickSize: formatFixed(1, priceDecimals), stepSize: step, minQty: step, minNotional: "5", price: mid(m) } };
  });
  const balances: Record<string, number> = {};
  for (const { symbol: s } of entries) Object.assign(balances, { [s.quoteAsset]: 100_000, [s.baseAsset]: 10 });
  const sim = make(entries.map((e) => e.symbol), balances);
  const urls = await sim.start();
  const timer = setInterval(() => {
    for (const e of entries) sim.setPrice(e.symbol.symbol, mid(e.market));
  }, followMs);
  return { sim, urls, stop: async () => (clearInterval(timer), await sim.close()) };
}

/** Starts a Binance private simulator over `markets` (unified symbol → market) that follows their mid prices every `followMs`. */
export function startLinkedPrivateSim(markets: ReadonlyMap<string, SimMarket>, followMs = 100): Promise<{ sim: BinancePrivateSim; urls: { rest: string; wsApi: string }; stop(): Promise<void> }> {
  return linkPrivateSim(markets, (base, quote) => ({ symbol: `${base}${quote}`, baseAsset: base, quoteAsset: quote }), (symbols, balances) => new BinancePrivateSim(symbols, [{ apiKey: TEST_KEY.apiKey, secret: TEST_KEY.secret }], balances), followMs);
}
