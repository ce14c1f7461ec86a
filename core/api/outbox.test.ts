import { describe, expect, it } from "vitest";
import type { ServerMessage } from "../../common/api/index.ts";
import { StreamOutbox } from "./outbox.ts";

function congestedSocket() {
  const sent: ServerMessage[] = [];
  const state = { buffered: 10_000_000 };
  return { sent, state, socket: { send: (m: ServerMessage) => sent.push(m), bufferedAmount: () => state.buffered } };
}

describe("StreamOutbox", () => {
  it("keeps only the newest event of a latest stream while congested and counts the rest", () => {
    const { sent, state, socket } = congestedSocket();
    const outbox = new StreamOutbox(socket, { retryMs: 1_000_000 });
    outbox.open(1, "latest");
    for (let i = 0; i < 100; i++) outbox.push(1, i);
    outbox.flush();
    expect(sent).toEqual([]);
    state.buffered = 0;
    outbox.flush();
    expect(sent).toEqual([
      { t: "dropped", id: 1, count: 99 },
      { t: "event", id: 1, event: 99 },
    ]);
    expect(outbox.droppedTotal).toBe(99);
    outbox.dispose();
  });

  it("queues a batch stream up to its cap, dropping the oldest", () => {
    const { sent, state, socket } = congestedSocket();
    const outbox = new StreamOutbox(socket, { batchCap: 3, retryMs: 1_000_000 });
    outbox.open(2, "batch");
    for (let i = 0; i < 5; i++) outbox.push(2, i);
    state.buffered = 0;
    outbox.flush();
    expect(sent).toEqual([
      { t: "dropped", id: 2, count: 2 },
      { t: "event", id: 2, event: 2 },
      { t: "event", id: 2, event: 3 },
      { t: "event", id: 2, event: 4 },
    ]);
    outbox.dispose();
  });

  it("drops nothing when the socket keeps up", () => {
    const { sent, state, socket } = congestedSocket();
    state.buffered = 0;
    const outbox = new StreamOutbox(socket);
    outbox.open(3, "batch");
    for (let i = 0; i < 10; i++) {
      outbox.push(3, i);
      outbox.flush();
    }
    expect(sent.map((m) => (m.t === "event" ? m.event : null))).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
    expect(outbox.droppedTotal).toBe(0);
    outbox.dispose();
  });

  it("forgets a closed stream's queue", () => {
    const { sent, state, socket } = congestedSocket();
    const outbox = new StreamOutbox(socket, { retryMs: 1_000_000 });
    outbox.open(4, "latest");
    outbox.push(4, "x");
    outbox.close(4);
    state.buffered = 0;
    outbox.flush();
    expect(sent).toEqual([]);
    expect(outbox.pendingCount()).toBe(0);
    outbox.dispose();
  });

  it("reports a stream as congested while the socket is backed up or its events wait", () => {
    const { state, socket } = congestedSocket();
    const outbox = new StreamOutbox(socket, { retryMs: 1_000_000 });
    outbox.open(5, "batch");
    expect(outbox.isCongested(5)).toBe(true);
    state.buffered = 0;
    expect(outbox.isCongested(5)).toBe(false);
    state.buffered = 10_000_000;
    outbox.push(5, "a");
    state.buffered = 0;
    expect(outbox.isCongested(5)).toBe(true);
    outbox.flush();
    expect(outbox.isCongested(5)).toBe(false);
    outbox.dispose();
  });
});
