/**
 * Handlers of the `screen.*` and `universe.*` API entries, over core's store, feeds and worker pool
 * (strategy screens through the scale-out queue when Compute is set to one, or the request names one).
 */
import { ApiError } from "../../common/api/index.ts";
import type { Instrument } from "../../common/api/market.ts";
import type { PartialHandlers } from "../api/handlers.ts";
import type { Store } from "../store/index.ts";
import { QueryError } from "../store/query.ts";
import { StrategyCompileError } from "../strategy/compile.ts";
import type { WorkerPool } from "../workers/pool.ts";
import type { QueueCoordinator } from "../compute/coordinator.ts";
import type { ComputeService } from "../compute/service.ts";
import { queueTargetOf } from "../compute/settings.ts";
import { runMemberViaQueue } from "../compute/sweep-queue.ts";
import { storeScreenDeps } from "./deps.ts";
import { ScreenError, columnScreenOf, runScreen } from "./screen.ts";
import { screenSchema } from "./sql-screen.ts";
import { ScreenWatch } from "./watch.ts";
import { syntheticUniverse } from "./synthetic.ts";
import { UnknownUniverseError, addUniverse, listUniverses, removeUniverse, showUniverse } from "./universes.ts";

/** What the screener handlers use. */
export interface ScreenerDeps {
  store: Store;
  pool: WorkerPool;
  /** Worker processes (strategy screens run this many members at once). */
  workers: number;
  /** Where strategy screens run when Compute is set to a queue (or the request names one). */
  compute?: ComputeService;
  /** A venue's live instrument list. */
  instruments(venue: string): Promise<Instrument[]>;
}

type Methods = "screen.run" | "screen.watch" | "screen.schema" | "universe.list" | "universe.show" | "universe.add" | "universe.remove" | "universe.synthetic";

/** Screener failures as API errors the client shows as they are. */
export async function screenerErrors<T>(work: () => Promise<T> | T): Promise<T> {
  try {
    return await work();
  } catch (err) {
    if (err instanceof ApiError) throw err;
    if (err instanceof UnknownUniverseError) throw new ApiError("not_found", err.message);
    if (err instanceof StrategyCompileError) throw new ApiError("bad_request", err.message, { diagnostics: err.diagnostics });
    if (err instanceof ScreenError || err instanceof QueryError || err instanceof Error) throw new ApiError("bad_request", err.message.split("\n")[0]!);
    throw err;
  }
}

/** Builds the screener part of the handler map. */
export function screenerHandlers(deps: ScreenerDeps): PartialHandlers<Methods> {
  const { store, pool } = deps;
  return {
    "screen.run": (p, ctx) =>
      screenerErrors(async () => {
        const { queue, ...req } = p;
        const base = { live: true, pool, concurrency: deps.workers, signal: ctx.signal, onProgress: (done: number, total: number) => ctx.progress({ done, total, message: `${done}/${total} symbols` }) };
        // A queue runs up to 16 members at once: the workers do the backtests.
        const viaQueue = (c: QueueCoordinator) => runScreen(req, storeScreenDeps(store, { ...base, concurrency: 16, runMember: runMemberViaQueue.bind(null, c) }));
        const local = () => runScreen(req, storeScreenDeps(store, base));
        if (queue) {
          if (!deps.compute) throw new ApiError("unavailable", "this core cannot coordinate a queue");
          return viaQueue(await deps.compute.coordinatorFor({ ...queueTargetOf(queue.url, queue.serveData, queue.advertise), ...(queue.chunksDir ? { chunksDir: queue.chunksDir } : {}) }));
        }
        return req.strategy && deps.compute ? deps.compute.run("screen.run", req, local, viaQueue) : local();
      }),
    "screen.watch": (p, sink) => {
      let watch: ScreenWatch | null = null;
      try {
        const { screen, sort, filter } = columnScreenOf(p, () => store.app().db);
        const onError = (err: Error): void => sink.end(new ApiError("internal", err.message));
        watch = new ScreenWatch({ screen, sort, filter, market: () => store.market(), onError, ...(p.alertTop ? { alertTop: p.alertTop } : {}) });
        watch.onUpdate((update) => sink.emit(update));
        watch.start();
      } catch (err) {
        sink.end(new ApiError(err instanceof UnknownUniverseError ? "not_found" : "bad_request", (err as Error).message));
      }
      return () => watch?.stop();
    },
    "screen.schema": () => screenerErrors(() => store.withMarket((db) => screenSchema(db))),
    "universe.list": () => screenerErrors(() => listUniverses(store.app().db)),
    "universe.show": (p) => screenerErrors(() => showUniverse(store.app().db, p.name)),
    "universe.add": (p) => screenerErrors(() => addUniverse(p, { app: store.app().db, market: () => store.market(), instruments: deps.instruments })),
    "universe.remove": (p) => screenerErrors(() => ({ removed: removeUniverse(store.app().db, p.name) })),
    "universe.synthetic": (p) => screenerErrors(() => syntheticUniverse(store, p)),
  };
}
