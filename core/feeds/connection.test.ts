import { once } from "node:events";
import type { AddressInfo } from "node:net";
import { afterEach, describe, expect, it } from "vitest";
import { WebSocketServer, type WebSocket } from "ws";
import { backoffDelay } from "./backoff.ts";
import { ManualClock } from "./clock.ts";
import { FeedConnection, type ConnectionState } from "./connection.ts";
import { AttemptWindow } from "./limits.ts";
import { Recorder } from "./test-util.ts";

interface Harness {
  server: WebSocketServer;
  url: string;
  sockets: WebSocket[];
  received: Recorder<string>;
  pings: number;
  nextSocket(): Promise<WebSocket>;
}

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0)) await c();
});

async function startServer(): Promise<Harness> {
  const server = new WebSocketServer({ host: "127.0.0.1", port: 0, autoPong: false });
  await once(server, "listening");
  const h: Harness = {
    server,
    url: `ws://127.0.0.1:${(server.address() as AddressInfo).port}/`,
    sockets: [],
    received: new Recorder<string>(),
    pings: 0,
    nextSocket: () => once(server, "connection").then(([s]) => s as WebSocket),
  };
  server.on("connection", (socket: WebSocket) => {
    h.sockets.push(socket);
    socket.on("message", (d) => h.received.push(d.toString()));
    socket.on("ping", () => h.pings++);
  });
  cleanups.push(() => new Promise<void>((resolve) => {
    for (const s of h.sockets) s.terminate();
    server.close(() => resolve());
  }));
  return h;
}

function waitState(states: Recorder<ConnectionState>, want: ConnectionState): Promise<void> {
  return states.untilLast(want);
}

function makeConnection(url: string, clock: ManualClock, extra: Partial<ConstructorParameters<typeof FeedConnection>[0]> = {}) {
  const states = new Recorder<ConnectionState>();
  const frames = new Recorder<[string, number]>();
  let opens = 0;
  const conn = new FeedConnection({
    url,
    clock,
    random: () => 0,
    backoff: { baseMs: 100, maxMs: 1000, factor: 2 },
    silenceMs: 5000,
    pingMs: 2000,
    onOpen: () => {
      opens++;
      conn.send(`subscribe#${opens}`);
    },
    onFrame: (text, t) => frames.push([text, t]),
    onState: (s) => states.push(s),
    ...extra,
  });
  cleanups.push(() => conn.stop());
  return { conn, states, frames, opens: () => opens };
}

describe("backoff and limits", () => {
  it("grows exponentially with jitter in [cap/2, cap] and stops at the maximum", () => {
    const o = { baseMs: 500, maxMs: 30_000, factor: 2 };
    expect(backoffDelay(0, o, () => 0)).toBe(250);
    expect(backoffDelay(0, o, () => 0.999999)).toBe(500);
    expect(backoffDelay(3, o, () => 0)).toBe(2000);
    expect(backoffDelay(20, o, () => 0)).toBe(15_000);
    expect(backoffDelay(20, o, () => 0.999999)).toBe(30_000);
  });

  it("paces sends and connection attempts with a sliding window", () => {
    const sends = new AttemptWindow(4, 1000);
    for (let i = 0; i < 4; i++) expect(sends.take(i * 100)).toBe(0);
    expect(sends.take(500)).toBe(500);
    expect(sends.take(1000)).toBe(0);
    expect(sends.take(1000)).toBe(100);
    const window = new AttemptWindow(2, 1000);
    expect(window.take(0)).toBe(0);
    expect(window.take(10)).toBe(0);
    expect(window.take(20)).toBe(980);
    expect(window.take(1000)).toBe(0);
  });
});

describe("FeedConnection on a loopback server", () => {
  it("subscribes on open and passes frames with their receive time and received bytes", async () => {
    const h = await startServer();
    const clock = new ManualClock();
    const bytes: string[] = [];
    const { conn, frames } = makeConnection(h.url, clock, { onFrame: (text, t, raw) => (bytes.push(Buffer.from(raw).toString("hex")), frames.push([text, t])) });
    const socketP = h.nextSocket();
    conn.start();
    const socket = await socketP;
    await once(socket, "message");
    expect(h.received.values).toEqual(["subscribe#1"]);
    socket.send("hello");
    socket.send("prix 5 €");
    await frames.untilCount(2);
    expect(frames.values).toEqual([["hello", clock.now()], ["prix 5 €", clock.now()]]);
    expect(bytes).toEqual([Buffer.from("hello").toString("hex"), Buffer.from("prix 5 €").toString("hex")]);
    expect(conn.stats.messages).toBe(2);
  });

  it("reconnects after the venue drops the socket and resubscribes", async () => {
    const h = await startServer();
    const clock = new ManualClock();
    const { conn, states, opens } = makeConnection(h.url, clock);
    const first = h.nextSocket();
    conn.start();
    await h.received.untilCount(1);
    (await first).terminate();
    await waitState(states, "reconnecting");
    const second = h.nextSocket();
    clock.advance(50);
    await second;
    await waitState(states, "open");
    expect(opens()).toBe(2);
    await h.received.untilCount(2);
    expect(h.received.values).toEqual(["subscribe#1", "subscribe#2"]);
    expect(conn.stats.reconnects).toBe(1);
  });

  it("pings an idle connection and reconnects one that stays silent past its window", async () => {
    const h = await startServer();
    const clock = new ManualClock();
    const { conn, states } = makeConnection(h.url, clock);
    const first = h.nextSocket();
    conn.start();
    const socket = await first;
    await waitState(states, "open");
    const ping = once(socket, "ping");
    clock.advance(2000);
    await ping;
    expect(h.pings).toBe(1);
    clock.advance(2999);
    expect(conn.state).toBe("open");
    const second = h.nextSocket();
    clock.advance(1);
    expect(conn.state).toBe("reconnecting");
    expect(conn.stats.silences).toBe(1);
    clock.advance(100);
    await second;
    await waitState(states, "open");
  });

  it("a pong or frame keeps a quiet connection alive", async () => {
    const h = await startServer();
    const clock = new ManualClock();
    const { conn, states, frames } = makeConnection(h.url, clock);
    const first = h.nextSocket();
    conn.start();
    const socket = await first;
    await waitState(states, "open");
    for (let i = 0; i < 4; i++) {
      clock.advance(2000);
      socket.send(`tick${i}`);
      await frames.untilCount(i + 1);
    }
    expect(conn.state).toBe("open");
    expect(conn.stats.silences).toBe(0);
  });

  it("backs off with growing delays while the venue is down", async () => {
    const h = await startServer();
    const url = h.url;
    await new Promise<void>((resolve) => h.server.close(() => resolve()));
    const clock = new ManualClock();
    const details = new Recorder<string>();
    const conn = new FeedConnection({
      url,
      clock,
      random: () => 0,
      backoff: { baseMs: 100, maxMs: 1000, factor: 2 },
      silenceMs: 5000,
      onOpen: () => undefined,
      onFrame: () => undefined,
      onState: (s, d) => s === "reconnecting" && details.push(d),
    });
    cleanups.push(() => conn.stop());
    conn.start();
    for (const delay of [50, 100, 200, 400, 500]) {
      await details.untilCount(1);
      expect(details.values.shift()).toMatch(new RegExp(`retry in ${delay} ms$`));
      clock.advance(delay);
    }
  });
});
