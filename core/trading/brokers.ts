/**
 * The paper brokers of the order layer: per venue/symbol, one with the engine's fill model and
 * costs (manual orders, sub-ledgers without settings of their own) and one per distinct fill
 * setting a sub-ledger was given (a paper session deployed with its own fill model, maker/taker
 * fees, slippage and latency). Every broker of a symbol sees its trades and books; one opened later
 * starts from the market the default one has seen.
 */
import type { PaperFillView } from "../../common/api/trading.ts";
import type { Pricing } from "../../common/strategy/engine/pricing.ts";
import type { LedgerId } from "../../common/trading/orders.ts";
import { PaperBroker, type FillModel, type PaperHooks } from "./paper-broker.ts";

/** A sub-ledger's own fill model and costs. */
export type LedgerFill = PaperFillView;

/** What the brokers are built from. */
export interface PaperBrokersOptions {
  fillModel: FillModel;
  latencyMs: number;
  /** The instrument's grid and the engine's costs. */
  pricingOf(venue: string, symbol: string): Pricing;
  hooks: PaperHooks;
}

/** The brokers of every venue/symbol and fill setting. */
export class PaperBrokers {
  private readonly opts: PaperBrokersOptions;
  /** `venue symbol` → setting key ("" for the engine's own) → broker. */
  private readonly bySymbol = new Map<string, Map<string, PaperBroker>>();
  /** `venue symbol` → its brokers, the engine's own first (read on every trade). */
  private readonly lists = new Map<string, PaperBroker[]>();
  private readonly fills = new Map<LedgerId, LedgerFill>();

  constructor(opts: PaperBrokersOptions) {
    this.opts = opts;
  }

  /** Gives a sub-ledger its own fill model and costs (its orders from now on, and those put back at a restore). */
  setFill(ledger: LedgerId, fill: LedgerFill): void {
    this.fills.set(ledger, { ...fill });
  }

  /** The broker with the engine's fill model and costs. */
  of(venue: string, symbol: string): PaperBroker {
    return this.get(venue, symbol, null);
  }

  /** The broker the orders of `ledger` work on. */
  forLedger(venue: string, symbol: string, ledger: LedgerId): PaperBroker {
    return this.get(venue, symbol, this.fills.get(ledger) ?? null);
  }

  /** Every broker of a venue/symbol, the engine's own first. */
  all(venue: string, symbol: string): readonly PaperBroker[] {
    return this.lists.get(`${venue} ${symbol}`) ?? [this.of(venue, symbol)];
  }

  private get(venue: string, symbol: string, fill: LedgerFill | null): PaperBroker {
    const key = `${venue} ${symbol}`;
    let group = this.bySymbol.get(key);
    if (!group) {
      group = new Map();
      this.bySymbol.set(key, group);
    }
    const setting = fill ? [fill.fillModel, fill.makerFee, fill.takerFee, fill.slippageBps, fill.latencyMs].join(" ") : "";
    const found = group.get(setting);
    if (found) return found;
    const pricing = this.opts.pricingOf(venue, symbol);
    const broker = fill
      ? new PaperBroker({ fillModel: fill.fillModel, pricing: pricing.withCosts(fill), latencyMs: fill.latencyMs }, this.opts.hooks)
      : new PaperBroker({ fillModel: this.opts.fillModel, pricing, latencyMs: this.opts.latencyMs }, this.opts.hooks);
    if (fill) broker.adoptMarket(this.of(venue, symbol));
    group.set(setting, broker);
    this.lists.set(key, [...group.values()]);
    return broker;
  }
}
