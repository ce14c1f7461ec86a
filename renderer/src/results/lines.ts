/** SVG path data for small line charts: several series scaled into one box (shared y range). */

/** Paths (one per series) and the y range they were scaled to. */
export interface ScaledLines {
  paths: string[];
  min: number;
  max: number;
}

/** Scales `series` (equal x steps, finite values only) into a `width` × `height` box, y up. */
export function linePaths(series: readonly (readonly number[])[], width: number, height: number): ScaledLines {
  const values = series.flat().filter(Number.isFinite);
  const min = values.length > 0 ? Math.min(...values) : 0;
  const max = values.length > 0 ? Math.max(...values) : 1;
  const span = max - min || 1;
  const paths = series.map((s) => {
    const step = s.length > 1 ? width / (s.length - 1) : 0;
    let d = "";
    s.forEach((v, i) => {
      if (!Number.isFinite(v)) return;
      const x = (i * step).toFixed(1);
      const y = (height - ((v - min) / span) * height).toFixed(1);
      d += `${d === "" ? "M" : "L"}${x},${y}`;
    });
    return d;
  });
  return { paths, min, max };
}

/** At most `points` evenly spaced values of `values` (the last one always kept). */
export function thin(values: readonly number[], points: number): number[] {
  if (values.length <= points) return values.slice();
  const out: number[] = [];
  for (let i = 0; i < points; i++) out.push(values[Math.round((i * (values.length - 1)) / (points - 1))]!);
  return out;
}

/** A closed area between two paths from {@link linePaths}: along `lower`, back along `upper`. */
export function bandPath(lower: string, upper: string): string {
  const points = (d: string) => d.split(/[ML]/).filter(Boolean);
  const there = points(lower);
  const back = points(upper).reverse();
  if (there.length === 0 || back.length === 0) return "";
  return `M${[...there, ...back].join("L")}Z`;
}
