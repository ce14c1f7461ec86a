/**
 * Paper accounts: one per venue, with a balance per asset, and inside it one sub-ledger per
 * running strategy and one for manual trading, per symbol. A sub-ledger keeps its position,
 * realized and unrealized P&L and fees with the same netting accounting as a backtest (so its
 * round trips are a backtest's trades, timed by the venue times of their fills). Everything here
 * is a fold of the fills: a restart rebuilds it by applying the stored fills again in order.
 */
import { Accounting } from "../../common/strategy/engine/accounting.ts";
import type { TradeRecord } from "../../common/strategy/results.ts";
import { sideSign, type LedgerId, type OrderSide } from "../../common/trading/orders.ts";

/** The base and quote assets of a `BASE/QUOTE` symbol. */
export function assetsOf(symbol: string): { base: string; quote: string } {
  const [base, quote] = symbol.split("/");
  if (!base || !quote) throw new RangeError(`a symbol is BASE/QUOTE, not "${symbol}"`);
  return { base, quote };
}

/** One sub-ledger: a strategy's (or manual trading's) book in one symbol. */
export class SubLedger {
  readonly id: LedgerId;
  readonly symbol: string;
  readonly startCash: number;
  readonly acct: Accounting;
  fees = 0;
  /** UTC day (ms of its midnight) and the equity at its start, for the daily loss limit. */
  private day = Number.NaN;
  private dayEquity = 0;

  constructor(id: LedgerId, symbol: string, startCash: number) {
    this.id = id;
    this.symbol = symbol;
    this.startCash = startCash;
    this.acct = new Accounting(startCash);
  }

  /** Signed position size. */
  get size(): number {
    return this.acct.size;
  }

  /** Applies a fill; returns the round trip it closed, if any. */
  fill(side: OrderSide, size: number, price: number, fee: number, time: number): TradeRecord | null {
    this.fees += fee;
    return this.acct.fill(sideSign(side), size, price, fee, time);
  }

  /** Realized P&L net of fees (closed trades plus the realized part of the open one). */
  realized(mark: number): number {
    return this.acct.equityAt(mark) - this.startCash - this.unrealized(mark);
  }

  /** The open position marked at `mark`. */
  unrealized(mark: number): number {
    return this.acct.size === 0 ? 0 : (mark - this.acct.avgPrice) * this.acct.size;
  }

  /** Equity change since the start of `time`'s UTC day (the first call in a day sets the mark). */
  dailyPnl(mark: number, time: number): number {
    const day = Math.floor(time / 86_400_000) * 86_400_000;
    const equity = this.acct.equityAt(mark);
    if (day !== this.day) {
      this.day = day;
      this.dayEquity = equity;
    }
    return equity - this.dayEquity;
  }

  /** Round trips: closed ones, plus the open one marked at `mark`. */
  trades(mark: number): TradeRecord[] {
    const open = this.acct.openTrade(mark);
    return open ? [...this.acct.closed, open] : this.acct.closed.slice();
  }
}

/** A venue's paper account: balances per asset and its sub-ledgers. */
export class PaperAccount {
  readonly id: string;
  readonly venue: string;
  readonly balances = new Map<string, number>();
  private readonly ledgers = new Map<string, SubLedger>();

  constructor(id: string, venue: string, starting: Readonly<Record<string, number>>) {
    this.id = id;
    this.venue = venue;
    for (const [asset, amount] of Object.entries(starting)) this.balances.set(asset, amount);
  }

  /** The sub-ledger of `ledger` in `symbol`, created with `startCash` when new. */
  ledger(ledger: LedgerId, symbol: string, startCash = 0): SubLedger {
    const key = `${ledger}\u0000${symbol}`;
    let l = this.ledgers.get(key);
    if (!l) this.ledgers.set(key, (l = new SubLedger(ledger, symbol, startCash)));
    return l;
  }

  /** Every sub-ledger. */
  all(): SubLedger[] {
    return [...this.ledgers.values()];
  }

  /** Applies a fill to the balances and the sub-ledger. */
  fill(ledger: LedgerId, symbol: string, side: OrderSide, size: number, price: number, fee: number, time: number): TradeRecord | null {
    const { base, quote } = assetsOf(symbol);
    const s = sideSign(side);
    this.balances.set(base, (this.balances.get(base) ?? 0) + s * size);
    this.balances.set(quote, (this.balances.get(quote) ?? 0) - s * size * price - fee);
    return this.ledger(ledger, symbol).fill(side, size, price, fee, time);
  }
}
