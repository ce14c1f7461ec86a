/**
 * The bars of a whole universe at one timeframe, for column screens. Fast path: one DuckDB query
 * over the stored `bars` of exactly that timeframe for every member at once (the members joined
 * as an indexed VALUES list, only doubles read back, split by member in JS). Members it does not
 * find (bars of a finer timeframe, trades, Parquet sources) are loaded one by one through the
 * candle path (`loadBars`), which aggregates; a member that fails there gets its error.
 */
import { TIMEFRAMES, type BarColumns, type Timeframe } from "../../common/market/bars.ts";
import type { UniverseMember } from "../../common/screener/rank.ts";
import { readDoubleColumns, sqlString } from "../datafiles/duck.ts";
import { loadBars } from "../store/candles.ts";
import type { MarketDb } from "../store/market-db.ts";

/** What to load: members, timeframe and an optional [from, to) range (UTC ms). */
export interface UniverseBarsRequest {
  members: readonly UniverseMember[];
  timeframe: Timeframe;
  from?: number | undefined;
  to?: number | undefined;
  /** Per member (by index): only bars after this open time (tail refresh). */
  after?: readonly number[];
  /** Per member (by index): false = only the stored-bars path (a refresh of a member found there). */
  candles?: readonly boolean[];
}

/** One member's bars (and whether they came from the stored-bars path), or why there are none. */
export type MemberBars = { bars: BarColumns; stored: boolean } | { error: string };

function valuesList(req: UniverseBarsRequest): string {
  return req.members.map((m, i) => `(${i}, ${sqlString(m.venue)}, ${sqlString(m.symbol)}, ${req.after?.[i] ?? -9.0e15})`).join(", ");
}

/** True when rows come grouped by member with times non-decreasing within each (the usual case). */
function grouped(index: Float64Array, time: Float64Array): boolean {
  for (let r = 1; r < index.length; r++) {
    if (index[r]! < index[r - 1]!) return false;
    if (index[r] === index[r - 1] && time[r]! < time[r - 1]!) return false;
  }
  return true;
}

/** The rows in member order (a stable counting sort by member, then by time within a member where needed). */
function regroup(cols: Float64Array[], members: number): Float64Array[] {
  const index = cols[0]!;
  const time = cols[1]!;
  const starts = new Int32Array(members + 1);
  for (let r = 0; r < index.length; r++) starts[index[r]! + 1]!++;
  for (let i = 1; i <= members; i++) starts[i]! += starts[i - 1]!;
  const order = new Int32Array(index.length);
  const next = starts.slice(0, members);
  for (let r = 0; r < index.length; r++) order[next[index[r]!]!++] = r;
  for (let i = 0; i < members; i++) {
    const rows = order.subarray(starts[i]!, starts[i + 1]!);
    for (let k = 1; k < rows.length; k++) {
      if (time[rows[k]!]! < time[rows[k - 1]!]!) {
        rows.sort((a, b) => time[a]! - time[b]! || a - b);
        break;
      }
    }
  }
  return cols.map((c) => {
    const out = new Float64Array(c.length);
    for (let k = 0; k < order.length; k++) out[k] = c[order[k]!]!;
    return out;
  });
}

/** Splits rows (member index, time, o, h, l, c, v; any order) by member, each member's bars in time order. */
function splitByMember(raw: Float64Array[], members: readonly UniverseMember[]): Map<number, BarColumns> {
  const cols = grouped(raw[0]!, raw[1]!) ? raw : regroup(raw, members.length);
  const index = cols[0]!;
  const found = new Map<number, BarColumns>();
  let start = 0;
  for (let r = 1; r <= index.length; r++) {
    if (r < index.length && index[r] === index[start]) continue;
    const [, time, open, high, low, close, volume] = cols.map((c) => c.subarray(start, r));
    const i = index[start]!;
    found.set(i, { symbol: members[i]!.symbol, time: time!, open: open!, high: high!, low: low!, close: close!, volume: volume! });
    start = r;
  }
  return found;
}

function emptyBars(symbol: string): BarColumns {
  const none = new Float64Array(0);
  return { symbol, time: none, open: none, high: none, low: none, close: none, volume: none };
}

/** Stored bars of exactly the timeframe, by member index (members without any are absent). */
export async function storedBars(db: MarketDb, req: UniverseBarsRequest): Promise<Map<number, BarColumns>> {
  if (req.members.length === 0) return new Map();
  const tf = TIMEFRAMES[req.timeframe];
  const range = [req.from === undefined ? "" : `AND b.ts >= ${Math.floor(req.from)}`, req.to === undefined ? "" : `AND b.ts < ${Math.floor(req.to)}`].join(" ");
  // No ORDER BY: sorting a million rows costs DuckDB more than grouping them in JS does.
  const sql = `SELECT u.i::DOUBLE, b.ts::DOUBLE, b.open, b.high, b.low, b.close, b.volume
    FROM bars b JOIN (VALUES ${valuesList(req)}) u(i, venue, symbol, after) ON b.venue = u.venue AND b.symbol = u.symbol
    WHERE b.tf_ms = ${tf} AND b.ts > u.after ${range}`;
  return splitByMember(await readDoubleColumns(db.conn, sql, 1 << 16), req.members);
}

/** Every member's bars (or error), in member order. */
export async function universeBars(db: MarketDb, req: UniverseBarsRequest, signal?: AbortSignal): Promise<MemberBars[]> {
  const stored = await storedBars(db, req);
  const out: MemberBars[] = [];
  for (let i = 0; i < req.members.length; i++) {
    const hit = stored.get(i);
    if (hit || req.candles?.[i] === false) {
      out.push({ bars: hit ?? emptyBars(req.members[i]!.symbol), stored: true });
      continue;
    }
    signal?.throwIfAborted();
    const { venue, symbol } = req.members[i]!;
    const from = Math.max(req.from ?? -Infinity, (req.after?.[i] ?? -Infinity) + TIMEFRAMES[req.timeframe]);
    try {
      const range = { ...(Number.isFinite(from) ? { from } : {}), ...(req.to !== undefined ? { to: req.to } : {}) };
      out.push({ bars: await loadBars(db, { symbol, venue, timeframe: req.timeframe, ...range }), stored: false });
    } catch (err) {
      out.push({ error: (err as Error).message.split("\n")[0]! });
    }
  }
  return out;
}
