/**
 * The `robustness.*` part of the API map: walk-forward and Monte Carlo of a strategy on the
 * worker pool (with progress, cancellable). Formulas and shapes: docs/robustness.md.
 */
import { z } from "zod";
import { MONTE_CARLO_METHODS, type MonteCarloResult } from "../robustness/montecarlo.ts";
import type { SensitivityTables } from "../robustness/sensitivity.ts";
import { WALK_FORWARD_OBJECTIVES, type WalkForwardResult } from "../robustness/walkforward.ts";
import { method } from "./define.ts";
import { runRequest } from "./strategy.ts";

const paramValue = z.union([z.number(), z.boolean(), z.string().max(1000)]);

/** Requests served by the robustness lab. */
export const robustnessApi = {
  "robustness.walkforward": method(
    runRequest.extend({
      grid: z.record(z.string(), z.array(paramValue).min(1).max(10_000)),
      folds: z.number().int().min(1).max(1000),
      inSampleRatio: z.number().min(0.01).max(1000).default(3),
      anchored: z.boolean().default(false),
      objective: z.enum(WALK_FORWARD_OBJECTIVES).default("totalReturn"),
      warmupBars: z.number().int().min(0).max(10_000_000).default(0),
    }),
  ).returns<WalkForwardResult>(),
  "robustness.montecarlo": method(
    runRequest.extend({
      method: z.enum(MONTE_CARLO_METHODS),
      runs: z.number().int().min(1).max(100_000).default(1000),
      mcSeed: z.number().int().min(0).max(2 ** 32 - 1).default(1),
    }),
  ).returns<MonteCarloResult>(),
  /** Cost and warm-up sensitivity; the bars before `from` feed the warm-up runs. */
  "robustness.sensitivity": method(
    runRequest.extend({
      costs: z.boolean().default(true),
      warmup: z.boolean().default(true),
    }),
  ).returns<SensitivityTables>(),
};
