import { describe, expect, it } from "vitest";
import { ApiClient, type SocketLike } from "./client.ts";

/** A socket that records what the client sends and lets the test play core's side. */
function fakeSocket(): SocketLike & { sent: Array<{ t: string; id: number; params?: unknown }>; deliver(msg: unknown): void } {
  const socket = {
    readyState: 1,
    sent: [] as Array<{ t: string; id: number; params?: unknown }>,
    onopen: null as ((ev: unknown) => void) | null,
    onmessage: null as ((ev: { data: unknown }) => void) | null,
    onerror: null as ((ev: unknown) => void) | null,
    onclose: null as ((ev: unknown) => void) | null,
    send(data: string) {
      socket.sent.push(JSON.parse(data) as { t: string; id: number });
    },
    close() {},
    deliver(msg: unknown) {
      socket.onmessage?.({ data: JSON.stringify(msg) });
    },
  };
  return socket;
}

describe("ApiClient subscriptions", () => {
  it("shares one wire subscription among callers of the same stream and params", () => {
    const socket = fakeSocket();
    const client = new ApiClient({ connect: () => socket, reconnect: false });
    socket.onopen?.({});
    const a: number[] = [];
    const b: number[] = [];
    const params = { feed: "simulated", symbol: "BTC/USD" };
    const offA = client.subscribe("market.trades", params, { onEvent: (e) => a.push(e.trades.length) });
    const offB = client.subscribe("market.trades", { ...params }, { onEvent: (e) => b.push(e.trades.length) });
    const offOther = client.subscribe("market.trades", { feed: "simulated", symbol: "ETH/USD" }, { onEvent: () => undefined });
    const subs = socket.sent.filter((m) => m.t === "sub");
    expect(subs.map((m) => m.params)).toEqual([params, { feed: "simulated", symbol: "ETH/USD" }]);

    socket.deliver({ t: "event", id: subs[0]!.id, event: { feed: "simulated", symbol: "BTC/USD", trades: [{}, {}] } });
    expect(a).toEqual([2]);
    expect(b).toEqual([2]);

    offA();
    expect(socket.sent.filter((m) => m.t === "unsub")).toEqual([]);
    socket.deliver({ t: "event", id: subs[0]!.id, event: { feed: "simulated", symbol: "BTC/USD", trades: [{}] } });
    expect(a).toEqual([2]);
    expect(b).toEqual([2, 1]);
    offB();
    expect(socket.sent.filter((m) => m.t === "unsub")).toEqual([{ t: "unsub", id: subs[0]!.id }]);

    const c: number[] = [];
    client.subscribe("market.trades", params, { onEvent: (e) => c.push(e.trades.length) });
    const again = socket.sent.filter((m) => m.t === "sub").at(-1)!;
    expect(again.id).not.toBe(subs[0]!.id);
    offOther();
    client.close();
  });

  it("ends every sharer when core ends the stream, and a later caller subscribes anew", () => {
    const socket = fakeSocket();
    const client = new ApiClient({ connect: () => socket, reconnect: false });
    socket.onopen?.({});
    const ended: string[] = [];
    const params = { feed: "simulated", symbol: "BTC/USD" };
    client.subscribe("market.trades", params, { onEvent: () => undefined, onEnd: (e) => ended.push(`a:${e?.code}`) });
    client.subscribe("market.trades", params, { onEvent: () => undefined, onEnd: (e) => ended.push(`b:${e?.code}`) });
    const first = socket.sent.find((m) => m.t === "sub")!;
    socket.deliver({ t: "end", id: first.id, error: { code: "not_found", message: "no such feed" } });
    expect(ended).toEqual(["a:not_found", "b:not_found"]);
    client.subscribe("market.trades", params, { onEvent: () => undefined });
    expect(socket.sent.filter((m) => m.t === "sub")).toHaveLength(2);
    client.close();
  });
});
