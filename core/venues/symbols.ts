/**
 * Venue symbols → unified `BASE/QUOTE` (uppercase), offline. Kraken v2 already writes `BTC/USD`
 * (legacy asset codes XBT and XDG are mapped to BTC and DOGE); Coinbase writes `BTC-USD`; Binance
 * concatenates (`BTCUSDT`), so the quote is found as the longest known quote-asset suffix, and
 * instrument metadata, when the caller has it, overrides the guess.
 */

const ASSET_ALIASES: Record<string, string> = { XBT: "BTC", XDG: "DOGE" };
const ASSET = /^[A-Z0-9]{1,20}$/;

/** An uppercase asset code (letters and digits only), aliases applied; null when not one. */
function asset(code: string): string | null {
  const up = code.toUpperCase();
  if (!ASSET.test(up)) return null;
  return ASSET_ALIASES[up] ?? up;
}

function pair(base: string, quote: string): string | null {
  const b = asset(base);
  const q = asset(quote);
  return b === null || q === null ? null : `${b}/${q}`;
}

const krakenCache = new Map<string, string | null>();
const coinbaseCache = new Map<string, string | null>();
const CACHE_LIMIT = 10_000;

/** Memoizes a mapping (venues have a bounded set of symbols; the cap only guards hostile input). */
function cached(cache: Map<string, string | null>, raw: string, map: (raw: string) => string | null): string | null {
  let hit = cache.get(raw);
  if (hit === undefined) {
    hit = map(raw);
    if (cache.size < CACHE_LIMIT) cache.set(raw, hit);
  }
  return hit;
}

/** The last Kraken symbol mapped and its result: a feed's frames repeat one symbol (often the same string). */
let lastKrakenRaw = "";
let lastKrakenHit: string | null = null;

/** Kraken v2 `BTC/USD` (or legacy `XBT/USD`) → `BTC/USD`; null when not `BASE/QUOTE`. */
export function krakenSymbol(raw: string): string | null {
  if (raw === lastKrakenRaw) return lastKrakenHit;
  const hit = cached(krakenCache, raw, mapKraken);
  lastKrakenRaw = raw;
  lastKrakenHit = hit;
  return hit;
}

/** Coinbase `BTC-USD` → `BTC/USD`; null when not `BASE-QUOTE`. */
export function coinbaseSymbol(raw: string): string | null {
  return cached(coinbaseCache, raw, mapCoinbase);
}

function mapKraken(raw: string): string | null {
  const slash = raw.indexOf("/");
  if (slash <= 0 || slash === raw.length - 1 || raw.indexOf("/", slash + 1) >= 0) return null;
  return pair(raw.slice(0, slash), raw.slice(slash + 1));
}

function mapCoinbase(raw: string): string | null {
  const dash = raw.indexOf("-");
  if (dash <= 0 || dash === raw.length - 1 || raw.indexOf("-", dash + 1) >= 0) return null;
  const base = raw.slice(0, dash).toUpperCase();
  const quote = raw.slice(dash + 1).toUpperCase();
  return ASSET.test(base) && ASSET.test(quote) ? `${base}/${quote}` : null;
}

/** Binance spot quote assets, longest match wins (so FDUSD beats USD and USDT beats USD). */
export const BINANCE_QUOTES: readonly string[] = [
  "USDT", "USDC", "FDUSD", "TUSD", "BUSD", "USDP", "USD1", "DAI", "USD", "EUR", "EURI", "AEUR", "GBP", "TRY", "BRL", "ARS",
  "MXN", "COP", "JPY", "AUD", "ZAR", "PLN", "RON", "CZK", "UAH", "RUB", "NGN", "IDR", "IDRT", "BIDR", "BKRW", "VAI", "UST",
  "BTC", "ETH", "BNB", "XRP", "TRX", "DOGE", "DOT", "SOL", "PAX",
];

const QUOTES_BY_LENGTH = [...BINANCE_QUOTES].sort((a, b) => b.length - a.length);

/** Binance symbol mapping with optional instrument metadata. */
export class BinanceSymbols {
  private readonly known = new Map<string, string>();

  /** Records `raw` (e.g. `BTCUSDT`) as `base/quote` from exchangeInfo; overrides the suffix table. */
  setInstrument(raw: string, base: string, quote: string): void {
    const up = raw.toUpperCase();
    for (const key of this.known.keys()) if (key.toUpperCase() === up) this.known.delete(key);
    this.known.set(up, `${base.toUpperCase()}/${quote.toUpperCase()}`);
  }

  /** `BTCUSDT` (any case) → `BTC/USDT`; null when no known quote suffix leaves a base. */
  unify(raw: string): string | null {
    const direct = this.known.get(raw);
    if (direct !== undefined) return direct;
    const up = raw.toUpperCase();
    if (!ASSET.test(up)) return null;
    const hit = this.known.get(up);
    if (hit !== undefined) {
      if (this.known.size < 10_000) this.known.set(raw, hit);
      return hit;
    }
    for (const q of QUOTES_BY_LENGTH) {
      if (up.length > q.length && up.endsWith(q)) {
        const unified = `${up.slice(0, up.length - q.length)}/${q}`;
        if (this.known.size < 10_000) this.known.set(up, unified);
        return unified;
      }
    }
    return null;
  }
}
