/**
 * The peer for `bench:parse`: ccxt's own WebSocket message handling fed with our frames, offline.
 * Each run builds a fresh exchange object with markets set through `setMarkets` and a stub client
 * (ccxt's handlers only call `resolve`/`reject` on it and read `url`/`subscriptions`). Frames are
 * parsed as ccxt's WebSocket client does (`JSON.parse` after quoting long integers), then passed to
 * the exchange's `handleMessage`.
 */
import ccxt from "ccxt";

type Exchange = InstanceType<typeof ccxt.pro.kraken> | InstanceType<typeof ccxt.pro.binance> | InstanceType<typeof ccxt.pro.coinbase>;

interface StubClient {
  url: string;
  subscriptions: Record<string, unknown>;
  futures: Record<string, unknown>;
  resolve(): void;
  reject(): void;
}

function market(id: string, symbol: string, base: string, quote: string, extra: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    id, symbol, base, quote, baseId: base, quoteId: quote, active: true, type: "spot", spot: true, margin: false, swap: false, future: false,
    option: false, contract: false, precision: { price: 0.01, amount: 1e-8 }, limits: {}, info: {}, ...extra,
  };
}

function stub(url: string): StubClient {
  return { url, subscriptions: {}, futures: {}, resolve() {}, reject() {} };
}

/** What ccxt's client does with a text frame before handing it to the exchange. */
function ccxtParse(text: string): unknown {
  return JSON.parse(text.replace(/:(\d{15,}),/g, ':"$1",'));
}

/** A fresh exchange and client per venue, ready for `handleMessage`. */
export function makePeer(venue: "kraken" | "binance" | "coinbase"): (text: string) => void {
  let ex: Exchange;
  let client: StubClient;
  if (venue === "kraken") {
    const k = new ccxt.pro.kraken();
    k.setMarkets([market("XXBTZUSD", "BTC/USD", "BTC", "USD", { altname: "XBTUSD", wsId: "BTC/USD" })] as never);
    ex = k;
    client = stub(String((k.urls as unknown as { api: { ws: { publicV2: string } } }).api.ws.publicV2));
  } else if (venue === "binance") {
    const b = new ccxt.pro.binance();
    b.setMarkets([market("BTCUSDT", "BTC/USDT", "BTC", "USDT", { lowercaseId: "btcusdt" })] as never);
    (b as unknown as { orderbooks: Record<string, unknown> }).orderbooks["BTC/USDT"] = b.orderBook({ bids: [], asks: [], nonce: 1000 });
    ex = b;
    client = stub(`${String((b.urls as unknown as { api: { ws: { spot: string } } }).api.ws.spot)}/stream`);
  } else {
    const c = new ccxt.pro.coinbase();
    c.setMarkets([market("BTC-USD", "BTC/USD", "BTC", "USD")] as never);
    ex = c;
    client = stub(String((c.urls as unknown as { api: { ws: string } }).api.ws));
  }
  const handle = (ex as unknown as { handleMessage(c: StubClient, m: unknown): void }).handleMessage.bind(ex);
  return (text) => handle(client, ccxtParse(text));
}
