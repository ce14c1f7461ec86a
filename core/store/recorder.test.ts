import { spawn } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import readline from "node:readline";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { MarketEvent } from "../../common/market/events.ts";
import { openMarketDb } from "./market-db.ts";
import { Recorder } from "./recorder.ts";
import { RECORDING_MARKER_FILE, recoverUncleanRecording } from "./recording-marker.ts";
import { listInstruments } from "./sources.ts";

let dir = "";
beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), "recorder-"));
});
afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

const trade = (id: number, price: string): MarketEvent => ({
  type: "trade", exchange: "kraken", symbol: "ETH/USD", price, size: "0.000000000000000001", side: "sell", tradeId: String(id), ts: 1700000000000 + id,
});

describe("Recorder", () => {
  it("writes trades exactly, snapshots and integrity events; flushes on stop", async () => {
    const db = await openMarketDb(dir);
    const recorder = new Recorder(db, { flushMs: 60_000 });
    await recorder.start();
    recorder.record(trade(1, "3012.12345678901234567"));
    recorder.record(trade(2, "99999999999999999999"));
    recorder.record({ type: "book_snapshot", exchange: "kraken", symbol: "ETH/USD", bids: [["3012.1", "1"], ["3012", "2"]], asks: [["3012.2", "1"]], ts: 1700000000005 });
    recorder.record({ type: "gap", exchange: "kraken", symbol: "ETH/USD", expected: 10, got: 12 });
    recorder.record({ type: "book_update", exchange: "kraken", symbol: "ETH/USD", bids: [], asks: [], ts: 1 });
    expect(recorder.status()).toMatchObject({ recording: true, buffered: 4, written: 0 });
    await recorder.stop();
    expect(recorder.status()).toMatchObject({ buffered: 0, written: 4 });
    const prices = (await db.conn.runAndReadAll("SELECT price::VARCHAR, size::VARCHAR FROM trades ORDER BY ts")).getRows();
    expect(prices).toEqual([
      ["3012.123456789012345670", "0.000000000000000001"],
      ["99999999999999999999.000000000000000000", "0.000000000000000001"],
    ]);
    const book = (await db.conn.runAndReadAll("SELECT bids FROM book_snapshots")).getRows();
    expect(JSON.parse(String(book[0]![0]))).toEqual([["3012.1", "1"], ["3012", "2"]]);
    const gap = (await db.conn.runAndReadAll("SELECT type, detail FROM integrity_events")).getRows();
    expect(gap).toEqual([["gap", '{"expected":10,"got":12}']]);
    expect(await listInstruments(db)).toMatchObject([{ venue: "kraken", symbol: "ETH/USD", kind: "trades", source: "recorded", firstTs: 1700000000001, lastTs: 1700000000002 }]);
    db.close();
  });

  it("keeps arrival order and every field of a large batch, and trade ids holding its separators", async () => {
    const db = await openMarketDb(dir);
    const recorder = new Recorder(db, { flushMs: 60_000 });
    await recorder.start();
    const sent = Array.from({ length: 5000 }, (_, i): MarketEvent => ({
      type: "trade", exchange: "binance", symbol: "BTC/USDT", price: `${60000 + (i % 7)}.${i}`, size: `0.${i + 1}`, side: i % 3 ? "buy" : "sell", tradeId: `id-${4999 - i}`, ts: 1700000000000 + Math.floor(i / 100),
    }));
    for (const e of sent) recorder.record(e);
    await recorder.flush();
    recorder.record({ ...sent[0]!, tradeId: "odd\u001eid\u001f", price: "1.25" } as MarketEvent);
    await recorder.stop();
    const rows = (await db.conn.runAndReadAll("SELECT venue, symbol, ts::VARCHAR, price::VARCHAR, size::VARCHAR, side, trade_id FROM trades ORDER BY rowid")).getRows();
    const money = (d: string) => (d.includes(".") ? d.padEnd(d.indexOf(".") + 19, "0") : `${d}.${"0".repeat(18)}`);
    const expected = sent.map((e) => e.type === "trade" && [e.exchange, e.symbol, String(e.ts), money(e.price), money(e.size), e.side, e.tradeId]);
    expect(rows.slice(0, 5000)).toEqual(expected);
    expect(rows[5000]).toEqual(["binance", "BTC/USDT", "1700000000000", money("1.25"), money("0.1"), "sell", "odd\u001eid\u001f"]);
    db.close();
  });

  it("stops with an alarm above the disk cap, keeping what was committed", async () => {
    const db = await openMarketDb(dir);
    let alarm = "";
    const recorder = new Recorder(db, { flushMs: 60_000, maxBytes: 1, onAlarm: (m) => (alarm = m) });
    await recorder.start();
    recorder.record(trade(1, "1"));
    await recorder.flush();
    expect(alarm).toMatch(/recording stopped: recordings use \d+ bytes, above the cap of 1 bytes/);
    expect(recorder.status()).toMatchObject({ recording: false, alarm });
    recorder.record(trade(2, "2"));
    expect(recorder.status().buffered).toBe(0);
    await recorder.stop();
    db.close();
  });

  it("a bad price rejects its batch with an alarm and commits nothing of it", async () => {
    const db = await openMarketDb(dir);
    const recorder = new Recorder(db, { flushMs: 60_000 });
    await recorder.start();
    recorder.record(trade(1, "1.5"));
    recorder.record(trade(2, "not-a-number"));
    await recorder.stop();
    expect(recorder.status().alarm).toMatch(/recording stopped/);
    expect((await db.conn.runAndReadAll("SELECT count(*)::INTEGER FROM trades")).getRows()[0]![0]).toBe(0);
    db.close();
  });

  it("keeps every committed row after kill -9", async () => {
    const child = spawn(process.execPath, ["--no-node-snapshot", path.join(import.meta.dirname, "fixtures/record-child.ts"), dir], { stdio: ["ignore", "pipe", "inherit"] });
    let committed = 0;
    const lines = readline.createInterface({ input: child.stdout });
    await new Promise<void>((resolve, reject) => {
      child.on("exit", (code) => reject(new Error(`recorder child exited early (${code})`)));
      lines.on("line", (line) => {
        committed = Number(line.split(" ")[1]);
        if (committed >= 20_000) resolve();
      });
    });
    child.removeAllListeners("exit");
    const exited = new Promise((resolve) => child.on("exit", resolve));
    child.kill("SIGKILL");
    await exited;
    const db = await openMarketDb(dir);
    const [count, distinct, minId, maxId, badPrices] = (
      await db.conn.runAndReadAll(
        `SELECT count(*)::DOUBLE, count(DISTINCT trade_id)::DOUBLE, min(trade_id::BIGINT)::DOUBLE, max(trade_id::BIGINT)::DOUBLE,
                count(*) FILTER (WHERE price::VARCHAR <> (60000 + trade_id::BIGINT % 1000)::VARCHAR || '.' || lpad((trade_id::BIGINT % 100)::VARCHAR, 2, '0') || '0000000000000000')::DOUBLE
         FROM trades`,
      )
    ).getRows()[0] as [number, number, number, number, number];
    expect(count).toBeGreaterThanOrEqual(committed);
    expect(distinct).toBe(count);
    expect([minId, maxId]).toEqual([0, count - 1]);
    expect(badPrices).toBe(0);
    // The outage is on record beside the data: where the recorded trades stop, and who died.
    const events = (await db.conn.runAndReadAll("SELECT venue, symbol, ts::DOUBLE, type, detail FROM integrity_events")).getRows();
    expect(events).toHaveLength(1);
    const [venue, symbol, ts, type, detail] = events[0] as [string, string, number, string, string];
    expect([venue, symbol, type, ts]).toEqual(["binance", "BTC/USDT", "unclean_shutdown", 1700000000000 + count - 1]);
    expect(JSON.parse(detail)).toMatchObject({ from: 1700000000000 + count - 1, pid: child.pid, to: expect.any(Number) });
    expect(fs.existsSync(path.join(dir, RECORDING_MARKER_FILE))).toBe(false);
    db.close();
    const reopened = await openMarketDb(dir);
    expect((await reopened.conn.runAndReadAll("SELECT count(*)::INTEGER FROM integrity_events")).getRows()[0]![0]).toBe(1);
    reopened.close();
  }, 60_000);

  it("records no outage after a clean stop, nor for a recorder still running in this process", async () => {
    const db = await openMarketDb(dir);
    const recorder = new Recorder(db, { flushMs: 60_000 });
    await recorder.start();
    recorder.record(trade(1, "1"));
    await recorder.flush();
    expect(fs.existsSync(path.join(dir, RECORDING_MARKER_FILE))).toBe(true);
    const second = await openMarketDb(path.join(dir, "other"));
    fs.copyFileSync(path.join(dir, RECORDING_MARKER_FILE), path.join(dir, "other", RECORDING_MARKER_FILE));
    expect(await recoverUncleanRecording(second.conn, path.join(dir, "other"))).toBe(0);
    second.close();
    await recorder.stop();
    expect(fs.existsSync(path.join(dir, RECORDING_MARKER_FILE))).toBe(false);
    db.close();
    const reopened = await openMarketDb(dir);
    expect((await reopened.conn.runAndReadAll("SELECT count(*)::INTEGER FROM integrity_events")).getRows()[0]![0]).toBe(0);
    reopened.close();
  });
});
