/** Handlers of the `core.*` and `workers.*` API entries. */
import type { CoreInfo, CoreStatus } from "../../common/api/index.ts";
import type { PartialHandlers } from "../api/handlers.ts";
import type { WorkerPool } from "../workers/pool.ts";

/** What the system handlers read. */
export interface SystemDeps {
  info: CoreInfo;
  pool: WorkerPool;
  clientCount: () => number;
}

/** Builds the system part of the handler map. */
export function systemHandlers(deps: SystemDeps): PartialHandlers<"core.info" | "core.ping" | "core.status" | "workers.echo"> {
  const sample = (): CoreStatus => {
    const { alive, restarts } = deps.pool.status();
    return {
      time: Date.now(),
      uptimeMs: Date.now() - deps.info.startedAt,
      rssBytes: process.memoryUsage.rss(),
      clients: deps.clientCount(),
      workers: { alive, restarts },
    };
  };
  return {
    "core.info": () => deps.info,
    "core.ping": (params) => ({ echo: params.echo ?? null, time: Date.now() }),
    "core.status": (params, sink) => {
      sink.emit(sample());
      const timer = setInterval(() => sink.emit(sample()), params.intervalMs);
      return () => clearInterval(timer);
    },
    "workers.echo": (params, ctx) => deps.pool.call("echo", { value: params.value }, { signal: ctx.signal }),
  };
}
