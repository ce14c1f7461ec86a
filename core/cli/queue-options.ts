/**
 * `--queue redis://HOST:PORT`, `--serve-data HOST:PORT` and `--advertise URL`, shared by the
 * commands that can send their work through the scale-out queue instead of the local pool.
 */
import { QueueCoordinator, type CoordinatorOptions } from "../compute/coordinator.ts";
import { parseListenAddress } from "../compute/chunk-server.ts";
import { redisOptions } from "../compute/redis.ts";
import { UsageError, type CliIo, type OptionSpec, type ParsedArgs } from "./command.ts";

/** The option specs. */
export const QUEUE_OPTIONS: OptionSpec = { queue: { type: "string" }, "serve-data": { type: "string" }, advertise: { type: "string" }, "chunks-dir": { type: "string" } };

/** --help lines of {@link QUEUE_OPTIONS}. */
export const QUEUE_HELP = [
  "--queue URL         run on `workstation worker`s through Redis (redis://HOST:PORT or rediss://user:pass@HOST:PORT)",
  "--serve-data H:P    where this process serves the run's data to workers (default 127.0.0.1, any free port)",
  "--advertise URL     the URL workers use to reach the data (default: the --serve-data address)",
  "--chunks-dir DIR    also write the run's chunks to this shared folder (workers started with --chunks-dir read them there)",
];

/** Where to coordinate: the queue URL and the chunk server's address. */
export type QueueArgs = CoordinatorOptions["serve"] & { url: string; chunksDir?: string };

/** The checked queue options (null without `--queue`); a bad option is a usage error. Check them before any slow work. */
export function queueArgs(values: ParsedArgs["values"]): QueueArgs | null {
  const url = values.queue;
  if (url === undefined) {
    if (values["serve-data"] !== undefined || values.advertise !== undefined || values["chunks-dir"] !== undefined) throw new UsageError("--serve-data, --advertise and --chunks-dir need --queue");
    return null;
  }
  if (typeof url !== "string") throw new UsageError("--queue needs a URL");
  const serveRaw = values["serve-data"];
  const advertise = values.advertise;
  let serve: { host: string; port: number };
  try {
    redisOptions(url);
    serve = typeof serveRaw === "string" ? parseListenAddress(serveRaw) : { host: "127.0.0.1", port: 0 };
  } catch (err) {
    throw new UsageError((err as Error).message);
  }
  if (typeof advertise === "string" && !/^https?:\/\/[^\s/]+/.test(advertise)) throw new UsageError(`--advertise must be an http(s) URL (got "${advertise}")`);
  const chunksDir = values["chunks-dir"];
  return { url, ...serve, ...(typeof advertise === "string" ? { advertise } : {}), ...(typeof chunksDir === "string" ? { chunksDir } : {}) };
}

/** A coordinator for checked queue options (null without them); connection problems are one-line errors. */
export async function openCoordinator(args: QueueArgs | null, io: CliIo): Promise<QueueCoordinator | null> {
  if (args === null) return null;
  const { url, chunksDir, ...serve } = args;
  return QueueCoordinator.open({ url, serve, ...(chunksDir !== undefined ? { chunksDir } : {}), log: (line) => io.err(line) });
}
