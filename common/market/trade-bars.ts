/**
 * Bars built from a venue's trades on the venue's clock — the one rule the paper runner, alerts and
 * replays share:
 * - a trade belongs to the bar its venue time falls in (`floor(ts / tf) * tf`, UTC, the bar's open
 *   time); a period with no trade makes no bar (none is invented or carried forward);
 * - a bar closes when a trade with a venue time at or after its end arrives (`closedBy: "trade"`),
 *   or, live, when the venue clock (local clock + measured offset) passes its end plus a grace
 *   (`closedBy: "clock"`, 2 s by default), whichever comes first; in a replay there is no wall
 *   clock, so only a later trade or the end of the file (`closedBy: "end"`) closes it;
 * - a trade older than the forming bar (its bar already closed) is counted as late and changes
 *   nothing: a closed bar never reopens.
 * Prices stay the venue's decimal strings (open/high/low/close are trades' own prices) and the
 * volume is summed exactly as a scaled integer, so a bar's figures are exact decimals.
 */
import { compareDecimal, fromScaled, normalizeDecimal, toScaled } from "./decimal.ts";

/** A bar built from trades; prices and volume are canonical decimal strings. */
export interface TradeBar {
  /** Open time, UTC ms. */
  time: number;
  open: string;
  high: string;
  low: string;
  close: string;
  volume: string;
  /** Trades in the bar. */
  trades: number;
  /** Venue time of the bar's last trade. */
  lastTradeTime: number;
}

/** A bar that closed, with what closed it. */
export interface ClosedTradeBar {
  bar: TradeBar;
  closedBy: "trade" | "clock" | "end";
  /** Venue time at which it closed: the closing trade's time, the clock's time, or the bar's end for `end`. */
  closeTime: number;
}

/** What a trade did to the clock. */
export interface TradeStep {
  /** The bar this trade closed, if it started a new one. */
  closed: ClosedTradeBar | null;
  /** True when the trade was older than the forming bar and was only counted. */
  late: boolean;
}

/** A trade as the bar clock reads it: venue time and the wire's decimal strings. */
export interface BarTrade {
  ts: number;
  price: string;
  size: string;
}

/** Options of a {@link TradeBarClock}. */
export interface TradeBarClockOptions {
  /** How long after a bar's end (venue clock) a live bar closes without a later trade; default 2,000 ms. */
  graceMs?: number;
}

const VOLUME_SCALE = 18;

let lastSizeText = "";
let lastSize = 0n;

/**
 * `toScaled(size)`, remembering the last size read: each bar clock of a symbol (one per timeframe)
 * reads the same trade in turn, and a bigint parse per clock per trade showed in profiles.
 */
function scaledSize(text: string): bigint {
  if (text !== lastSizeText) {
    lastSize = toScaled(text, VOLUME_SCALE);
    lastSizeText = text;
  }
  return lastSize;
}

/** Builds bars of `tfMs` from trades in venue-time order and says when each closes. */
export class TradeBarClock {
  readonly tfMs: number;
  readonly graceMs: number;
  private forming: { bar: TradeBar; volume: bigint } | null = null;
  /** The end of the last closed bar: trades before it are late. */
  private closedUntil = -Infinity;
  private late = 0;

  constructor(tfMs: number, options: TradeBarClockOptions = {}) {
    if (!Number.isInteger(tfMs) || tfMs <= 0) throw new RangeError(`a bar period must be a positive whole number of ms, not ${tfMs}`);
    this.tfMs = tfMs;
    this.graceMs = options.graceMs ?? 2000;
  }

  /** Trades that arrived after their bar had closed. */
  get lateTrades(): number {
    return this.late;
  }

  /** The bar being built (a copy), if any. */
  get current(): TradeBar | null {
    return this.forming ? { ...this.forming.bar, volume: fromScaled(this.forming.volume, VOLUME_SCALE) } : null;
  }

  /**
   * The bar being built without a copy, for hot paths that read its prices and times on every
   * trade (its volume is summed elsewhere and not part of it); read-only, valid until the next trade.
   */
  get formingPrices(): Readonly<Omit<TradeBar, "volume">> | null {
    return this.forming?.bar ?? null;
  }

  /** The open time of the bar `ts` falls in. */
  bucket(ts: number): number {
    return Math.floor(ts / this.tfMs) * this.tfMs;
  }

  /** Adds a trade; closes the forming bar first when the trade's venue time is at or after its end. */
  onTrade(trade: BarTrade): TradeStep {
    if (!Number.isFinite(trade.ts)) throw new RangeError(`a trade time must be a finite number of ms, not ${trade.ts}`);
    const time = this.bucket(trade.ts);
    if (trade.ts < this.closedUntil || (this.forming !== null && time < this.forming.bar.time)) {
      this.late++;
      return { closed: null, late: true };
    }
    let closed: ClosedTradeBar | null = null;
    if (this.forming !== null && time > this.forming.bar.time) closed = this.close("trade", trade.ts);
    this.extend(time, trade);
    return { closed, late: false };
  }

  /** Live: closes the forming bar once the venue clock reaches its end plus the grace. */
  onClock(venueNow: number): ClosedTradeBar | null {
    if (this.forming === null || venueNow < this.forming.bar.time + this.tfMs + this.graceMs) return null;
    return this.close("clock", venueNow);
  }

  /** End of a replay (or a stop): closes the forming bar at its end. */
  flush(): ClosedTradeBar | null {
    if (this.forming === null) return null;
    return this.close("end", this.forming.bar.time + this.tfMs);
  }

  private extend(time: number, trade: BarTrade): void {
    const price = normalizeDecimal(trade.price);
    const size = scaledSize(trade.size);
    const f = this.forming;
    if (f === null) {
      const bar = { time, open: price, high: price, low: price, close: price, volume: "0", trades: 1, lastTradeTime: trade.ts };
      this.forming = { bar, volume: size };
      return;
    }
    if (compareDecimal(price, f.bar.high) > 0) f.bar.high = price;
    if (compareDecimal(price, f.bar.low) < 0) f.bar.low = price;
    f.bar.close = price;
    f.bar.trades++;
    f.bar.lastTradeTime = Math.max(f.bar.lastTradeTime, trade.ts);
    f.volume += size;
  }

  private close(closedBy: ClosedTradeBar["closedBy"], closeTime: number): ClosedTradeBar {
    const f = this.forming as { bar: TradeBar; volume: bigint };
    this.forming = null;
    this.closedUntil = f.bar.time + this.tfMs;
    return { bar: { ...f.bar, volume: fromScaled(f.volume, VOLUME_SCALE) }, closedBy, closeTime };
  }
}
