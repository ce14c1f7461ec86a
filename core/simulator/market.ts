/**
 * The simulated market behind every simulated venue: per symbol, an order book of integer price
 * ticks and integer size lots that a seeded random walk moves one step at a time. A step is either
 * a trade (a taker takes the best levels, which shrink or disappear; sized so a minute's volume
 * matches the synthetic history's) or a book change (a level is resized, removed or added, inside
 * the spread when there is room); the spread never stays wider than {@link MAX_SPREAD_TICKS}. Each step reports exactly the
 * levels it changed, so venue formatters turn it into snapshots, diffs and trades without rounding:
 * prices and sizes are rendered from integers by {@link formatFixed}, never through float.
 */
import { SyntheticHistory } from "./history.ts";

/** `units` × 10^-decimals as a decimal string with exactly `decimals` fraction digits. */
export function formatFixed(units: number, decimals: number): string {
  const s = String(units);
  if (decimals === 0) return s;
  const padded = s.padStart(decimals + 1, "0");
  return `${padded.slice(0, padded.length - decimals)}.${padded.slice(padded.length - decimals)}`;
}

/** Static description of a simulated instrument. */
export interface SimInstrument {
  /** Unified symbol, e.g. `BTC/USD`. */
  symbol: string;
  base: string;
  quote: string;
  priceDecimals: number;
  sizeDecimals: number;
  /** Starting mid price in ticks. */
  startTicks: number;
}

/** One level change; lots 0 removes the level. */
export interface LevelChange {
  side: "bid" | "ask";
  ticks: number;
  lots: number;
}

/** One simulated trade; `side` is the taker side. */
export interface SimTrade {
  id: number;
  side: "buy" | "sell";
  ticks: number;
  lots: number;
  ts: number;
}

/** What one step did. */
export interface StepResult {
  trade: SimTrade | null;
  changes: LevelChange[];
  ts: number;
}

/** A one-minute candle in ticks and lots. */
export interface SimCandle {
  t: number;
  open: number;
  high: number;
  low: number;
  close: number;
  lots: number;
  trades: number;
}

/** Default instruments: a few liquid pairs with realistic precisions. */
export function defaultInstrument(symbol: string): SimInstrument {
  const [base = "BTC", quote = "USD"] = symbol.split("/");
  const known: Record<string, [number, number]> = { BTC: [1, 43_000_0], ETH: [2, 2_300_00], SOL: [3, 98_500], DOGE: [5, 8_500] };
  const [priceDecimals, startTicks] = known[base] ?? [2, 100_00];
  return { symbol, base, quote, priceDecimals, sizeDecimals: 8, startTicks };
}

const DEPTH = 60;
const MAX_LOTS = 250_000_000;
/** Lots of an average minute's volume in the synthetic history (a few dozen top-of-book takers). */
const HISTORY_MINUTE_LOTS = 40 * MAX_LOTS;
/** The widest spread the book keeps, in ticks: wider, levels are added inside it (a liquid pair's spread). */
export const MAX_SPREAD_TICKS = 6;
/** Trades a minute assumed until a whole minute was seen. */
const DEFAULT_TRADES_PER_MINUTE = 90;
/** Levels one trade may take at most (a larger order leaves the rest unfilled). */
const MAX_SWEEP = 4;

/** One symbol's simulated book and trade tape. */
export class SimMarket {
  readonly instrument: SimInstrument;
  /** Bids best (highest) first, as [ticks, lots]. */
  readonly bids: [number, number][] = [];
  /** Asks best (lowest) first. */
  readonly asks: [number, number][] = [];
  readonly recentTrades: SimTrade[] = [];
  private nextTradeId = 1;
  private readonly random: () => number;
  private candle: SimCandle | null = null;
  readonly candles: SimCandle[] = [];
  private readonly history: SyntheticHistory;
  /** Trades per minute seen lately (a running mean), which sizes trades so a minute's volume matches the history's. */
  private tradesPerMinute = DEFAULT_TRADES_PER_MINUTE;
  private tradeMinute = -1;
  private tradesThisMinute = 0;
  /** True while the first minute seen is counted: it started part way, so it does not count. */
  private partialMinute = true;

