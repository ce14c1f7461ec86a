import { describe, expect, it } from "vitest";
import { ApiError, type ServerMessage } from "../../common/api/index.ts";
import { silentLogger } from "../log.ts";
import type { ApiHandlers } from "./handlers.ts";
import { ApiSession } from "./session.ts";

function harness(overrides: Partial<ApiHandlers> = {}) {
  const sent: ServerMessage[] = [];
  let release: (() => void) | null = null;
  const handlers = {
    "core.info": () => ({ instanceId: "i", sessionId: "s", version: "0", node: "v24", pid: 1, dataDir: "/d", startedAt: 0 }),
    "core.ping": (p: { echo?: string | undefined }) => ({ echo: p.echo ?? null, time: 1 }),
    "core.status": (_p: unknown, sink: { emit(e: unknown): void }) => {
      sink.emit({ n: 1 });
      sink.emit({ n: 2 });
    },
    "workers.echo": (_p: unknown, ctx: { signal: AbortSignal; progress(p: { done: number }): void }) =>
      new Promise((resolve, reject) => {
        ctx.progress({ done: 1 });
        release = () => resolve({ value: 1, workerPid: 2 });
        ctx.signal.addEventListener("abort", () => reject(new ApiError("cancelled", "stopped")));
      }),
    ...overrides,
  } as unknown as ApiHandlers;
  const session = new ApiSession(handlers, { send: (m) => sent.push(m), bufferedAmount: () => 0 }, silentLogger(), "t");
  const tick = () => new Promise((r) => setImmediate(r));
  return { session, sent, tick, release: () => release?.() };
}

describe("ApiSession", () => {
  it("validates params and answers a call with its result", async () => {
    const h = harness();
    h.session.receive(JSON.stringify({ t: "call", id: 1, method: "core.ping", params: { echo: "hi" } }));
    await h.tick();
    expect(h.sent).toEqual([{ t: "result", id: 1, result: { echo: "hi", time: 1 } }]);
  });

  it("answers bad params with bad_request naming the field, and keeps serving", async () => {
    const h = harness();
    h.session.receive(JSON.stringify({ t: "call", id: 2, method: "core.ping", params: { echo: 42 } }));
    h.session.receive(JSON.stringify({ t: "call", id: 3, method: "core.ping", params: {} }));
    await h.tick();
    const err = h.sent.find((m) => m.t === "error");
    expect(err).toMatchObject({ t: "error", id: 2, error: { code: "bad_request" } });
    expect(err && err.t === "error" ? err.error.message : "").toContain("echo");
    expect(h.sent).toContainEqual({ t: "result", id: 3, result: { echo: null, time: 1 } });
  });

  it("rejects unknown methods and malformed frames without throwing", async () => {
    const h = harness();
    h.session.receive(JSON.stringify({ t: "call", id: 4, method: "nope.nothing", params: {} }));
    h.session.receive("{not json");
    h.session.receive(JSON.stringify({ t: "call", id: "x" }));
    await h.tick();
    expect(h.sent.filter((m) => m.t === "error" && m.id === -1)).toHaveLength(2);
    expect(h.sent).toContainEqual(expect.objectContaining({ t: "error", id: 4, error: expect.objectContaining({ code: "unknown_method" }) }));
  });

  it("turns a handler's plain exception into an internal error", async () => {
    const h = harness({
      "core.info": () => {
        throw new Error("boom");
      },
    } as Partial<ApiHandlers>);
    h.session.receive(JSON.stringify({ t: "call", id: 5, method: "core.info", params: {} }));
    await h.tick();
    expect(h.sent).toEqual([{ t: "error", id: 5, error: { code: "internal", message: "boom" } }]);
  });

  it("reports progress and stops a cancelled call without replying", async () => {
    const h = harness();
    h.session.receive(JSON.stringify({ t: "call", id: 6, method: "workers.echo", params: { value: 1 } }));
    await h.tick();
    expect(h.sent).toEqual([{ t: "progress", id: 6, progress: { done: 1 } }]);
    h.session.receive(JSON.stringify({ t: "cancel", id: 6 }));
    await h.tick();
    expect(h.sent).toHaveLength(1);
  });

  it("delivers stream events through the outbox, coalescing a latest stream", async () => {
    const h = harness();
    h.session.receive(JSON.stringify({ t: "sub", id: 7, stream: "core.status", params: {} }));
    await h.tick();
    expect(h.sent).toEqual([
      { t: "dropped", id: 7, count: 1 },
      { t: "event", id: 7, event: { n: 2 } },
    ]);
  });

  it("ends a subscription with an error when its params are invalid", async () => {
    const h = harness();
    h.session.receive(JSON.stringify({ t: "sub", id: 8, stream: "core.status", params: { intervalMs: 1 } }));
    await h.tick();
    expect(h.sent[0]).toMatchObject({ t: "end", id: 8, error: { code: "bad_request" } });
  });

  it("refuses the 257th open subscription with limit_exceeded and accepts one again after an unsub", async () => {
    const h = harness();
    for (let id = 1; id <= 257; id++) h.session.receive(JSON.stringify({ t: "sub", id, stream: "core.status", params: {} }));
    await h.tick();
    const ended = h.sent.filter((m) => m.t === "end");
    expect(ended).toEqual([{ t: "end", id: 257, error: { code: "limit_exceeded", message: expect.stringContaining("limit 256") } }]);
    h.session.receive(JSON.stringify({ t: "unsub", id: 1 }));
    h.session.receive(JSON.stringify({ t: "sub", id: 258, stream: "core.status", params: {} }));
    await h.tick();
    expect(h.sent.filter((m) => m.t === "end")).toHaveLength(1);
    expect(h.sent).toContainEqual({ t: "event", id: 258, event: { n: 2 } });
  });

  it("refuses the 65th request in flight with limit_exceeded and serves again once one finishes", async () => {
    const h = harness();
    for (let id = 1; id <= 65; id++) h.session.receive(JSON.stringify({ t: "call", id, method: "workers.echo", params: { value: 1 } }));
    await h.tick();
    const errors = h.sent.filter((m) => m.t === "error");
    expect(errors).toEqual([{ t: "error", id: 65, error: { code: "limit_exceeded", message: expect.stringContaining("limit 64") } }]);
    h.session.receive(JSON.stringify({ t: "cancel", id: 1 }));
    await h.tick();
    h.session.receive(JSON.stringify({ t: "call", id: 66, method: "core.ping", params: { echo: "again" } }));
    await h.tick();
    expect(h.sent).toContainEqual({ t: "result", id: 66, result: { echo: "again", time: 1 } });
  });

  it("refuses a second stream under an id that is already open, keeping the first", async () => {
    const h = harness();
    h.session.receive(JSON.stringify({ t: "sub", id: 9, stream: "core.status", params: {} }));
    h.session.receive(JSON.stringify({ t: "sub", id: 9, stream: "core.status", params: {} }));
    await h.tick();
    expect(h.sent).toContainEqual({ t: "end", id: 9, error: { code: "conflict", message: "stream id 9 is already open" } });
    expect(h.sent.filter((m) => m.t === "event" && m.id === 9)).toHaveLength(1);
  });
});
