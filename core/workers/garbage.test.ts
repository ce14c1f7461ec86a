/**
 * Garbage to every worker method through a real worker process: each method of the typed worker
 * map (the list below must name them all, or it does not compile) gets null, scalars, arrays,
 * nested junk and objects with its fields of the wrong type. Every one is answered with a coded
 * error that is not `internal` (or a result where the params happen to be fine), the same worker
 * process then still answers `echo` (it was neither killed nor retired), and `Object.prototype` is
 * untouched.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ApiError } from "../../common/api/index.ts";
import type { WorkerMethodName } from "../../common/worker/methods.ts";
import { silentLogger } from "../log.ts";
import { WORKER_EXEC_ARGV, defaultWorkerEntry } from "./entry.ts";
import { WorkerPool } from "./pool.ts";

/** Every worker method, with the field names its params have. */
const METHODS = {
  echo: ["value"],
  "bars.load": ["file", "symbol", "rows"],
  "bars.reserve": ["bars"],
  "strategy.spareReady": [],
  "strategy.backtest": ["code", "sourceMap", "filename", "bars", "config", "limits"],
  "strategy.sweepBatch": ["code", "sourceMap", "filename", "bars", "config", "limits", "combos", "split"],
  "session.start": ["id", "code", "sourceMap", "filename", "config", "limits", "seed"],
  "session.step": ["id", "json"],
  "session.stop": ["id"],
} satisfies Record<WorkerMethodName, string[]>;

/** Bad values: each is sent as the whole params and as the value of every field. */
const GARBAGE: unknown[] = [
  null,
  undefined,
  "garbage",
  42,
  -1,
  Number.NaN,
  Number.POSITIVE_INFINITY,
  true,
  [],
  [1, "a", null, {}],
  {},
  "-1",
  "NaN",
  "x".repeat(100_000),
  JSON.parse('{"__proto__":{"polluted":"yes"},"constructor":{"prototype":{"polluted":"yes"}}}'),
  { a: { b: [[[{ c: null }]]] } },
  new Float64Array([Number.NaN, -1]),
];

let pool: WorkerPool;

beforeAll(async () => {
  pool = new WorkerPool({ size: 1, entry: defaultWorkerEntry(), execArgv: WORKER_EXEC_ARGV, log: silentLogger() });
  await pool.warmUp();
});

afterAll(async () => {
  await pool.shutdown();
});

/** Params among the garbage that are a fine request: anything to `echo` or `strategy.spareReady` (it takes none), a bar count to reserve, any string id to stop (an unknown one stops nothing). */
function fine(method: WorkerMethodName, params: unknown): boolean {
  const field = (key: string): unknown => (params !== null && typeof params === "object" ? (params as Record<string, unknown>)[key] : undefined);
  if (method === "bars.reserve") return Number.isSafeInteger(field("bars")) && (field("bars") as number) >= 0;
  if (method === "session.stop") return typeof field("id") === "string";
  return method === "echo" || method === "strategy.spareReady";
}

/** What is wrong with the answer to one request, or null. */
async function problemWith(method: WorkerMethodName, params: unknown): Promise<string | null> {
  try {
    await pool.request(method, params);
    return fine(method, params) ? null : "accepted";
  } catch (err) {
    if (!(err instanceof ApiError)) return `not a coded error: ${String(err)}`;
    if (err.code === "internal" || err.message.trim() === "") return `unclear error ${err.code}: ${err.message}`;
    return null;
  }
}

describe("garbage to every worker method", () => {
  it("answers each with a coded error and keeps the same worker serving", async () => {
    const [pid] = pool.status().pids;
    const problems: string[] = [];
    for (const [method, fields] of Object.entries(METHODS) as [WorkerMethodName, string[]][]) {
      for (const g of GARBAGE) {
        for (const params of [g, Object.fromEntries(fields.map((f) => [f, g]))]) {
          const problem = await problemWith(method, params);
          const echo = await pool.request<{ value: unknown; workerPid: number }>("echo", { value: method });
          const replaced = echo.workerPid === pid ? null : `the worker was replaced (pid ${pid} -> ${echo.workerPid})`;
          for (const p of [problem, replaced]) if (p) problems.push(`${method} ${JSON.stringify(params)?.slice(0, 80)}: ${p}`);
        }
      }
    }
    expect(problems).toEqual([]);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  }, 120_000);
});
