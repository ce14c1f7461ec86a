/**
 * The instrument rules of core's paper trading, from the venue's instrument info (the feed
 * manager's instrument list, cached for a day and in the app database): tick and lot as the
 * order grid, and the venue's minimum notional. An instrument the venue does not list (or a venue
 * whose list cannot be fetched) has no rules: orders go through unrounded, as before.
 */
import type { Instrument } from "../../common/api/market.ts";
import { Pricing } from "../../common/strategy/engine/pricing.ts";
import type { FeedManager } from "../feeds/manager.ts";
import type { Logger } from "../log.ts";
import type { InstrumentRules } from "./engine.ts";

/** An instrument's rules, built once per instrument answer. */
export function rulesOf(instrument: Instrument, commission: number): InstrumentRules {
  return {
    pricing: new Pricing({ instrument: { tickSize: Number(instrument.tickSize), lotSize: Number(instrument.lotSize) }, commission, slippageBps: 0 }),
    minNotional: instrument.minNotional === undefined ? null : Number(instrument.minNotional),
  };
}

/** Rules per venue and symbol, read synchronously from the instruments loaded so far. */
export class VenueRules {
  private readonly feeds: Pick<FeedManager, "instruments" | "cachedInstruments">;
  private readonly commission: number;
  private readonly log: Logger;
  private readonly built = new Map<string, { from: Instrument; rules: InstrumentRules }>();

  constructor(feeds: Pick<FeedManager, "instruments" | "cachedInstruments">, commission: number, log: Logger) {
    this.feeds = feeds;
    this.commission = commission;
    this.log = log;
  }

  /** Loads a venue's instruments (a failure is logged: its orders then go without rules). */
  async load(venue: string): Promise<void> {
    await this.feeds.instruments(venue).catch((err: Error) => this.log.warn({ venue, err: err.message }, "paper orders go without the venue's tick/lot/min-notional rules"));
  }

  /** The rules of `symbol` on `venue`, or undefined when its instrument is not known. */
  of(venue: string, symbol: string): InstrumentRules | undefined {
    const instrument = this.feeds.cachedInstruments(venue)?.find((i) => i.symbol === symbol);
    if (!instrument) return undefined;
    const key = `${venue} ${symbol}`;
    const hit = this.built.get(key);
    if (hit?.from === instrument) return hit.rules;
    const rules = rulesOf(instrument, this.commission);
    this.built.set(key, { from: instrument, rules });
    return rules;
  }
}