  /** `startedAt`: when the simulation starts (UTC ms); the synthetic history ends there. */
  constructor(instrument: SimInstrument, random: () => number, startedAt = Date.now()) {
    this.instrument = instrument;
    this.random = random;
    this.history = new SyntheticHistory(instrument.symbol, startedAt, instrument.startTicks, HISTORY_MINUTE_LOTS);
    const mid = instrument.startTicks;
    for (let i = 0; i < DEPTH; i++) {
      this.bids.push([mid - 1 - i * 2, this.lots()]);
      this.asks.push([mid + 1 + i * 2, this.lots()]);
    }
  }

  private lots(): number {
    return 1 + Math.floor(this.random() * this.random() * MAX_LOTS);
  }

  /** Mid price in ticks (integer division). */
  mid(): number {
    return Math.floor((this.bids[0]![0] + this.asks[0]![0]) / 2);
  }

  /** Moves the market one step at time `ts`; `tradeShare` is the probability the step is a trade. */
  step(ts: number, tradeShare = 0.3): StepResult {
    const changes: LevelChange[] = [];
    let trade: SimTrade | null = null;
    if (this.random() < tradeShare) trade = this.trade(ts, changes);
    else this.change(changes);
    this.tighten(changes);
    this.refill(changes);
    return { trade, changes, ts };
  }

  /**
   * A market order of a size that makes a minute's volume match the synthetic history's at the
   * rate trades arrive (so candles keep their volume after the hand-over from history to live); it
   * takes the best levels in turn, at most {@link MAX_SWEEP}, and prints at the last one it took.
   */
  private trade(ts: number, changes: LevelChange[]): SimTrade {
    const side = this.random() < 0.5 ? "buy" : "sell";
    const book = side === "buy" ? this.asks : this.bids;
    const bookSide = side === "buy" ? "ask" : "bid";
    let wanted = Math.max(1, Math.round((HISTORY_MINUTE_LOTS / this.countTrade(ts)) * (0.2 + 1.6 * this.random())));
    let lots = 0;
    let ticks = book[0]![0];
    for (let n = 0; n < MAX_SWEEP && wanted > 0 && book.length > 1; n++) {
      const level = book[0]!;
      const take = Math.min(wanted, level[1]);
      level[1] -= take;
      wanted -= take;
      lots += take;
      ticks = level[0];
      if (level[1] > 0) {
        changes.push({ side: bookSide, ticks: level[0], lots: level[1] });
        break;
      }
      book.shift();
      changes.push({ side: bookSide, ticks: level[0], lots: 0 });
    }
    const t: SimTrade = { id: this.nextTradeId++, side, ticks, lots: Math.max(1, lots), ts };
    this.recentTrades.push(t);
    if (this.recentTrades.length > 50) this.recentTrades.shift();
    this.addToCandle(t);
    return t;
  }

  /** Counts a trade at `ts` and returns the trades a minute to size it by (the mean of the last whole minutes). */
  private countTrade(ts: number): number {
    const minute = Math.floor(ts / 60_000);
    if (minute !== this.tradeMinute) {
      if (minute === this.tradeMinute + 1 && !this.partialMinute) this.tradesPerMinute = Math.max(1, (this.tradesPerMinute + this.tradesThisMinute) / 2);
      this.partialMinute = this.tradeMinute === -1;
      this.tradeMinute = minute;
      this.tradesThisMinute = 0;
    }
    this.tradesThisMinute++;
    return this.tradesPerMinute;
  }

