import { afterAll, describe, expect, it } from "vitest";
import { allocateBars } from "../../common/market/bars.ts";
import { silentLogger } from "../log.ts";
import { WORKER_EXEC_ARGV, defaultWorkerEntry } from "../workers/entry.ts";
import { WorkerPool } from "../workers/pool.ts";
import { withBarsFile } from "./bars-handoff.ts";

const pool = new WorkerPool({ size: 1, entry: defaultWorkerEntry(), execArgv: WORKER_EXEC_ARGV, log: silentLogger() });
afterAll(() => pool.shutdown());

describe("bars hand-off to a worker", () => {
  it("delivers every bar through the hand-off file and removes the file afterwards", async () => {
    const bars = allocateBars("BTC/USD", 1000);
    for (let i = 0; i < 1000; i++) bars.time[i] = 1_700_000_000_000 + i * 60_000;
    let file = "";
    const got = await withBarsFile(bars, (ref) => {
      file = ref.file;
      return pool.request<{ bars: number; first: number; last: number }>("bars.load", ref);
    });
    expect(got).toEqual({ bars: 1000, first: 1_700_000_000_000, last: 1_700_000_000_000 + 999 * 60_000 });
    const fs = await import("node:fs");
    expect(fs.existsSync(file)).toBe(false);
  });

  it("refuses a request without a hand-off file", async () => {
    await expect(pool.request("bars.load", {})).rejects.toMatchObject({ code: "bad_request" });
  });
});
