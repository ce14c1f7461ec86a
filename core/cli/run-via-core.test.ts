/**
 * `backtest` and `sweep` with a core running on the data directory: the run goes through the core
 * (a store symbol works although the core holds the DuckDB lock), and the output is exactly what
 * the same command prints without a core. Compile errors come back as the same lines.
 */
import fs from "node:fs";
import http from "node:http";
import type { AddressInfo } from "node:net";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { WebSocketServer } from "ws";
import { lockPath } from "../platform/lock.ts";
import { type RunningCore, startCore } from "../app.ts";
import { silentLogger } from "../log.ts";
import { connectApi } from "./core-client.ts";
import { runCliCaptured, type CliRun } from "./testing.ts";

const TEMPLATE = path.resolve(import.meta.dirname, "../../resources/templates/sma-crossover.ts");
let dir = "";
let dataDir = "";
let csv = "";
let core: RunningCore | null = null;

async function cli(...args: string[]): Promise<CliRun> {
  return runCliCaptured([...args, "--data-dir", dataDir]);
}

beforeAll(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), "ws-run-via-core-"));
  dataDir = path.join(dir, "data");
  csv = path.join(dir, "walk.csv");
  const rows = ["timestamp,open,high,low,close,volume"];
  for (let i = 0; i < 400; i++) {
    const c = (100 + 5 * Math.sin(i / 9) + (i % 7) * 0.01).toFixed(4);
    rows.push(`${1_700_000_000 + i * 60},${c},${c},${c},${c},1`);
  }
  fs.writeFileSync(csv, `${rows.join("\n")}\n`);
  core = await startCore({ dataDir, log: silentLogger(), port: 0, workerCount: 1, feeds: { venues: {}, simulated: false, simulatedRate: 0 } });
  const client = await connectApi(core.port, core.token);
  await client.call("store.import", { files: [csv], symbol: "WALK", timeframe: "1m" });
  client.close();
}, 60_000);

afterAll(async () => {
  await core?.stop();
  fs.rmSync(dir, { recursive: true, force: true });
});

describe("backtest and sweep through a running core", () => {
  it("a store symbol runs through the core (no DuckDB lock error), with the output of a local run on the same bars", async () => {
    const viaCore = await cli("backtest", TEMPLATE, "--data", "WALK", "--json", "--no-save");
    expect(viaCore.err).toEqual([]);
    expect(viaCore.code).toBe(0);
    const json = JSON.parse(viaCore.out[0]!) as { bars: number; trades: unknown[] };
    expect(json.bars).toBe(400);
    const fileViaCore = await cli("backtest", TEMPLATE, "--data", csv, "--json", "--no-save");
    expect(fileViaCore.out).toEqual(viaCore.out);
    const sweepViaCore = await cli("sweep", TEMPLATE, "--data", csv, "--grid", '{"fast":[5,10],"slow":[30]}', "--json", "--no-save");
    expect(sweepViaCore.code).toBe(0);

    await core!.stop();
    core = null;
    const local = await cli("backtest", TEMPLATE, "--data", csv, "--json", "--no-save");
    expect(local.code).toBe(0);
    expect(local.out).toEqual(viaCore.out);
    const sweepLocal = await cli("sweep", TEMPLATE, "--data", csv, "--grid", '{"fast":[5,10],"slow":[30]}', "--json", "--no-save", "--workers", "1");
    expect(sweepLocal.out).toEqual(sweepViaCore.out);
  }, 120_000);
});

describe("compile errors through a running core", () => {
  it("are printed as the same line:column lines, exit 1", async () => {
    core ??= await startCore({ dataDir, log: silentLogger(), port: 0, workerCount: 1, feeds: { venues: {}, simulated: false, simulatedRate: 0 } });
    const bad = path.join(dir, "bad.ts");
    fs.writeFileSync(bad, 'import { defineStrategy } from "workstation";\nexport default defineStrategy({ params: {},\n  onBar(bar, ctx) { const x: string = bar.close; }\n});\n');
    const { code, out, err } = await cli("backtest", bad, "--data", csv);
    expect(code).toBe(1);
    expect(out).toEqual([]);
    expect(err.join("\n")).toMatch(/bad\.ts:3:27: error: Type 'number' is not assignable to type 'string'/);
  }, 60_000);
});

/** A stand-in core of another version: answers the lock probe and `core.info`, nothing else (no hello: the CLI falls back to core.info). */
async function otherVersionCore(dataDir: string): Promise<() => Promise<void>> {
  const server = http.createServer((req, res) => {
    if (req.url === "/api/instance") res.end(JSON.stringify({ instanceId: "other-version" }));
    else res.writeHead(404).end();
  });
  const wss = new WebSocketServer({ server, path: "/api" });
  wss.on("connection", (ws) =>
    ws.on("message", (data) => {
      const msg = JSON.parse(String(data)) as { t: string; id: number; method?: string };
      if (msg.t === "call" && msg.method === "core.info") ws.send(JSON.stringify({ t: "result", id: msg.id, result: { version: "0.0.1-other" } }));
    }),
  );
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  fs.mkdirSync(dataDir, { recursive: true });
  const lock = { pid: process.pid, port, token: "t", url: `http://127.0.0.1:${port}/`, instanceId: "other-version", startedAt: Date.now() };
  fs.writeFileSync(lockPath(dataDir), JSON.stringify(lock));
  return async () => {
    for (const ws of wss.clients) ws.terminate();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  };
}

describe("a running core of another version", () => {
  it("is not used: one warning line, and the run happens here with the same output", async () => {
    const saved = dataDir;
    dataDir = path.join(dir, "no-core");
    const local = await cli("backtest", TEMPLATE, "--data", csv, "--json", "--no-save");
    dataDir = path.join(dir, "other-version");
    const stop = await otherVersionCore(dataDir);
    try {
      const r = await cli("backtest", TEMPLATE, "--data", csv, "--json", "--no-save");
      expect(r.code).toBe(0);
      expect(r.err).toEqual([expect.stringMatching(/^warning: the running core is version 0\.0\.1-other and this CLI .+; running here instead$/)]);
      expect(r.out).toEqual(local.out);
    } finally {
      await stop();
      dataDir = saved;
    }
  }, 60_000);
});
