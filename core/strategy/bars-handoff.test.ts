import { afterAll, describe, expect, it } from "vitest";
import { allocateBars } from "../../common/market/bars.ts";
import { encodeBars } from "../../common/strategy/bars-file.ts";
import { silentLogger } from "../log.ts";
import { WORKER_EXEC_ARGV, defaultWorkerEntry } from "../workers/entry.ts";
import { WorkerPool } from "../workers/pool.ts";
import { openMarketDb } from "../store/market-db.ts";
import { withBarsFile, withStoreBars } from "./bars-handoff.ts";

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

  it("writes exactly the hand-off format of the columns", async () => {
    const bars = allocateBars("ETH/USD", 5);
    for (let i = 0; i < 5; i++) {
      bars.time[i] = 1_700_000_000_000 + i * 60_000;
      bars.open[i] = 10 + i;
      bars.high[i] = 11 + i;
      bars.low[i] = 9 + i;
      bars.close[i] = 10.5 + i;
      bars.volume[i] = 0.1 * i;
    }
    const fs = await import("node:fs");
    const written = await withBarsFile(bars, async (ref) => {
      const b = fs.readFileSync(ref.file);
      return new Float64Array(b.buffer.slice(b.byteOffset, b.byteOffset + b.byteLength));
    });
    expect(Array.from(written)).toEqual(Array.from(encodeBars(bars)));
  });

  it("delivers store bars to a worker, warm on repeat and fresh after a write", async () => {
    const fs = await import("node:fs");
    const os = await import("node:os");
    const path = await import("node:path");
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "handoff-store-"));
    const db = await openMarketDb(dir);
    try {
      await db.conn.run("INSERT INTO bars SELECT 'v', 'S', 60000, 1700000000000 + i * 60000, i, i, i, i, 1 FROM range(500) t(i)");
      await db.conn.run("INSERT INTO instruments VALUES ('v', 'S', 'bars', 'import', 60000, 0, 0, 0)");
      const req = { symbol: "S", timeframe: "1m" } as const;
      const load = () => withStoreBars(db, req, (ref, n) => pool.request<{ bars: number; last: number }>("bars.load", ref).then((r) => ({ ...r, n, file: ref.file })));
      const first = await load();
      const again = await load();
      expect(first).toMatchObject({ bars: 500, n: 500, last: 1_700_000_000_000 + 499 * 60_000 });
      expect(again).toEqual(first);
      await db.conn.run("INSERT INTO bars VALUES ('v', 'S', 60000, 1700000000000 + 500 * 60000, 1, 1, 1, 1, 1)");
      db.generations.bump("v", "S");
      expect(await load()).toMatchObject({ bars: 501, last: 1_700_000_000_000 + 500 * 60_000 });
      db.close();
      // Kept for the next open (see core/store/handoff-persist.ts), in the data directory.
      expect(fs.existsSync(first.file) && first.file.startsWith(dir)).toBe(true);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it("refuses a request without a hand-off file", async () => {
    await expect(pool.request("bars.load", {})).rejects.toMatchObject({ code: "bad_request" });
  });
});
