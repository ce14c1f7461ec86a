/**
 * The pure parts of cost and warm-up sensitivity: a run config with every cost scaled, the config
 * of a break-even probe (one flat cost per fill, no slippage), and the bisection that finds the
 * break-even cost — the per-fill cost rate (fraction of notional) at which the total return
 * reaches 0.
 */
import type { BacktestConfig, Metrics } from "../strategy/results.ts";

/** Cost multipliers of a cost-sensitivity run. */
export const COST_MULTIPLIERS = [0, 1, 2, 3] as const;

/** Warm-up offsets (bars started earlier) of a warm-up-sensitivity run. */
export const WARMUP_OFFSETS = [0, 100, 500] as const;

/** `config` with its fees and slippage multiplied by `m`. */
export function scaleCosts(config: BacktestConfig, m: number): BacktestConfig {
  const out: BacktestConfig = { ...config, commission: config.commission * m, slippageBps: config.slippageBps * m };
  if (config.makerFee !== undefined) out.makerFee = config.makerFee * m;
  if (config.takerFee !== undefined) out.takerFee = config.takerFee * m;
  if (config.slippageTicks !== undefined) out.slippageTicks = config.slippageTicks * m;
  return out;
}

/** `config` with one cost of `rate` per fill and nothing else. */
export function flatCost(config: BacktestConfig, rate: number): BacktestConfig {
  const { makerFee: _m, takerFee: _t, slippageTicks: _s, ...rest } = config;
  return { ...rest, commission: rate, slippageBps: 0 };
}

/** Highest per-fill cost rate searched for a break-even (50 %, the most `--commission` allows). */
export const MAX_BREAK_EVEN_RATE = 0.5;

/**
 * The rate in [0, {@link MAX_BREAK_EVEN_RATE}] where `totalReturn(rate)` (falling with the rate)
 * crosses 0, to within `tolerance` or 0.5 % of the rate; 0 when the return is ≤ 0 without costs, null when it stays above 0
 * at the largest rate or is unknown.
 */
export async function breakEvenRate(totalReturn: (rate: number) => Promise<number | null>, tolerance = 1e-6): Promise<number | null> {
  const atZero = await totalReturn(0);
  if (atZero === null) return null;
  if (atZero <= 0) return 0;
  let lo = 0;
  let hi = 0.001;
  for (;;) {
    const r = await totalReturn(hi);
    if (r === null) return null;
    if (r <= 0) break;
    lo = hi;
    if (hi >= MAX_BREAK_EVEN_RATE) return null;
    hi = Math.min(MAX_BREAK_EVEN_RATE, hi * 4);
  }
  while (hi - lo > Math.max(tolerance, hi * 0.005)) {
    const mid = (lo + hi) / 2;
    const r = await totalReturn(mid);
    if (r !== null && r > 0) lo = mid;
    else hi = mid;
  }
  return (lo + hi) / 2;
}

/** One run of a sensitivity table. */
export interface SensitivityRow {
  finalEquity: number;
  metrics: Metrics;
}

/** Cost sensitivity. */
export interface CostSensitivity {
  rows: (SensitivityRow & { multiplier: number })[];
  /** Per-fill cost rate (fraction of notional) at which the total return reaches 0; 0 without an edge; null above 50 %. */
  breakEvenCost: number | null;
}

/** Warm-up sensitivity. */
export interface WarmupSensitivity {
  rows: (SensitivityRow & { warmupBars: number })[];
  /** True when any offset's trades or final equity differ from the first's. */
  differs: boolean;
}

/** Both tables (a part left out when not asked for), as `workstation sensitivity --json` prints them. */
export interface SensitivityTables {
  costs?: CostSensitivity;
  warmup?: WarmupSensitivity;
}
