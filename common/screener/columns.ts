/**
 * The screener's built-in columns: parsing of column ids (`last`, `change_pct_N`, `atr_pct_N`,
 * `rvol_N`, `sma_dist_pct_N`, `rsi_N`, `volume_N`, `rating`, `rating_ma`, `rating_osc`) and the
 * streaming calculator of one symbol's columns. Bars are fed oldest first; feeding later bars
 * continues from the state, so a refresh on bar close costs only the new bars. A column without
 * enough bars reads NaN and says why in a note.
 */
import type { Indicator } from "../strategy/api.ts";
import { createTA } from "../strategy/engine/ta.ts";
import { TechnicalRating, type Rating, RATING_FULL_WARMUP } from "./rating.ts";

/** One bar as the columns read it. */
export interface ScreenBar {
  open: number;
  high: number;
  low: number;
  close: number;
  volume: number;
}

/** The kinds of column with a period N. */
export const PERIOD_KINDS = ["change_pct", "atr_pct", "rvol", "sma_dist_pct", "rsi", "volume"] as const;

/** The kinds of column without a period. */
export const PLAIN_KINDS = ["last", "rating", "rating_ma", "rating_osc"] as const;

/** A parsed column id. */
export type ColumnSpec = { id: string; kind: (typeof PERIOD_KINDS)[number]; n: number } | { id: string; kind: (typeof PLAIN_KINDS)[number] };

/** The built-in set (the benchmark's and the UI's default). */
export const DEFAULT_COLUMNS = "last,change_pct_24,atr_pct_14,rvol_20,sma_dist_pct_50,rsi_14,volume_24,rating,rating_ma,rating_osc";

const MAX_PERIOD = 10_000;

/** Parses one column id; throws an Error naming an unknown one. */
export function parseColumn(raw: string): ColumnSpec {
  const id = raw.trim();
  if ((PLAIN_KINDS as readonly string[]).includes(id)) return { id, kind: id as (typeof PLAIN_KINDS)[number] };
  const m = /^([a-z_]+?)_(\d+)$/.exec(id);
  if (m && (PERIOD_KINDS as readonly string[]).includes(m[1]!)) {
    const n = Number(m[2]);
    if (n < 1 || n > MAX_PERIOD) throw new Error(`column ${id}: N must be between 1 and ${MAX_PERIOD}`);
    return { id, kind: m[1] as (typeof PERIOD_KINDS)[number], n };
  }
  const known = [...PLAIN_KINDS, ...PERIOD_KINDS.map((k) => `${k}_N`)].join(", ");
  throw new Error(`unknown column "${id}" (known: ${known})`);
}

/** Parses a comma-separated column LIST (duplicates dropped, order kept). */
export function parseColumns(list: string): ColumnSpec[] {
  const ids = [...new Set(list.split(",").map((s) => s.trim()).filter((s) => s !== ""))];
  if (ids.length === 0) throw new Error("no columns given");
  return ids.map(parseColumn);
}

/** Bars a column needs before it has a value. */
export function barsNeeded(spec: ColumnSpec): number {
  switch (spec.kind) {
    case "last":
      return 1;
    case "change_pct":
    case "rvol":
    case "rsi":
      return spec.n + 1;
    case "atr_pct":
    case "sma_dist_pct":
    case "volume":
      return spec.n;
    default:
      return RATING_FULL_WARMUP;
  }
}

const ta = createTA();

/** A ring of the last `n` values. */
class Ring {
  private readonly buf: Float64Array;
  count = 0;
  constructor(n: number) {
    this.buf = new Float64Array(n);
  }
  push(x: number): void {
    this.buf[this.count % this.buf.length] = x;
    this.count++;
  }
  /** The value `back` pushes ago (0 = the last). */
  at(back: number): number {
    return back >= this.buf.length || back >= this.count ? Number.NaN : this.buf[(this.count - 1 - back) % this.buf.length]!;
  }
}

/** A column's state: `window` = bars before the last that can change its value (Infinity: every bar matters). */
type Calc = { push(bar: ScreenBar): void; read(): number; window: number };

