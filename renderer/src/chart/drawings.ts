/**
 * Drawing geometry, free of the chart library: where a bar time falls on the time axis (the
 * series' logical index, interpolated between bars and extrapolated past the window's ends, so a
 * drawing anchored outside the loaded window still points the right way), the Fibonacci levels of
 * a retracement, and the reading of saved drawings (a bad entry is dropped and counted, never
 * fatal).
 */
import { DRAWING_KINDS, type ChartDrawing, type DrawingAnchor, type DrawingKind } from "../../../common/api/ui-chart.ts";

export type { ChartDrawing, DrawingAnchor, DrawingKind };

/** Retracement levels drawn by the fib tool (0 = the second point, 1 = the first). */
export const FIB_LEVELS = [0, 0.236, 0.382, 0.5, 0.618, 0.786, 1] as const;

/** Points a tool needs: a horizontal line one, the others two. */
export function anchorsNeeded(kind: DrawingKind): 1 | 2 {
  return kind === "hline" ? 1 : 2;
}

/**
 * The logical index of `time` among `times` (ascending, same unit): exact on a bar, linear
 * between two bars, and extrapolated at the bar spacing of the nearest end outside them. Null
 * with no bars.
 */
export function logicalAt(times: ArrayLike<number>, time: number): number | null {
  const n = times.length;
  if (n === 0) return null;
  if (n === 1) return 0;
  const first = times[0]!, last = times[n - 1]!;
  if (time <= first) return (time - first) / (times[1]! - first);
  if (time >= last) return n - 1 + (time - last) / (last - times[n - 2]!);
  let lo = 0, hi = n - 1;
  while (hi - lo > 1) {
    const mid = (lo + hi) >> 1;
    if (times[mid]! <= time) lo = mid;
    else hi = mid;
  }
  return lo + (time - times[lo]!) / (times[hi]! - times[lo]!);
}

/** The prices of the retracement levels between `a` (level 1) and `b` (level 0). */
export function fibLevels(a: DrawingAnchor, b: DrawingAnchor): Array<{ level: number; price: number }> {
  return FIB_LEVELS.map((level) => ({ level, price: b.price + (a.price - b.price) * level }));
}

function isAnchor(v: unknown): v is DrawingAnchor {
  const a = v as DrawingAnchor | null;
  return typeof a === "object" && a !== null && Number.isFinite(a.time) && Number.isFinite(a.price);
}

/** Saved drawings as far as they can be read: the valid ones, and how many were dropped. */
export function readDrawings(value: unknown): { drawings: ChartDrawing[]; dropped: number } {
  if (!Array.isArray(value)) return { drawings: [], dropped: value === undefined || value === null ? 0 : 1 };
  const drawings: ChartDrawing[] = [];
  for (const v of value as unknown[]) {
    const d = v as Partial<ChartDrawing> | null;
    if (d && typeof d.id === "string" && (DRAWING_KINDS as readonly unknown[]).includes(d.kind) && isAnchor(d.a) && isAnchor(d.b)) {
      drawings.push({ id: d.id, kind: d.kind!, a: { time: d.a.time, price: d.a.price }, b: { time: d.b.time, price: d.b.price } });
    }
  }
  return { drawings, dropped: value.length - drawings.length };
}

/** A new drawing from its points (a horizontal line repeats its one point). */
export function makeDrawing(kind: DrawingKind, points: readonly DrawingAnchor[], id: string): ChartDrawing | null {
  const a = points[0];
  if (!a) return null;
  const b = anchorsNeeded(kind) === 1 ? a : points[1];
  return b ? { id, kind, a, b } : null;
}

/** The time at a logical index among `times` (the inverse of {@link logicalAt}); null with no bars. */
export function timeAt(times: ArrayLike<number>, logical: number): number | null {
  const n = times.length;
  if (n === 0) return null;
  if (n === 1) return times[0]!;
  const i = Math.min(n - 2, Math.max(0, Math.floor(logical)));
  return times[i]! + (logical - i) * (times[i + 1]! - times[i]!);
}
