/**
 * What a queued job carries — a few KB: the strategy bundle's hash, the data manifest's hash, the
 * combinations, the run settings, the engine version, and where to fetch the blobs (the chunk
 * server's URL and the run's read token, the one credential a job may carry). Its id derives from
 * everything but the run and the token, so the same work queued again finds its stored result.
 */
import type { BacktestConfig, SandboxLimits } from "../../common/strategy/results.ts";
import type { SweepCombo } from "../strategy/sweep-runner.ts";
import type { BlobSource } from "./chunk-cache.ts";
import { sha256 } from "./content.ts";

/** One child job: a few combinations of a sweep on one data manifest. */
export interface SweepJobData {
  kind: "sweep";
  runId: string;
  engineVersion: string;
  bundle: string;
  manifest: string;
  combos: SweepCombo[];
  config: BacktestConfig;
  limits: SandboxLimits;
  split: number;
  source: BlobSource;
}

/** The deterministic id of a job: a hash of what decides its result. */
export function sweepJobId(job: SweepJobData): string {
  const { engineVersion, bundle, manifest, combos, config, limits, split } = job;
  return `sweep-${sha256(JSON.stringify({ engineVersion, bundle, manifest, combos, config, limits, split }))}`;
}

/** Why a job must not run on this worker (another engine version), or null. */
export function engineMismatch(jobVersion: string, workerVersion: string): string | null {
  return jobVersion === workerVersion ? null : `refused: the job needs engine version ${jobVersion}, this worker runs ${workerVersion}`;
}
