import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { uiChartApi, type ChartDrawing } from "../../common/api/ui-chart.ts";
import type { CallContext } from "../api/handlers.ts";
import { openAppDb, type AppDb } from "../store/app-db.ts";
import { ChartUiState, uiChartHandlers } from "./ui-chart.ts";

const opened: AppDb[] = [];
const ctx = { signal: new AbortController().signal, progress: () => undefined, clientId: "t" } as CallContext;

function setup(dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "ws-uichart-"))) {
  const app = openAppDb(dataDir);
  opened.push(app);
  return { dataDir, h: uiChartHandlers(new ChartUiState(() => app)) };
}

afterEach(() => {
  while (opened.length) opened.pop()!.close();
});

const trend: ChartDrawing = { id: "d1", kind: "trend", a: { time: 1_700_000_000_000, price: 100 }, b: { time: 1_700_003_600_000, price: 110.5 } };

describe("ui.drawings", () => {
  it("keeps drawings per instrument across a reopen of the database", async () => {
    const { h, dataDir } = setup();
    await h["ui.drawings.set"]({ venue: "simulated", symbol: "BTC/USD", drawings: [trend] }, ctx);
    opened.pop()!.close();
    const again = setup(dataDir).h;
    expect(await again["ui.drawings.get"]({ venue: "simulated", symbol: "BTC/USD" }, ctx)).toEqual([trend]);
    expect(await again["ui.drawings.get"]({ venue: "simulated", symbol: "ETH/USD" }, ctx)).toEqual([]);
  });

  it("refuses a drawing of an unknown kind or a non-numeric price before anything is stored", () => {
    const params = uiChartApi["ui.drawings.set"].params;
    expect(params.safeParse({ venue: "simulated", symbol: "X", drawings: [{ ...trend, kind: "spiral" }] }).success).toBe(false);
    expect(params.safeParse({ venue: "simulated", symbol: "X", drawings: [{ ...trend, a: { time: 1, price: "1" } }] }).success).toBe(false);
  });
});

describe("ui.layouts", () => {
  it("saves, replaces by name, lists sorted and deletes", async () => {
    const { h } = setup();
    await h["ui.layouts.save"]({ name: "b", layout: { version: 1, grid: 2 } }, ctx);
    await h["ui.layouts.save"]({ name: "a", layout: { version: 1, grid: 1 } }, ctx);
    const list = await h["ui.layouts.save"]({ name: "b", layout: { version: 9, grid: 4, future: true } }, ctx);
    expect(list.map((l) => [l.name, l.layout])).toEqual([["a", { version: 1, grid: 1 }], ["b", { version: 9, grid: 4, future: true }]]);
    expect((await h["ui.layouts.delete"]({ name: "a" }, ctx)).map((l) => l.name)).toEqual(["b"]);
  });

  it("refuses a layout too large to store", () => {
    const params = uiChartApi["ui.layouts.save"].params;
    expect(params.safeParse({ name: "big", layout: { blob: "x".repeat(70_000) } }).success).toBe(false);
  });
});
