/**
 * `backtest` and `sweep` through a running core: when a core of the same version owns the data
 * directory, the whole run is handed to it (warm workers, warm type-checker, its bars caches, and
 * no DuckDB lock fight over a store symbol), and the command prints exactly what a local run
 * prints. A core of another version, or one that does not answer, is not used: one warning line,
 * and the run happens in this process.
 */
import fs from "node:fs";
import path from "node:path";
import type { ApiClient } from "../../common/api/client.ts";
import type { ParamsIn } from "../../common/api/index.ts";
import type { BacktestConfig, SandboxLimits } from "../../common/strategy/results.ts";
import type { RunDataOption } from "../strategy/cli-options.ts";
import { VERSION } from "../version.ts";
import type { CliIo } from "./command.ts";
import { findListeningCore, lockPath } from "../platform/lock.ts";

/** The running core's client when it is usable for a run, else null (after a warning when one runs but cannot be used). */
export async function coreForRun(dataDir: string, io: CliIo): Promise<ApiClient | null> {
  let client: ApiClient | null = null;
  try {
    // The WebSocket client is loaded only when a core's lock file is there, while its port is probed.
    const clientModule = fs.existsSync(lockPath(dataDir)) ? import("./core-client.ts") : null;
    clientModule?.catch(() => undefined);
    const lock = await findListeningCore(dataDir);
    if (!lock) return null;
    const { connectApiHello } = await (clientModule ?? import("./core-client.ts"));
    // Core's hello (its first message) carries its version: no core.info round trip.
    const connected = await connectApiHello(lock.port, lock.token);
    client = connected.client;
    if (connected.info.version === VERSION) return client;
    io.err(`warning: the running core is version ${connected.info.version} and this CLI ${VERSION}; running here instead`);
  } catch (err) {
    io.err(`warning: the running core did not answer (${(err as Error).message}); running here instead`);
  }
  client?.close();
  return null;
}

/** The API parameters of a run from the CLI's parsed options. */
export function runParams(
  input: { source: string; file: string; data: RunDataOption; config: BacktestConfig; limits: SandboxLimits; typecheck: boolean; save: boolean },
): ParamsIn<"strategy.backtest"> {
  const { data, config } = input;
  return {
    source: input.source,
    filename: path.basename(input.file),
    data: data.isFile ? { file: data.data, ...(data.timeframe ? { timeframe: data.timeframe } : {}) } : { symbol: data.data, timeframe: data.timeframe ?? "1m" },
    ...(data.from !== undefined ? { from: data.from } : {}),
    ...(data.to !== undefined ? { to: data.to } : {}),
    cash: config.cash,
    commission: config.commission,
    slippageBps: config.slippageBps,
    ...(config.makerFee !== undefined ? { makerFee: config.makerFee } : {}),
    ...(config.takerFee !== undefined ? { takerFee: config.takerFee } : {}),
    ...(config.slippageTicks !== undefined ? { slippageTicks: config.slippageTicks } : {}),
    ...(config.instrument?.tickSize !== undefined ? { tickSize: config.instrument.tickSize } : {}),
    ...(config.instrument?.lotSize !== undefined ? { lotSize: config.instrument.lotSize } : {}),
    ...(config.fillOn !== undefined ? { fillOn: config.fillOn } : {}),
    ...(config.params !== undefined ? { params: config.params } : {}),
    ...(config.seed !== undefined ? { seed: config.seed } : {}),
    memoryMb: input.limits.memoryMb,
    timeoutMs: input.limits.timeoutMs,
    typecheck: input.typecheck,
    save: input.save,
    series: false,
    orders: false,
  };
}
