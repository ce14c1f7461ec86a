import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { openAppDb } from "../store/app-db.ts";
import { sqliteRunRepository } from "../strategy/runs-sqlite.ts";
import { StrategyLibrary } from "./ui-strategies.ts";

const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "ws-library-"));
const app = openAppDb(dataDir);

afterAll(() => {
  app.close();
  fs.rmSync(dataDir, { recursive: true, force: true });
});

function saveRun(strategyName: string, source: string): void {
  sqliteRunRepository(app.db).save({
    kind: "backtest",
    strategyName,
    strategySource: source,
    strategyHash: "h",
    engineVersion: "1",
    params: {},
    data: { source: "x", symbol: "X", timeframe: "1m", facts: null } as never,
    config: { cash: 1, commission: 0, slippageBps: 0, limits: { memoryMb: 64, timeoutMs: 1000 } } as never,
    startedAt: 1,
    finishedAt: 2,
    error: null,
    result: { finalEquity: 1, cash: 1, metrics: {} as never, trades: [], orders: [], equityCurve: null },
  });
}

describe("the strategy library and runs of drafts", () => {
  it("does not list a strategy only a draft's backtest wrote, and lists it once someone saves it", () => {
    const library = new StrategyLibrary(() => app.db);
    library.save("SMA crossover", "a");
    saveRun("SMA crossover (draft)", "b");
    expect(library.list().map((s) => s.name)).toEqual(["SMA crossover"]);
    saveRun("SMA crossover", "a2");
    expect(library.list().map((s) => s.name)).toEqual(["SMA crossover"]);
    library.save("SMA crossover (draft)", "c");
    expect(library.list().map((s) => s.name).sort()).toEqual(["SMA crossover", "SMA crossover (draft)"]);
  });
});