  /** Keeps the spread within {@link MAX_SPREAD_TICKS}: adds levels just inside it, either side. */
  private tighten(changes: LevelChange[]): void {
    while (this.asks[0]![0] - this.bids[0]![0] > MAX_SPREAD_TICKS) {
      const isBid = this.random() < 0.5;
      const ticks = isBid ? this.bids[0]![0] + 1 : this.asks[0]![0] - 1;
      const lots = this.lots();
      (isBid ? this.bids : this.asks).unshift([ticks, lots]);
      changes.push({ side: isBid ? "bid" : "ask", ticks, lots });
    }
  }

  private change(changes: LevelChange[]): void {
    const isBid = this.random() < 0.5;
    const book = isBid ? this.bids : this.asks;
    const side = isBid ? "bid" : "ask";
    const r = this.random();
    const spread = this.asks[0]![0] - this.bids[0]![0];
    if (r < 0.15 && spread > 1) {
      const ticks = isBid ? this.bids[0]![0] + 1 : this.asks[0]![0] - 1;
      const lots = this.lots();
      book.unshift([ticks, lots]);
      changes.push({ side, ticks, lots });
      return;
    }
    const i = Math.min(book.length - 1, Math.floor(-Math.log(1 - this.random()) * 4));
    const level = book[i]!;
    if (r < 0.35 && book.length > 2) {
      book.splice(i, 1);
      changes.push({ side, ticks: level[0], lots: 0 });
      return;
    }
    level[1] = this.lots();
    changes.push({ side, ticks: level[0], lots: level[1] });
  }

  /** Keeps each side at least DEPTH levels deep by adding levels past the worst one. */
  private refill(changes: LevelChange[]): void {
    for (const [book, side, dir] of [[this.bids, "bid", -1], [this.asks, "ask", 1]] as const) {
      while (book.length < DEPTH) {
        const worst = book.length > 0 ? book[book.length - 1]![0] : this.mid() + dir;
        const ticks = worst + dir * (1 + Math.floor(this.random() * 3));
        if (ticks <= 0) break;
        const lots = this.lots();
        book.push([ticks, lots]);
        changes.push({ side, ticks, lots });
      }
    }
  }

  private addToCandle(t: SimTrade): void {
    const minute = Math.floor(t.ts / 60_000) * 60_000;
    if (!this.candle || this.candle.t !== minute) {
      this.candle = { t: minute, open: t.ticks, high: t.ticks, low: t.ticks, close: t.ticks, lots: 0, trades: 0 };
      this.candles.push(this.candle);
      if (this.candles.length > 1440) this.candles.shift();
    }
    const c = this.candle;
    c.high = Math.max(c.high, t.ticks);
    c.low = Math.min(c.low, t.ticks);
    c.close = t.ticks;
    c.lots += t.lots;
    c.trades++;
  }

  /** Price text of `ticks`. */
  price(ticks: number): string {
    return formatFixed(ticks, this.instrument.priceDecimals);
  }

  /** Size text of `lots`. */
  size(lots: number): string {
    return formatFixed(lots, this.instrument.sizeDecimals);
  }

  /**
   * One-minute candles covering [from, to): the synthetic history before the simulation started
   * (`history.ts`: a market that has been moving, so a chart is never empty or flat), then the
   * recorded candles where trades happened, a flat candle at the last close in a minute without
   * trades.
   */
  candleRange(from: number, to: number, limit: number): SimCandle[] {
    const out: SimCandle[] = [];
    const known = new Map(this.candles.map((c) => [c.t, c]));
    const live = this.candles[0]?.t ?? Number.POSITIVE_INFINITY;
    let price = this.candles[0]?.open ?? this.mid();
    for (let t = Math.ceil(from / 60_000) * 60_000; t < to && out.length < limit; t += 60_000) {
      const c = known.get(t);
      if (c) {
        out.push(c);
        price = c.close;
      } else if (t < this.history.end && t < live) out.push(this.history.candle(t));
      else out.push({ t, open: price, high: price, low: price, close: price, lots: 0, trades: 0 });
    }
    return out;
  }
}
