/**
 * The heatmap of a sweep over two params: one cell per (x, y) combination holding a metric, with
 * each value's place between the worst and the best (0..1) for its color. Sweeps over one param or
 * more than two have no heatmap.
 */
import type { Metrics } from "../../../common/strategy/results.ts";
import type { SweepRow } from "../../../common/strategy/sweep.ts";

/** A two-param heatmap. */
export interface Heatmap {
  x: string;
  y: string;
  xs: Array<number | boolean | string>;
  ys: Array<number | boolean | string>;
  /** `cells[row][col]` for ys[row], xs[col]: the metric, or null (failed or missing). */
  cells: Array<Array<number | null>>;
  min: number;
  max: number;
}

const sortValues = (values: Array<number | boolean | string>): Array<number | boolean | string> =>
  [...new Set(values)].sort((a, b) => (typeof a === "number" && typeof b === "number" ? a - b : String(a).localeCompare(String(b))));

/** The heatmap of `rows` by `metric`, or null unless exactly two params vary. */
export function sweepHeatmap(rows: readonly SweepRow[], metric: keyof Metrics): Heatmap | null {
  const names = Object.keys(rows[0]?.params ?? {}).filter((n) => new Set(rows.map((r) => r.params[n])).size > 1);
  if (names.length !== 2) return null;
  const [x, y] = names as [string, string];
  const xs = sortValues(rows.map((r) => r.params[x]!));
  const ys = sortValues(rows.map((r) => r.params[y]!));
  const cells = ys.map(() => xs.map((): number | null => null));
  let min = Infinity;
  let max = -Infinity;
  for (const r of rows) {
    const v = r.ok ? r.metrics[metric] : null;
    if (v === null || !Number.isFinite(v)) continue;
    cells[ys.indexOf(r.params[y]!)]![xs.indexOf(r.params[x]!)] = v;
    min = Math.min(min, v);
    max = Math.max(max, v);
  }
  return { x, y, xs, ys, cells, min, max };
}

/** Where `value` lies between the heatmap's worst and best value (0..1; 0.5 when all are equal). */
export function heatShare(map: Heatmap, value: number): number {
  return map.max > map.min ? (value - map.min) / (map.max - map.min) : 0.5;
}
