/**
 * The alert engine: rules grouped by series (venue, symbol, timeframe), each series with one
 * {@link TradeBarClock} — the paper runner's bar rule — fed with the venue's trades. A trade that
 * closes a bar lets every rule see the closed bar first (once-per-bar-close rules fire there, at the
 * closing trade's venue time), then the forming bar (intrabar rules). Live, `onClock` closes bars
 * the venue clock has passed; a replay ends with `flush`, which closes the last bar at its end.
 * The same engine runs `alerts test`, the live service and its catch-up after a restart.
 */
import { TIMEFRAMES } from "../market/bars.ts";
import { TradeBarClock, type ClosedTradeBar } from "../market/trade-bars.ts";
import { IndicatorPool } from "./indicators.ts";
import { RuleRunner, type RuleFiringState, type RuleOutput } from "./rule-runner.ts";
import type { AlertRule } from "./types.ts";

/** A trade as the engine reads it. */
export interface AlertTrade {
  symbol: string;
  price: string;
  size: string;
  ts: number;
  /** The venue's trade id, when known (used to drop a trade seen twice across a catch-up). */
  tradeId?: string;
}

interface Series {
  clock: TradeBarClock;
  /** The rules that test the forming bar on each trade (once, once per bar, every N seconds). */
  intrabar: RuleRunner[];
  /** Every rule of the series: each sees every closed bar (the others only remember it). */
  runners: RuleRunner[];
  /** Indicators shared by the series' rules. */
  pool: IndicatorPool;
}

/** Options of an {@link AlertEngine}. */
export interface AlertEngineOptions {
  /** Grace after a bar's end before the venue clock closes it; default the bar clock's (2 s). */
  graceMs?: number;
}

/** Evaluates rules on trades. */
export class AlertEngine {
  /** venue → symbol → timeframe ms → series. */
  private readonly series = new Map<string, Map<string, Map<number, Series>>>();
  private readonly runners = new Map<string, { runner: RuleRunner; series: Series }>();

  private readonly output: RuleOutput;
  private readonly options: AlertEngineOptions;

  constructor(output: RuleOutput, options: AlertEngineOptions = {}) {
    this.output = output;
    this.options = options;
  }

  /** Adds a rule (throws for a rule that cannot be evaluated here: a strategy alert runs in core's StrategySignals); replaces one with the same id. */
  add(rule: AlertRule, firing?: RuleFiringState): void {
    const series = this.seriesOf(rule.venue, rule.symbol, TIMEFRAMES[rule.timeframe]);
    const runner = new RuleRunner(rule, this.output, firing, series.pool);
    this.remove(rule.id);
    series.runners.push(runner);
    if (runner.intrabar) series.intrabar.push(runner);
    this.runners.set(rule.id, { runner, series });
  }

  /** Removes a rule; false when there was none. */
  remove(id: string): boolean {
    const entry = this.runners.get(id);
    if (!entry) return false;
    const { runners, intrabar } = entry.series;
    runners.splice(runners.indexOf(entry.runner), 1);
    if (entry.runner.intrabar) intrabar.splice(intrabar.indexOf(entry.runner), 1);
    this.runners.delete(id);
    return true;
  }

  /** Pauses (with a reason) or resumes a rule; false when there is none. */
  setPaused(id: string, reason: string | null): boolean {
    const entry = this.runners.get(id);
    if (!entry) return false;
    entry.runner.paused = reason;
    return true;
  }

  /** A rule's firing state, for persistence. */
  firing(id: string): RuleFiringState | null {
    const r = this.runners.get(id)?.runner;
    return r ? { firedOnce: r.firedOnce, paused: r.paused } : null;
  }

  /** The venues and symbols some rule watches. */
  watched(): { venue: string; symbol: string }[] {
    const out: { venue: string; symbol: string }[] = [];
    for (const [venue, bySymbol] of this.series) for (const symbol of bySymbol.keys()) out.push({ venue, symbol });
    return out;
  }

  /** A trade of `venue`. */
  onTrade(venue: string, trade: AlertTrade): void {
    const byTf = this.series.get(venue)?.get(trade.symbol);
    if (!byTf) return;
    for (const s of byTf.values()) {
      const step = s.clock.onTrade(trade);
      if (step.late) continue;
      if (step.closed) closeBar(s, step.closed);
      const forming = s.clock.formingPrices!;
      for (const r of s.intrabar) r.onForming(forming, trade.ts);
    }
  }

  /** Live: the venue clock of `venue` reads `venueNow`; closes bars it has passed (plus grace). */
  onClock(venue: string, venueNow: number): void {
    const bySymbol = this.series.get(venue);
    if (!bySymbol) return;
    for (const byTf of bySymbol.values()) {
      for (const s of byTf.values()) {
        const closed = s.clock.onClock(venueNow);
        if (closed) closeBar(s, closed);
      }
    }
  }

  /** End of a replay: closes every forming bar at its end. */
  flush(): void {
    for (const bySymbol of this.series.values()) {
      for (const byTf of bySymbol.values()) {
        for (const s of byTf.values()) {
          const closed = s.clock.flush();
          if (closed) closeBar(s, closed);
        }
      }
    }
  }

  private seriesOf(venue: string, symbol: string, tfMs: number): Series {
    let bySymbol = this.series.get(venue);
    if (!bySymbol) this.series.set(venue, (bySymbol = new Map()));
    let byTf = bySymbol.get(symbol);
    if (!byTf) bySymbol.set(symbol, (byTf = new Map()));
    let s = byTf.get(tfMs);
    if (!s) byTf.set(tfMs, (s = { clock: new TradeBarClock(tfMs, { graceMs: this.options.graceMs }), intrabar: [], runners: [], pool: new IndicatorPool() }));
    return s;
  }
}

function closeBar(s: Series, closed: ClosedTradeBar): void {
  for (const r of s.runners) r.onClosed(closed.bar, closed.closeTime);
}
