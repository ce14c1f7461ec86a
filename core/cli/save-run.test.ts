import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import type { Metrics } from "../../common/strategy/results.ts";
import { openAppDb } from "../store/app-db.ts";
import type { BacktestRunRecord } from "../strategy/runs.ts";
import { sqliteRunRepository } from "../strategy/runs-sqlite.ts";
import { openRunSave } from "./save-run.ts";

let dir: string | null = null;
afterEach(() => {
  if (dir) fs.rmSync(dir, { recursive: true, force: true });
  dir = null;
});

const facts = { hash: "f", bars: 1, from: 0, to: 0, gaps: 0, maxGapMs: 0 };
const json = '{"finalEquity":1,"cash":1,"metrics":{},"trades":[],"orders":[],"equityCurve":null}';
const record: BacktestRunRecord = {
  ...{ kind: "backtest", strategyName: "s", strategySource: "export default 1;", strategyHash: "h", engineVersion: "1", params: {}, config: {} },
  ...{ data: { source: "x.csv", symbol: "X", timeframe: null, facts }, startedAt: 1, finishedAt: 2, error: null },
  result: { json, finalEquity: 1, metrics: {} as Metrics },
};

/** Lets the ahead open run (it is a task after the run's start settles). */
async function settle(): Promise<void> {
  for (let i = 0; i < 2; i++) await new Promise((resolve) => setImmediate(resolve));
}

function capture(): { err: string[]; io: { out: (l: string) => void; err: (l: string) => void; env: NodeJS.ProcessEnv } } {
  const err: string[] = [];
  return { err, io: { out: () => undefined, err: (l) => err.push(l), env: {} } };
}

describe("a CLI run's save with the app database opened ahead", () => {
  it("saves into the database opened once the run started, or opens it at save time", async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), "ws-save-"));
    const ahead = openRunSave(dir, Promise.resolve());
    await settle();
    expect(fs.existsSync(path.join(dir, "app.sqlite"))).toBe(true);
    const early = capture();
    ahead.save(record, early.io);
    openRunSave(dir, new Promise(() => undefined)).save(record, early.io);
    expect(early.err).toEqual([]);
    const app = openAppDb(dir);
    expect(sqliteRunRepository(app.db).list(10).map((r) => r.strategyName)).toEqual(["s", "s"]);
    app.close();
  });

  it("warns in one line when the database cannot be opened, and a run not saved closes it", async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), "ws-save-"));
    const notADir = path.join(dir, "file");
    fs.writeFileSync(notADir, "");
    const failing = openRunSave(notADir, Promise.resolve());
    await settle();
    const { err, io } = capture();
    failing.save(record, io);
    expect(err).toHaveLength(1);
    expect(err[0]).toMatch(/^warning: the run was not saved: /);
    const unused = openRunSave(dir, Promise.resolve());
    await settle();
    expect(fs.existsSync(path.join(dir, "app.sqlite"))).toBe(true);
    unused.close();
  });
});
