/**
 * `workstation sensitivity STRATEGY.ts --data FILE|SYMBOL [--costs] [--warmup] [run options] [--json]`:
 * cost sensitivity (the run at 0×, 1×, 2×, 3× the fees and slippage, and the break-even per-fill
 * cost) and warm-up sensitivity (the run started 0, 100 and 500 bars earlier, those bars fed with
 * orders disabled). Both by default. With `--json`: `{"costs":{"rows":[{"multiplier","finalEquity",
 * "metrics"}],"breakEvenCost"},"warmup":{"rows":[{"warmupBars","finalEquity","metrics"}],"differs"}}`.
 * The warm-up bars come from before `--from` (without `--from`, the run starts at bar 500, or
 * half-way through shorter data). With a core running on the data directory the runs are handed to
 * it (`robustness.sensitivity`), with the same output.
 */
import path from "node:path";
import { WARMUP_OFFSETS } from "../../common/robustness/sensitivity.ts";
import { RUN_HELP, RUN_OPTIONS, loadRunBars, runInput, timeOption } from "../strategy/cli-options.ts";
import { prepareStrategyCached } from "../strategy/strategy-cache.ts";
import { runSensitivity, type CostSensitivity, type SensitivityTables, type WarmupSensitivity } from "../robustness/sensitivity.ts";
import { UsageError, type CliCommand } from "./command.ts";
import { withRunningCore, withWorkerPool } from "./run-pool.ts";
import { runParams } from "./run-via-core.ts";

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
    const input = runInput(args);
    const both = args.values.costs !== true && args.values.warmup !== true;
    const which = { costs: both || args.values.costs === true, warmup: both || args.values.warmup === true };
    const fromTime = timeOption(args.values, "from");
    const print = (r: SensitivityTables): number => {
      io.out(input.json ? JSON.stringify(r) : formatSensitivity(r.costs ?? null, r.warmup ?? null));
      return 0;
    };
    const viaCore = await withRunningCore(io, "sensitivity", args.dataDir, async (client, signal) =>
      print(await client.call("robustness.sensitivity", { ...runParams(input), ...which, save: false }, { signal })),
    );
    if (viaCore !== null) return viaCore;
    const { bars: all } = await loadRunBars({ ...args.values, from: undefined }, args.dataDir);
    return withWorkerPool(io, "sensitivity", 1, async (pool, signal) => {
      const strategy = await prepareStrategyCached(args.dataDir, input.source, path.basename(input.file), { typecheck: input.typecheck }, (line) => io.err(line));
      const opts = { fromTime, ...which, config: input.config, limits: input.limits, signal };
      return print(await runSensitivity(pool, strategy, all, opts).catch((err: unknown) => {
        throw err instanceof RangeError ? new UsageError(err.message) : err;
      }));
    });
  },
};
