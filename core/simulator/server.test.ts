import { once } from "node:events";
import net from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import WebSocket from "ws";
import { FeedConnection } from "../feeds/connection.ts";
import { Recorder } from "../feeds/test-util.ts";
import { Simulator } from "./server.ts";
import type { SimConnection } from "./venue.ts";

let sim: Simulator;
beforeAll(async () => {
  sim = await Simulator.start({ rate: 0 });
});
afterAll(async () => {
  await sim.close();
});

async function open(url: string): Promise<{ ws: WebSocket; frames: Recorder<string> }> {
  const ws = new WebSocket(url);
  const frames = new Recorder<string>();
  ws.on("message", (d) => frames.push(d.toString()));
  await once(ws, "open");
  return { ws, frames };
}

describe("simulator", () => {
  it("sends many frames in one write that a WebSocket client reads one by one", async () => {
    const { ws, frames } = await open(sim.urls("binance").ws);
    ws.send(JSON.stringify({ method: "LIST_SUBSCRIPTIONS", id: 1 }));
    await frames.untilCount(1);
    frames.values.length = 0;
    const conn = ([...sim.venues.get("binance")!.sessions][0] as { conn: SimConnection }).conn;
    const texts = ["a", "é".repeat(100), "x".repeat(70_000)];
    expect(conn.sendMany(texts)).toBe(true);
    await frames.untilCount(3);
    expect(frames.values).toEqual(texts);
    ws.close();
  });

  it("closes a Binance connection that sends more than 5 requests per second, as Binance does", async () => {
    const { ws, frames } = await open(sim.urls("binance").ws);
    const closed = once(ws, "close") as Promise<[number, Buffer]>;
    for (let i = 0; i < 6; i++) ws.send(JSON.stringify({ method: "LIST_SUBSCRIPTIONS", id: i }));
    const [code] = await closed;
    // Terminated without a close frame (1006), and the sixth request got no answer.
    expect(code).toBe(1006);
    expect(frames.values.map((f) => (JSON.parse(f) as { id: number }).id)).not.toContain(5);
  });

  it("a paced client stays under Binance's limit", async () => {
    const acks = new Recorder<string>();
    // Paced well under the limit (5 a second): the simulator counts requests when its event loop
    // gets to them, so on a loaded machine two of the client's windows can arrive as one.
    const conn = new FeedConnection({
      url: sim.urls("binance").ws,
      silenceMs: 60_000,
      maxSendsPerSecond: 2,
      onOpen: () => {
        for (let i = 0; i < 6; i++) conn.send(JSON.stringify({ method: "SUBSCRIBE", params: [`s${i}@trade`], id: i }));
      },
      onFrame: (text) => acks.push(text),
    });
    conn.start();
    await acks.untilCount(6);
    expect(acks.values.map((a) => (JSON.parse(a) as { id: number }).id)).toEqual([0, 1, 2, 3, 4, 5]);
    expect(conn.stats.reconnects).toBe(0);
    conn.stop();
  });

  it("answers unknown symbols and channels with the venue's error messages", async () => {
    const { ws, frames } = await open(sim.urls("kraken").ws);
    await frames.untilCount(1);
    ws.send(JSON.stringify({ method: "subscribe", params: { channel: "book", symbol: ["NOPE/USD"] }, req_id: 7 }));
    await frames.untilCount(2);
    expect(JSON.parse(frames.values[1]!)).toMatchObject({ method: "subscribe", success: false, error: "Currency pair not supported NOPE/USD", req_id: 7 });
    ws.close();
    const cb = await open(sim.urls("coinbase").ws);
    cb.ws.send(JSON.stringify({ type: "subscribe", product_ids: ["BTC-USD"], channel: "level3" }));
    await cb.frames.untilCount(1);
    expect(JSON.parse(cb.frames.values[0]!)).toEqual({ type: "error", message: "invalid subscription" });
    cb.ws.close();
  });

  it("survives request targets that do not parse and request frames that are not objects", async () => {
    const port = Number(new URL(sim.urls("kraken").rest).port);
    const raw = (text: string): Promise<string> =>
      new Promise((resolve) => {
        const socket = net.connect(port, "127.0.0.1", () => socket.write(text));
        let answer = "";
        socket.setEncoding("latin1");
        socket.on("data", (chunk: string) => (answer += chunk));
        socket.on("close", () => resolve(answer));
        socket.on("error", () => undefined);
      });
    const upgrade = "Upgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Version: 13\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n";
    expect(await raw("GET http://[/ HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")).toMatch(/^HTTP\/1\.1 404 /);
    expect(await raw("GET /kraken//[/x HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")).toMatch(/^HTTP\/1\.1 404 /);
    expect(await raw(`GET //[/v2 HTTP/1.1\r\nHost: x\r\n${upgrade}\r\n`)).toBe("");
    expect(await raw(`GET /kraken//[/v2 HTTP/1.1\r\nHost: x\r\n${upgrade}\r\n`)).toBe("");
    const kraken = await open(sim.urls("kraken").ws);
    await kraken.frames.untilCount(1);
    for (const frame of ["null", "5", "[]"]) kraken.ws.send(frame);
    await kraken.frames.untilCount(4);
    expect(kraken.frames.values.slice(1).map((f) => JSON.parse(f) as unknown)).toEqual(Array(3).fill({ error: "Malformed request", success: false }));
    kraken.ws.close();
    const binance = await open(sim.urls("binance").ws);
    binance.ws.send("null");
    await binance.frames.untilCount(1);
    expect(JSON.parse(binance.frames.values[0]!)).toEqual({ error: { code: 3, msg: "Invalid JSON" } });
    binance.ws.close();
    const coinbase = await open(sim.urls("coinbase").ws);
    coinbase.ws.send("null");
    await coinbase.frames.untilCount(1);
    expect(JSON.parse(coinbase.frames.values[0]!)).toEqual({ type: "error", message: "failure to parse message" });
    coinbase.ws.close();
  });
});
