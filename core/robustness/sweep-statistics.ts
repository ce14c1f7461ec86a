/**
 * A finished sweep's overfitting figures as the CLI and the API report them: trials, DSR, PBO and
 * the holdout looks (each look at a holdout recorded in the app database).
 */
import type Database from "better-sqlite3";
import { sweepOverfitting, type RowStats } from "../../common/robustness/overfitting.ts";
import type { RunDataSource } from "../strategy/runs.ts";
import { holdoutSplit } from "../strategy/sweep-runner.ts";
import { recordHoldoutLook } from "./holdout-looks.ts";

/** The figures beside a sweep's rows. */
export interface SweepStatistics {
  trials: number;
  dsr: number | null;
  pbo: number | null;
  holdoutLooks: number;
}

/** What identifies a sweep's holdout. */
export interface HoldoutContext {
  strategyHash: string;
  data: Pick<RunDataSource, "source" | "symbol" | "timeframe">;
  /** The bar times (read only when there is a holdout). */
  time: () => Float64Array;
  holdout: number;
}

/** The holdout's look record (null without a holdout). */
export function holdoutLookOf(h: HoldoutContext): { strategyHash: string; dataKey: string; from: number; to: number } | null {
  if (h.holdout <= 0) return null;
  const time = h.time();
  const split = holdoutSplit(time.length, h.holdout);
  if (split <= 0) return null;
  return { strategyHash: h.strategyHash, dataKey: `${h.data.source}|${h.data.symbol}|${h.data.timeframe ?? ""}`, from: time[split]!, to: time[time.length - 1]! };
}

/** Trials, DSR and PBO from the rows' stats. */
export function overfittingFigures(trials: number, stats: ReadonlyMap<number, RowStats>): Omit<SweepStatistics, "holdoutLooks"> {
  const o = sweepOverfitting(trials, stats);
  return { trials: o.trials, dsr: o.deflated?.dsr ?? null, pbo: o.pbo?.pbo ?? null };
}

/** {@link overfittingFigures} and the holdout look, recorded in `db`. */
export function sweepStatistics(db: Database.Database, trials: number, stats: ReadonlyMap<number, RowStats>, holdout: HoldoutContext): SweepStatistics {
  const look = holdoutLookOf(holdout);
  return { ...overfittingFigures(trials, stats), holdoutLooks: look === null ? 0 : recordHoldoutLook(db, look) };
}
