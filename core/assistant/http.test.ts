import { afterEach, describe, expect, it } from "vitest";
import { ProviderTimeoutError, classifyProviderError } from "./errors.ts";
import { createResilientFetch, retryAfterMs } from "./http.ts";
import { type FakeProvider, startFakeProvider } from "./testing/fake-provider.ts";

let fake: FakeProvider | null = null;
afterEach(async () => {
  await fake?.close();
  fake = null;
});

const body = JSON.stringify({ model: "m", messages: [{ role: "user", content: "hi" }], stream: true });
const post = (f: typeof fetch, url: string, signal?: AbortSignal): Promise<Response> =>
  f(`${url}/chat/completions`, { method: "POST", headers: { "content-type": "application/json" }, body, ...(signal ? { signal } : {}) });

/** A sleep that records the waits and returns at once. */
function recordingSleep(): { waits: number[]; sleep: (ms: number) => Promise<void> } {
  const waits: number[] = [];
  return { waits, sleep: async (ms) => void waits.push(ms) };
}

describe("retryAfterMs", () => {
  it("reads retry-after-ms, Retry-After seconds and Retry-After dates", () => {
    expect(retryAfterMs(new Headers({ "retry-after-ms": "250" }))).toBe(250);
    expect(retryAfterMs(new Headers({ "retry-after": "2" }))).toBe(2000);
    expect(retryAfterMs(new Headers({ "retry-after": "1.5" }))).toBe(1500);
    const now = Date.parse("2025-01-01T00:00:00Z");
    expect(retryAfterMs(new Headers({ "retry-after": "Wed, 01 Jan 2025 00:00:03 GMT" }), now)).toBe(3000);
    expect(retryAfterMs(new Headers({}))).toBeNull();
    expect(retryAfterMs(new Headers({ "retry-after": "soon" }))).toBeNull();
  });
});

describe("resilient fetch", () => {
  it("retries a 429, waiting as long as Retry-After says, then returns the success", async () => {
    fake = await startFakeProvider([{ kind: "error", status: 429, headers: { "retry-after": "3" } }, { text: "ok" }]);
    const { waits, sleep } = recordingSleep();
    const notices: number[] = [];
    const f = createResilientFetch({ timeoutMs: 5000, sleep, onRetry: (n) => notices.push(n.status) });
    const res = await post(f, fake.baseUrl);
    expect(res.status).toBe(200);
    expect(await res.text()).toContain("[DONE]");
    expect(waits).toEqual([3000]);
    expect(notices).toEqual([429]);
    expect(fake.requests).toHaveLength(2);
  });

  it("backs off exponentially on 5xx without Retry-After and gives up after 3 retries", async () => {
    fake = await startFakeProvider([500, 502, 503, 500].map((status) => ({ kind: "error" as const, status })));
    const { waits, sleep } = recordingSleep();
    const f = createResilientFetch({ timeoutMs: 5000, sleep, baseDelayMs: 100 });
    const res = await post(f, fake.baseUrl);
    expect(res.status).toBe(500);
    expect(waits).toEqual([100, 200, 400]);
    expect(fake.requests).toHaveLength(4);
  });

  it("does not retry 401 or 400", async () => {
    fake = await startFakeProvider([{ kind: "error", status: 401 }]);
    const { waits, sleep } = recordingSleep();
    const res = await post(createResilientFetch({ timeoutMs: 5000, sleep }), fake.baseUrl);
    expect(res.status).toBe(401);
    expect(waits).toEqual([]);
  });

  it("does not wait for a Retry-After longer than the maximum", async () => {
    fake = await startFakeProvider([{ kind: "error", status: 429, headers: { "retry-after": "3600" } }]);
    const { waits, sleep } = recordingSleep();
    const res = await post(createResilientFetch({ timeoutMs: 5000, sleep }), fake.baseUrl);
    expect(res.status).toBe(429);
    expect(waits).toEqual([]);
  });

  it("times out a provider that never answers", async () => {
    fake = await startFakeProvider([{ kind: "hang", when: "headers" }]);
    const err = await post(createResilientFetch({ timeoutMs: 150 }), fake.baseUrl).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ProviderTimeoutError);
    expect(classifyProviderError(err)).toMatchObject({ kind: "timeout", retryable: true });
  });

  it("times out a stream that goes silent after it started", async () => {
    fake = await startFakeProvider([{ kind: "hang", when: "stream", text: "partial" }]);
    const res = await post(createResilientFetch({ timeoutMs: 150 }), fake.baseUrl);
    expect(res.status).toBe(200);
    const err = await res.text().catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ProviderTimeoutError);
    expect((err as Error).message).toMatch(/stopped sending/);
  });

  it("stops waiting between retries when the caller aborts", async () => {
    fake = await startFakeProvider([{ kind: "error", status: 429, headers: { "retry-after": "30" } }]);
    const ctrl = new AbortController();
    const f = createResilientFetch({ timeoutMs: 5000, onRetry: () => ctrl.abort() });
    const err = await post(f, fake.baseUrl, ctrl.signal).catch((e: unknown) => e);
    expect((err as Error).name).toBe("AbortError");
    expect(fake.requests).toHaveLength(1);
  });
});

describe("classifyProviderError", () => {
  it("names HTTP failures plainly", () => {
    const http = (statusCode: number, responseBody?: string): Error => Object.assign(new Error("x"), { statusCode, responseBody });
    expect(classifyProviderError(http(401))).toMatchObject({ kind: "auth", status: 401, retryable: true });
    expect(classifyProviderError(http(429))).toMatchObject({ kind: "rate_limit", retryable: true });
    expect(classifyProviderError(http(503, '{"error":{"message":"overloaded"}}')).message).toContain("overloaded");
    expect(classifyProviderError(http(404)).message).toMatch(/base URL and model/);
    const refused = new TypeError("fetch failed", { cause: Object.assign(new Error("connect ECONNREFUSED 127.0.0.1:9"), { code: "ECONNREFUSED" }) });
    expect(classifyProviderError(refused)).toMatchObject({ kind: "network", retryable: true });
    expect(classifyProviderError(new Error("whatever"), true)).toMatchObject({ kind: "cancelled" });
  });
});

describe("connection resets", () => {
  it("sends the request again when a kept-alive socket was closed by the server", async () => {
    fake = await startFakeProvider([{ text: "ok" }]);
    let calls = 0;
    const flaky: typeof fetch = async (input, init) => {
      if (++calls === 1) throw new TypeError("fetch failed", { cause: Object.assign(new Error("read ECONNRESET"), { code: "ECONNRESET" }) });
      return fetch(input, init);
    };
    const res = await post(createResilientFetch({ timeoutMs: 5000, fetch: flaky }), fake.baseUrl);
    expect(res.status).toBe(200);
    expect(calls).toBe(2);
  });
});
