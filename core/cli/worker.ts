/**
 * `workstation worker --queue redis://HOST:PORT [--concurrency N] [--data-dir DIR]`: a scale-out
 * worker. Takes sweep, walk-forward and strategy-screen jobs off the queue and runs them in sandboxed strategy
 * processes until Ctrl-C or SIGTERM; keeps the blobs it fetched in DIR/compute/blobs.
 */
import os from "node:os";
import { QueueConnectionError } from "../compute/redis.ts";
import { startQueueWorker } from "../compute/queue-worker.ts";
import { UsageError, intOption, type CliCommand } from "./command.ts";

/** The worker command. */
export const workerCommand: CliCommand = {
  name: "worker",
  usage: "--queue redis://HOST:PORT [--concurrency N] [--data-dir DIR] [--chunks-dir DIR]",
  help: [
    "--queue URL         the Redis queue (redis://HOST:PORT, rediss://user:pass@HOST:PORT for TLS) (required)",
    "--concurrency N     jobs at once, each in its own sandboxed process (default: one per core)",
    "--chunks-dir DIR    a shared folder the coordinator writes chunks to: read there first (hash-checked), HTTP otherwise",
    "--lock-ms N         a job's lock; a killed worker's job is retried after about this long (default 15000)",
  ],
  options: { queue: { type: "string" }, concurrency: { type: "string" }, "lock-ms": { type: "string" }, "chunks-dir": { type: "string" } },
  async run(args, io) {
    const url = args.values.queue;
    if (typeof url !== "string") throw new UsageError("--queue redis://HOST:PORT is required");
    const concurrency = intOption(args.values, "concurrency", os.availableParallelism(), 1, 256);
    const lockMs = intOption(args.values, "lock-ms", 15_000, 1000, 3_600_000);
    let worker;
    try {
      const chunksDir = typeof args.values["chunks-dir"] === "string" ? { chunksDir: args.values["chunks-dir"] } : {};
      worker = await startQueueWorker({ url, concurrency, dataDir: args.dataDir, lockMs, ...chunksDir, log: (line) => io.err(line) });
    } catch (err) {
      if (!(err instanceof QueueConnectionError)) throw err;
      io.err(`workstation worker: ${err.message}`);
      return 1;
    }
    const stop = () => void worker.close();
    process.once("SIGINT", stop);
    process.once("SIGTERM", stop);
    await worker.closed;
    process.off("SIGINT", stop);
    process.off("SIGTERM", stop);
    io.err("worker stopped");
    return 0;
  },
};
