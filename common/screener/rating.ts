/**
 * The technical rating, as traders know it from TradingView: a moving-average group (SMA and EMA
 * 10/20/30/50/100/200 against the close) and an oscillator group (RSI, Stochastic, CCI, ADX/DI,
 * Awesome Oscillator, Momentum, MACD, Williams %R, Bull Bear Power, Ultimate Oscillator), each
 * component voting −1 (sell), 0 (neutral) or +1 (buy) on the last bar. `rating_ma` and `rating_osc`
 * are the means of their group's votes, `rating` the mean of the two group means, all in [−1, 1].
 * A component without enough bars does not vote (its vote is null); a group with no votes is NaN.
 * The vote zones are documented in docs/screener.md and beside each rule below.
 */
import type { Indicator, Macd } from "../strategy/api.ts";
import { createTA } from "../strategy/engine/ta.ts";
import { Adx, AwesomeOscillator, type BarSeries, BullBearPower, Cci, Momentum, Stochastic, UltimateOscillator, WilliamsR } from "./oscillators.ts";

/** One bar as the rating reads it. */
export interface RatingBar {
  high: number;
  low: number;
  close: number;
}

/** A component's vote: −1 sell, 0 neutral, +1 buy, null without enough bars. */
export type Vote = -1 | 0 | 1 | null;

/** The rating of the last bar, with every component's vote. */
export interface Rating {
  rating: number;
  ma: number;
  osc: number;
  components: Record<string, Vote>;
}

/** The moving-average periods of the MA group. */
export const RATING_MA_PERIODS = [10, 20, 30, 50, 100, 200] as const;

/** Bars the slowest component needs before it votes (EMA/SMA 200). */
export const RATING_FULL_WARMUP = 200;

const ta = createTA();

/** Bars the windowed oscillators need for their last two values, with margin (AO: 34 + 1; UO: 28 + 2). */
const WINDOWED_TAIL = 60;

const rising = (s: { value: number; prev: number }): boolean => s.value > s.prev;
const falling = (s: { value: number; prev: number }): boolean => s.value < s.prev;

function vote(ready: boolean, buy: boolean, sell: boolean): Vote {
  if (!ready) return null;
  return buy ? 1 : sell ? -1 : 0;
}

/** Buy when the average is below the close, sell when above. */
function maVote(ma: Indicator, close: number): Vote {
  return vote(!Number.isNaN(ma.value), ma.value < close, ma.value > close);
}

function mean(votes: Vote[]): number {
  let sum = 0;
  let n = 0;
  for (const v of votes) {
    if (v === null) continue;
    sum += v;
    n++;
  }
  return n === 0 ? Number.NaN : sum / n;
}

/** Streaming technical rating of one symbol. */
export class TechnicalRating {
  private readonly sma = RATING_MA_PERIODS.map((p) => ta.sma(p));
  private readonly ema = RATING_MA_PERIODS.map((p) => ta.ema(p));
  private readonly rsi = ta.rsi(14);
  private readonly stoch = new Stochastic(14, 3, 3);
  private readonly cci = new Cci(20);
  private readonly adx = new Adx(14);
  private readonly ao = new AwesomeOscillator();
  private readonly mom = new Momentum(10);
  private readonly macd: Macd = ta.macd(12, 26, 9);
  private readonly wr = new WilliamsR(14);
  private readonly bbp = new BullBearPower(13);
  private readonly uo = new UltimateOscillator();
  /** Oscillators whose value depends on every bar so far (Wilder and EMA smoothing). */
  private readonly recursive: readonly BarSeries[] = [this.adx, this.bbp];
  /** Oscillators whose last two values depend only on the last {@link WINDOWED_TAIL} bars. */
  private readonly windowed: readonly BarSeries[] = [this.stoch, this.cci, this.ao, this.mom, this.wr, this.uo];
  private lastClose = Number.NaN;

  /**
   * Feeds one bar (oldest first). `remaining` is how many bars of the same batch follow it: the
   * moving windows skip bars that cannot reach the last two values (a screen reads only those), so a
   * long history costs the windows nothing; the smoothed indicators see every bar.
   */
  update(bar: RatingBar, remaining = 0): void {
    if (!Number.isFinite(bar.close) || !Number.isFinite(bar.high) || !Number.isFinite(bar.low)) return;
    this.lastClose = bar.close;
    if (remaining <= RATING_FULL_WARMUP) for (const s of this.sma) s.update(bar.close);
    for (const e of this.ema) e.update(bar.close);
    this.rsi.update(bar.close);
    this.macd.update(bar.close);
    for (const o of this.recursive) o.update(bar);
    if (remaining < WINDOWED_TAIL) for (const o of this.windowed) o.update(bar);
  }

  /** The moving-average votes, keyed `sma_10` … `ema_200`. */
  maVotes(): Record<string, Vote> {
    const votes: Record<string, Vote> = {};
    RATING_MA_PERIODS.forEach((p, i) => {
      votes[`sma_${p}`] = maVote(this.sma[i]!, this.lastClose);
      votes[`ema_${p}`] = maVote(this.ema[i]!, this.lastClose);
    });
    return votes;
  }

  /** The oscillator votes, by their usual buy/sell zones. */
  oscVotes(): Record<string, Vote> {
    const ready = (x: number): boolean => !Number.isNaN(x);
    const { rsi, stoch, cci, adx, ao, mom, macd, wr, bbp, uo } = this;
    const k = stoch.value;
    const d = stoch.d;
    return {
      rsi_14: vote(ready(rsi.value) && ready(rsi.prev), rsi.value < 30 && rising(rsi), rsi.value > 70 && falling(rsi)),
      stoch_14_3_3: vote(ready(k) && ready(d), k < 20 && d < 20 && k > d, k > 80 && d > 80 && k < d),
      cci_20: vote(ready(cci.value) && ready(cci.prev), cci.value < -100 && rising(cci), cci.value > 100 && falling(cci)),
      adx_14: vote(ready(adx.value), adx.value > 20 && adx.plusDi > adx.minusDi, adx.value > 20 && adx.plusDi < adx.minusDi),
      ao: vote(ready(ao.value) && ready(ao.prev), ao.value > 0 && rising(ao), ao.value < 0 && falling(ao)),
      mom_10: vote(ready(mom.value) && ready(mom.prev), rising(mom), falling(mom)),
      macd_12_26_9: vote(ready(macd.signal), macd.macd > macd.signal, macd.macd < macd.signal),
      willr_14: vote(ready(wr.value) && ready(wr.prev), wr.value < -80 && rising(wr), wr.value > -20 && falling(wr)),
      bbp_13: vote(ready(bbp.value) && ready(bbp.prev), bbp.value > 0 && rising(bbp), bbp.value < 0 && falling(bbp)),
      uo_7_14_28: vote(ready(uo.value), uo.value > 70, uo.value < 30),
    };
  }

  /** The rating of the last bar fed. */
  read(): Rating {
    const maVotes = this.maVotes();
    const oscVotes = this.oscVotes();
    const ma = mean(Object.values(maVotes));
    const osc = mean(Object.values(oscVotes));
    const rating = Number.isNaN(ma) || Number.isNaN(osc) ? (Number.isNaN(ma) ? osc : ma) : (ma + osc) / 2;
    return { rating, ma, osc, components: { ...maVotes, ...oscVotes } };
  }
}
