import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { lockPath } from "../platform/lock.ts";
import { earlyPoolWanted } from "./early-pool.ts";

let dir: string | null = null;
afterEach(() => {
  if (dir) fs.rmSync(dir, { recursive: true, force: true });
  dir = null;
});

describe("the early worker of a backtest", () => {
  it("starts unless the data directory (flag, either spelling, or environment) has a core's lock file", () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), "ws-early-"));
    const argv = ["backtest", "s.ts", "--data", "x.csv", "--data-dir", dir];
    expect(earlyPoolWanted(argv, {})).toBe(true);
    fs.writeFileSync(lockPath(dir), "{}");
    expect(earlyPoolWanted(argv, {})).toBe(false);
    expect(earlyPoolWanted(["backtest", "s.ts", `--data-dir=${dir}`], {})).toBe(false);
    expect(earlyPoolWanted(["backtest", "s.ts"], { WORKSTATION_DATA_DIR: dir })).toBe(false);
    expect(earlyPoolWanted(["backtest", "s.ts"], { WORKSTATION_DATA_DIR: path.join(dir, "other") })).toBe(true);
  });
});
