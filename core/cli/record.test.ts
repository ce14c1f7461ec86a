import { spawn } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { createInterface } from "node:readline";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import WebSocket from "ws";
import { Simulator } from "../simulator/server.ts";
import type { CliIo } from "./command.ts";
import { runCli } from "./main.ts";

let sim: Simulator;
let dir: string;

beforeAll(async () => {
  sim = await Simulator.start({ rate: 1000, tradeShare: 0.4 });
  dir = fs.mkdtempSync(path.join(os.tmpdir(), "record-cli-"));
});
afterAll(async () => {
  await sim.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

function capture(): CliIo & { stdout: string[]; stderr: string[] } {
  const stdout: string[] = [];
  const stderr: string[] = [];
  return { stdout, stderr, out: (l) => stdout.push(l), err: (l) => stderr.push(l), env: {} };
}

const SYMBOLS = { kraken: "BTC/USD,ETH/USD", coinbase: "BTC/USD,ETH/USD", binance: "BTC/USDT,ETH/USDT" } as const;

describe("workstation record", () => {
  it.each(["kraken", "coinbase", "binance"] as const)("%s: replay of the recording prints exactly what live emitted", async (venue) => {
    const out = path.join(dir, `${venue}.jsonl`);
    const events = path.join(dir, `${venue}.live.ndjson`);
    const { ws, rest } = sim.urls(venue);
    const io = capture();
    const code = await runCli(["record", "--venue", venue, "--symbols", SYMBOLS[venue], "--out", out, "--ws", ws, "--rest", rest, "--frames", "600", "--events", events, "--data-dir", dir], io);
    expect(code).toBe(0);
    const summary = JSON.parse(io.stdout[0]!) as { lines: number; frames: number; trades: number };
    expect(summary.frames).toBeGreaterThanOrEqual(600);
    expect(summary.trades).toBeGreaterThan(0);
    expect(fs.readFileSync(out, "utf8").trim().split("\n")).toHaveLength(summary.lines);
    const replay = capture();
    expect(await runCli(["replay", "--venue", venue, "--input", out], replay)).toBe(0);
    const live = fs.readFileSync(events, "utf8").trim().split("\n").map((l) => JSON.parse(l) as unknown);
    expect(replay.stdout.map((l) => JSON.parse(l) as unknown)).toEqual(live);
  });

  it("refuses bad arguments with exit 2", async () => {
    const io = capture();
    expect(await runCli(["record", "--venue", "ftx", "--symbols", "BTC/USD", "--out", "x"], io)).toBe(2);
    expect(await runCli(["record", "--venue", "kraken", "--symbols", "btcusd!", "--out", "x"], io)).toBe(2);
    expect(await runCli(["record", "--venue", "kraken", "--symbols", "BTC/USD", "--out", "x", "--ws", "ws://127.0.0.1:1/v2", "--data-dir", dir], io)).toBe(2);
    expect(io.stderr.at(-1)).toMatch(/--ws and --rest go together/);
  });
});

describe("workstation simulate", () => {
  it("refuses unknown venues and faults with exit 2", async () => {
    const io = capture();
    expect(await runCli(["simulate", "--venues", "kraken,ftx"], io)).toBe(2);
    expect(await runCli(["simulate", "--fault", "meteor:5"], io)).toBe(2);
    expect(io.stderr.at(-1)).toMatch(/--fault must be KIND:SECONDS/);
  });

  it("prints its URLs, serves a venue's protocol, and exits 0 on SIGTERM", async () => {
    const child = spawn(process.execPath, ["--no-node-snapshot", path.join(import.meta.dirname, "main.ts"), "simulate", "--venues", "kraken", "--rate", "50"], { stdio: ["ignore", "pipe", "pipe"] });
    const first = await new Promise<string>((resolve) => createInterface({ input: child.stdout }).once("line", resolve));
    const urls = JSON.parse(first) as { venues: { kraken: { ws: string; rest: string } } };
    const pairs = (await (await fetch(`${urls.venues.kraken.rest}/0/public/AssetPairs`)).json()) as { result: Record<string, { wsname: string }> };
    expect(Object.values(pairs.result).map((p) => p.wsname)).toEqual(["BTC/USD", "ETH/USD"]);
    const socket = new WebSocket(urls.venues.kraken.ws);
    const status = await new Promise<string>((resolve) => socket.once("message", (d) => resolve(d.toString())));
    expect(JSON.parse(status)).toMatchObject({ channel: "status" });
    socket.close();
    const exit = new Promise<number | null>((resolve) => child.once("exit", (code) => resolve(code)));
    child.kill("SIGTERM");
    expect(await exit).toBe(0);
  });
});
