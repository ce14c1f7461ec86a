/**
 * The one-line reading of a sweep's overfitting statistics, shared by the CLI and the UI:
 * PBO ≥ 0.5 reads "likely overfit", a DSR under 0.95 "not significant after N trials", otherwise
 * the best combination "survives deflation".
 */

/** The figures a reading is made from. */
export interface OverfittingFigures {
  trials: number;
  dsr: number | null;
  pbo: number | null;
}

const fixed = (x: number | null): string => (x === null ? "n/a" : x.toFixed(2));

/** A short verdict, e.g. "likely overfit: PBO 0.62". */
export function overfittingReading(f: OverfittingFigures): string {
  if (f.pbo !== null && f.pbo >= 0.5) return `likely overfit: PBO ${fixed(f.pbo)}`;
  if (f.dsr === null) return "no verdict: no combination has a Sharpe ratio";
  if (f.dsr < 0.95) return `not significant after ${f.trials} trials: DSR ${fixed(f.dsr)}`;
  return `survives deflation: DSR ${fixed(f.dsr)}${f.pbo !== null ? `, PBO ${fixed(f.pbo)}` : ""}`;
}

/** The summary line under a sweep table. */
export function overfittingLine(f: OverfittingFigures, holdoutLooks: number): string {
  const looks = holdoutLooks > 0 ? `, holdout looks ${holdoutLooks}` : "";
  return `trials ${f.trials}, DSR ${fixed(f.dsr)}, PBO ${fixed(f.pbo)}${looks} — ${overfittingReading(f)}`;
}
