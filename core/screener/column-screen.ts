/**
 * A column screen over a universe: loads every member's bars (universe-bars.ts), feeds them to
 * that member's streaming columns (common/screener/columns.ts) and reads one row per member. The
 * screen keeps the columns' state and each member's last bar time, so `refresh()` after a bar
 * close reads and feeds only the bars that closed since (the tail), not the whole history.
 */
import { TIMEFRAMES, type BarColumns, type Timeframe } from "../../common/market/bars.ts";
import { SymbolColumns, type ColumnSpec } from "../../common/screener/columns.ts";
import type { ScreenRow, UniverseMember } from "../../common/screener/rank.ts";
import type { MarketDb } from "../store/market-db.ts";
import { universeBars } from "./universe-bars.ts";

/** What a column screen computes. */
export interface ColumnScreenSpec {
  members: readonly UniverseMember[];
  timeframe: Timeframe;
  columns: readonly ColumnSpec[];
  from?: number | undefined;
  to?: number | undefined;
}

interface MemberState {
  columns: SymbolColumns;
  lastTime: number;
  error: string | null;
  /** True when the bars came from the stored-bars path (a refresh looks only there). */
  stored: boolean;
}

/** Feeds the bars after the member's last one; with `closedBy`, only bars closed by then (a bar still forming waits). */
function feed(state: MemberState, bars: BarColumns, tfMs: number, closedBy: number): number {
  let fed = 0;
  const bar = { open: 0, high: 0, low: 0, close: 0, volume: 0 };
  let end = bars.time.length;
  while (end > 0 && bars.time[end - 1]! + tfMs > closedBy) end--;
  for (let i = 0; i < end; i++) {
    if (bars.time[i]! <= state.lastTime) continue;
    bar.open = bars.open[i]!;
    bar.high = bars.high[i]!;
    bar.low = bars.low[i]!;
    bar.close = bars.close[i]!;
    bar.volume = bars.volume[i]!;
    state.columns.push(bar, end - 1 - i);
    state.lastTime = bars.time[i]!;
    fed++;
  }
  return fed;
}

const finite = (v: number): number | null => (Number.isFinite(v) ? v : null);

/** One member's row from its state. */
function rowOf(member: UniverseMember, state: MemberState, specs: readonly ColumnSpec[]): ScreenRow {
  const row: ScreenRow = { venue: member.venue, symbol: member.symbol };
  if (state.error !== null) return { ...row, error: state.error };
  const { values, rating, notes } = state.columns.read();
  for (const spec of specs) row[spec.id] = finite(values[spec.id]!);
  if (rating) row.rating_components = Object.fromEntries(Object.entries(rating.components));
  if (state.columns.bars === 0) notes.unshift("no bars in the range");
  if (notes.length > 0) row.notes = notes;
  return row;
}

/** A column screen with its state (see the file comment). */
export class ColumnScreen {
  private states: MemberState[] | null = null;

  readonly spec: ColumnScreenSpec;

  constructor(spec: ColumnScreenSpec) {
    this.spec = spec;
  }

  /**
   * Computes from scratch: all bars of the range (with `closedBy`, only those closed by that time,
   * as a screen that refreshes on bar closes needs: a forming bar is fed once it closed).
   */
  async run(db: MarketDb, signal?: AbortSignal, closedBy = Infinity): Promise<ScreenRow[]> {
    const { members, timeframe, from, to, columns } = this.spec;
    const loaded = await universeBars(db, { members, timeframe, from, to }, signal);
    this.states = loaded.map((m) => {
      const state: MemberState = { columns: new SymbolColumns(columns), lastTime: -Infinity, error: null, stored: false };
      if ("error" in m) state.error = m.error;
      else {
        state.stored = m.stored;
        feed(state, m.bars, TIMEFRAMES[timeframe], closedBy);
      }
      return state;
    });
    return this.rows();
  }

  /** Feeds only the bars after each member's last one (a bar close); returns the rows and bars fed. */
  async refresh(db: MarketDb, signal?: AbortSignal, closedBy = Infinity): Promise<{ rows: ScreenRow[]; barsFed: number }> {
    if (!this.states) return { rows: await this.run(db, signal, closedBy), barsFed: -1 };
    const states = this.states;
    const { members, timeframe, to } = this.spec;
    const after = states.map((s) => (Number.isFinite(s.lastTime) ? s.lastTime : -9.0e15));
    const candles = states.map((s) => !s.stored);
    const loaded = await universeBars(db, { members, timeframe, to, after, candles, ...(this.spec.from !== undefined ? { from: this.spec.from } : {}) }, signal);
    let barsFed = 0;
    loaded.forEach((m, i) => {
      const state = states[i]!;
      if ("bars" in m) {
        state.error = null;
        barsFed += feed(state, m.bars, TIMEFRAMES[timeframe], closedBy);
      } else if (state.columns.bars === 0) state.error = m.error;
    });
    return { rows: this.rows(), barsFed };
  }

  /** The current rows, in member order. */
  rows(): ScreenRow[] {
    const states = this.states ?? [];
    return this.spec.members.map((m, i) => rowOf(m, states[i]!, this.spec.columns));
  }
}
