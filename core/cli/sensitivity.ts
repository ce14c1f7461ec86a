/**
 * `workstation sensitivity STRATEGY.ts --data FILE|SYMBOL [--costs] [--warmup] [run options] [--json]`:
 * cost sensitivity (the run at 0×, 1×, 2×, 3× the fees and slippage, and the break-even per-fill
 * cost) and warm-up sensitivity (the run started 0, 100 and 500 bars earlier, those bars fed with
 * orders disabled). Both by default. With `--json`: `{"costs":{"rows":[{"multiplier","finalEquity",
 * "metrics"}],"breakEvenCost"},"warmup":{"rows":[{"warmupBars","finalEquity","metrics"}],"differs"}}`.
 * The warm-up bars come from before `--from` (without `--from`, the run starts at bar 500, or
 * half-way through shorter data).
 */
import path from "node:path";
import { WARMUP_OFFSETS } from "../../common/robustness/sensitivity.ts";
import { sliceBars } from "../../common/robustness/stitch.ts";
import { RUN_HELP, RUN_OPTIONS, configFromArgs, limitsFromArgs, loadRunBars, readStrategyFile, timeOption } from "../strategy/cli-options.ts";
import { prepareStrategy } from "../strategy/runner.ts";
import { barIndexAt, costSensitivity, warmupSensitivity, type CostSensitivity, type WarmupSensitivity } from "../robustness/sensitivity.ts";
import { UsageError, type CliCommand } from "./command.ts";
import { withWorkerPool } from "./run-pool.ts";

const pct = (x: number | null): string => (x === null ? "n/a" : `${(x * 100).toFixed(2)}%`);
const num = (x: number | null): string => (x === null ? "n/a" : x.toFixed(2));

/** The tables as text. */
export function formatSensitivity(costs: CostSensitivity | null, warmup: WarmupSensitivity | null): string {
  const lines: string[] = [];
  if (costs) {
    lines.push("costs   final equity   return    sharpe   max DD");
    for (const r of costs.rows) lines.push(`${`${r.multiplier}x`.padEnd(7)} ${num(r.finalEquity).padStart(12)}   ${pct(r.metrics.totalReturn).padStart(7)}   ${num(r.metrics.sharpe).padStart(6)}   ${pct(r.metrics.maxDrawdown).padStart(6)}`);
    const be = costs.breakEvenCost;
    lines.push(`break-even cost: ${be === null ? "above 50% per fill (or unknown)" : `${(be * 100).toFixed(4)}% of notional per fill`}`);
  }
  if (warmup) {
    if (lines.length > 0) lines.push("");
    lines.push("warm-up  final equity   return    trades");
    for (const r of warmup.rows) lines.push(`${String(r.warmupBars).padEnd(8)} ${num(r.finalEquity).padStart(12)}   ${pct(r.metrics.totalReturn).padStart(7)}   ${String(r.metrics.trades).padStart(6)}`);
    lines.push(warmup.differs ? "results differ: an indicator depends on where the data starts" : "results agree: no dependence on where the data starts");
  }
  return lines.join("\n");
}

/** The sensitivity command. */
export const sensitivityCommand: CliCommand = {
  name: "sensitivity",
  usage: "STRATEGY.ts --data FILE|SYMBOL [--costs] [--warmup] [options]",
  help: [
    "--costs             only cost sensitivity (0x, 1x, 2x, 3x fees and slippage; break-even cost)",
    `--warmup            only warm-up sensitivity (started ${WARMUP_OFFSETS.join(", ")} bars earlier)`,
    ...RUN_HELP,
  ],
  options: { ...RUN_OPTIONS, costs: { type: "boolean" }, warmup: { type: "boolean" } },
  allowPositionals: true,
  async run(args, io) {
    const { file, source } = readStrategyFile(args.positionals);
    const both = args.values.costs !== true && args.values.warmup !== true;
    const config = configFromArgs(args.values);
    const limits = limitsFromArgs(args.values);
    const fromTime = timeOption(args.values, "from");
    const { bars: all } = await loadRunBars({ ...args.values, from: undefined }, args.dataDir);
    const n = all.time.length;
    const from = fromTime !== undefined ? barIndexAt(all, fromTime) : Math.min(Math.max(...WARMUP_OFFSETS), Math.floor(n / 2));
    if (n - from < 2) throw new UsageError(`sensitivity needs at least 2 bars from --from on (got ${n - from})`);
    return withWorkerPool(io, "sensitivity", 1, async (pool, signal) => {
      const strategy = await prepareStrategy(source, path.basename(file), { typecheck: args.values["skip-typecheck"] !== true });
      const window = fromTime !== undefined ? sliceBars(all, from, n) : all;
      const costs = both || args.values.costs === true ? await costSensitivity(pool, strategy, window, config, limits, signal) : null;
      const warmup = both || args.values.warmup === true ? await warmupSensitivity(pool, strategy, all, from, config, limits, signal) : null;
      io.out(args.values.json === true ? JSON.stringify({ ...(costs ? { costs } : {}), ...(warmup ? { warmup } : {}) }) : formatSensitivity(costs, warmup));
      return 0;
    });
  },
};
