/**
 * The Binance private simulator beside the public one (`workstation simulate --private`): its symbols,
 * grids and prices come from the public simulator's markets, and it follows their mid prices, so an
 * order sent to the private face fills at the price the public face's book shows.
 */
import { formatFixed, type SimMarket } from "../../../simulator/market.ts";
import { BinancePrivateSim } from "./simulator.ts";
import { TEST_KEY } from "./testing.ts";

/** Starts a private simulator over `markets` (unified symbol → market) that follows their mid prices every `followMs`. */
export async function startLinkedPrivateSim(markets: ReadonlyMap<string, SimMarket>, followMs = 100): Promise<{ sim: BinancePrivateSim; urls: { rest: string; wsApi: string }; stop(): Promise<void> }> {
  const mid = (m: SimMarket) => Number(m.price(m.mid()));
  const symbols = [...markets.values()].map((m) => {
    const { base, quote, priceDecimals, sizeDecimals } = m.instrument;
    const step = formatFixed(1, sizeDecimals);
    return { symbol: `${base}${quote}`, baseAsset: base, quoteAsset: quote, tickSize: formatFixed(1, priceDecimals), stepSize: step, minQty: step, minNotional: "5", price: mid(m) };
  });
  const balances: Record<string, number> = {};
  for (const s of symbols) Object.assign(balances, { [s.quoteAsset]: 100_000, [s.baseAsset]: 10 });
  const sim = new BinancePrivateSim(symbols, [{ apiKey: TEST_KEY.apiKey, secret: TEST_KEY.secret }], balances);
  const urls = await sim.start();
  const timer = setInterval(() => {
    for (const m of markets.values()) sim.setPrice(`${m.instrument.base}${m.instrument.quote}`, mid(m));
  }, followMs);
  return { sim, urls, stop: async () => (clearInterval(timer), await sim.close()) };
}