function periodCalc(spec: Extract<ColumnSpec, { n: number }>): Calc {
  const n = spec.n;
  switch (spec.kind) {
    case "change_pct": {
      const closes = new Ring(n + 1);
      return { push: (b) => closes.push(b.close), read: () => (closes.at(0) / closes.at(n) - 1) * 100, window: n + 1 };
    }
    case "atr_pct": {
      const atr = ta.atr(n);
      let close = Number.NaN;
      return { push: (b) => ((close = b.close), atr.update(b)), read: () => (atr.value / close) * 100, window: Infinity };
    }
    case "rvol": {
      const prior = ta.sma(n);
      let before = Number.NaN;
      let volume = Number.NaN;
      return { push: (b) => ((before = prior.value), (volume = b.volume), prior.update(b.volume)), read: () => volume / before, window: n + 1 };
    }
    case "sma_dist_pct":
      return closeCalc(ta.sma(n), (sma, close) => (close / sma - 1) * 100, n);
    case "rsi":
      return closeCalc(ta.rsi(n), (rsi) => rsi, Infinity);
    case "volume": {
      const mean = ta.sma(n);
      return { push: (b) => mean.update(b.volume), read: () => mean.value * n, window: n };
    }
  }
}

function closeCalc(ind: Indicator, read: (value: number, close: number) => number, window: number): Calc {
  let close = Number.NaN;
  return { push: (b) => ((close = b.close), ind.update(b.close)), read: () => read(ind.value, close), window };
}

/** A symbol's columns, fed bar by bar. */
export class SymbolColumns {
  /** Bars fed so far. */
  bars = 0;
  private readonly calcs = new Map<string, Calc>();
  private readonly calcList: Calc[] = [];
  private rating: TechnicalRating | null = null;
  private last = Number.NaN;

  readonly specs: readonly ColumnSpec[];

  constructor(specs: readonly ColumnSpec[]) {
    this.specs = specs;
    for (const spec of specs) {
      if ("n" in spec) {
        const calc = periodCalc(spec);
        this.calcs.set(spec.id, calc);
        this.calcList.push(calc);
      }
      else if (spec.kind !== "last") this.rating ??= new TechnicalRating();
    }
  }

  /**
   * Feeds one bar (oldest first); bars with a non-finite close are skipped. `remaining` is how many
   * bars of the same batch follow: columns over a window skip the bars that cannot reach their last
   * value (the result is the same; a long history costs them nothing).
   */
  push(bar: ScreenBar, remaining = 0): void {
    if (!Number.isFinite(bar.close)) return;
    this.bars++;
    this.last = bar.close;
    for (const calc of this.calcList) if (remaining < calc.window) calc.push(bar);
    this.rating?.update(bar, remaining);
  }

  /** Every column's value (NaN without enough bars), the rating's votes, and notes on NaNs. */
  read(): { values: Record<string, number>; rating: Rating | null; notes: string[] } {
    const values: Record<string, number> = {};
    const notes: string[] = [];
    const rating = this.rating?.read() ?? null;
    for (const spec of this.specs) {
      const v = valueOf(spec, this.calcs.get(spec.id), rating, this.last);
      values[spec.id] = Number.isFinite(v) ? v : Number.NaN;
      const needed = barsNeeded(spec);
      if (Number.isNaN(values[spec.id]!) && this.bars < needed) notes.push(`${spec.id}: needs ${needed} bars, has ${this.bars}`);
    }
    if (rating && this.bars < RATING_FULL_WARMUP) {
      const silent = Object.entries(rating.components).filter(([, v]) => v === null).map(([k]) => k);
      if (silent.length > 0 && !Number.isNaN(rating.rating)) notes.push(`rating: without ${silent.join(", ")} (too few bars)`);
    }
    return { values, rating, notes };
  }
}

function valueOf(spec: ColumnSpec, calc: Calc | undefined, rating: Rating | null, last: number): number {
  if (calc) return calc.read();
  if (spec.kind === "last") return last;
  if (!rating) return Number.NaN;
  return spec.kind === "rating" ? rating.rating : spec.kind === "rating_ma" ? rating.ma : rating.osc;
}
