/**
 * Garbage through a real core: for every request and stream of the API map (iterated, so a new
 * method is covered the day it is added), frames with wrong types, missing fields, huge strings,
 * nested junk, null, arrays, numbers as strings and `__proto__` / `constructor` keys, and
 * payloads of the schema's own shape whose every leaf is nonsense of the right type (generated
 * from the zod schema: each leaf "NaN", "-1", control characters, a 100 kB string, -1, 0.5, ...
 * where the leaf's schema takes it, so most reach the handler). Every one
 * gets a clear reply in time: params the schema refuses are a `bad_request` naming the method
 * (nothing runs), params it accepts reach the handler and end in a result or a coded error that is
 * not `internal` (a handler that threw something unplanned). After each method core still answers
 * `core.ping`; at the end no order exists and `Object.prototype` is untouched, and the refused
 * payloads wrote nothing (the read methods answer as before, checked before the typed phase).
 */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import WebSocket from "ws";
import type { z } from "zod";
import { apiSpec, type ServerMessage } from "../../common/api/index.ts";
import { startCore, type RunningCore } from "../app.ts";
import { silentLogger } from "../log.ts";

/** How long one frame may wait for its reply. */
const REPLY_MS = 15_000;

/** JSON texts of bad values: each is sent as the whole params and as the value of every field. */
const GARBAGE = [
  "null",
  '"garbage"',
  "42",
  "-1",
  "-1e308",
  "true",
  "[]",
  '[1,"a",null,{}]',
  "{}",
  '"-1"',
  '"NaN"',
  '"1e999"',
  '"Infinity"',
  '""',
  JSON.stringify("x".repeat(200_000)),
  JSON.stringify("\u0000\u202e<script>"),
  '{"__proto__":{"polluted":"yes"},"constructor":{"prototype":{"polluted":"yes"}}}',
  '{"a":{"b":{"c":[[[[{"d":[null,{"e":"f"}]}]]]]}}}',
];

/** Methods that report what the data directory holds; asked before and after the garbage. */
const READS = [
  "store.symbols",
  "ui.settings.get",
  "ui.watchlist.get",
  "ui.strategies.list",
  "ui.layouts.list",
  "strategy.runs",
  "alerts.list",
  "universe.list",
  "trading.orders",
  "trading.fills",
  "trading.sessions",
  "live.sessions",
  "live.orders",
  "assistant.conversations",
  "compute.settings.get",
  "compute.runs",
] as const;

/**
 * Type-valid nonsense the schema accepts would be a real request to these: a write a user could
 * make (a secret or a key in the OS keychain, an account's login, a queue to connect to, files
 * written where asked) rather than garbage. They still get every payload the schema refuses.
 */
const NO_VALID_PAYLOADS = new Set(["ui.secrets.set", "cloud.signup", "cloud.login", "compute.settings.set", "assistant.configure", "store.export"]);

/**
 * Leaf values of typed-nonsense payloads. Variant `v` gives each leaf the first value from index
 * `v` on (wrapping) that the leaf's own schema accepts, else the one at `v`: so most payloads pass
 * validation and reach the handler with values no caller means (small counts only: a payload must
 * not ask core for gigabytes).
 */
const LEAVES = {
  text: ["NaN", "-1", "\u0000\u202e<x>'\"; --", "__proto__", "x".repeat(100_000), "0", "BTC/USD", "1m", "a", "live:kraken", "0123456789ab"],
  num: [-1, 0, 0.5, 1e-300, 1, 2, 3],
};

/** How many typed-nonsense payloads each entry gets. */
const VARIANTS = 5;

/** The first of `values` from index `v` on that `schema` accepts, else the one at `v`. */
function leaf<T>(schema: z.ZodType, values: readonly T[], v: number): T {
  for (let i = 0; i < values.length; i++) {
    const value = values[(v + i) % values.length]!;
    if (schema.safeParse(value).success) return value;
  }
  return values[v % values.length]!;
}

/** Internals of a zod (v4) schema the generator reads. */
interface SchemaDef {
  type: string;
  innerType?: z.ZodType;
  element?: z.ZodType;
  options?: z.ZodType[];
  in?: z.ZodType;
  valueType?: z.ZodType;
  entries?: Record<string, string>;
  values?: unknown[];
}

/** A value of the schema's shape whose every leaf is variant `v`'s nonsense ({@link leaf}); records and unknowns carry `__proto__` keys. */
function nonsense(schema: z.ZodType, v: number): unknown {
  const def = (schema as unknown as { def: SchemaDef }).def;
  const polluting = (value: unknown): unknown => JSON.parse(`{"__proto__":${JSON.stringify(value)},"constructor":${JSON.stringify(value)}}`);
  switch (def.type) {
    case "object":
      return Object.fromEntries(Object.entries((schema as unknown as { shape: Record<string, z.ZodType> }).shape).map(([k, f]) => [k, nonsense(f, v)]));
    case "optional":
    case "default": {
      // Left out when its schema refuses it, so one bad optional field does not hide the others.
      const value = nonsense(def.innerType!, v);
      return def.innerType!.safeParse(value).success ? value : undefined;
    }
    case "nullable":
      return nonsense(def.innerType!, v);
    case "pipe":
      return nonsense(def.in!, v);
    case "array":
      return [nonsense(def.element!, v)];
    case "union":
      return nonsense(def.options![v % def.options!.length]!, v);
    case "record":
      return polluting(nonsense(def.valueType!, v));
    case "enum":
      return leaf(schema, Object.values(def.entries!), v);
    case "literal":
      return def.values![0];
    case "string":
      return leaf(schema, LEAVES.text, v);
    case "number":
      return leaf(schema, LEAVES.num, v);
    case "boolean":
      return v % 2 === 0;
    default:
      return JSON.parse('{"__proto__":{"polluted":"yes"},"constructor":{"prototype":{"polluted":"yes"}}}');
  }
}

type Reply = Extract<ServerMessage, { t: "result" | "error" | "end" | "event" }>;

/** One raw API connection: frames are sent as text, exactly as given. */
class RawApi {
  private nextId = 1;
  private readonly waiting = new Map<number, { resolve: (msg: Reply) => void; timer: NodeJS.Timeout }>();

  private readonly ws: WebSocket;

  private constructor(ws: WebSocket) {
    this.ws = ws;
    ws.on("message", (data) => {
      const msg = JSON.parse(String(data)) as ServerMessage;
      if (msg.t !== "result" && msg.t !== "error" && msg.t !== "end" && msg.t !== "event") return;
      const waiter = this.waiting.get(msg.id);
      this.forget(msg.id);
      waiter?.resolve(msg);
    });
  }

  /** Connects and waits for the hello. */
  static open(core: RunningCore): Promise<RawApi> {
    const ws = new WebSocket(`ws://127.0.0.1:${core.port}/api`, { headers: { authorization: `Bearer ${core.token}` } });
    return new Promise((resolve, reject) => {
      ws.once("message", () => resolve(new RawApi(ws)));
      ws.once("error", reject);
    });
  }

  /** Sends a call or a sub whose params are the JSON text `params`; resolves with its first reply. */
  send(t: "call" | "sub", name: string, params: string): Promise<Reply> {
    const id = this.nextId++;
    const key = t === "call" ? "method" : "stream";
    const reply = this.replyTo(id, `${t} ${name} ${params.slice(0, 80)}`);
    this.ws.send(`{"t":"${t}","id":${id},"${key}":${JSON.stringify(name)},"params":${params}}`);
    return reply;
  }

  /**
   * Subscribes with the JSON text `params`, then pings: core handles a connection's frames in
   * order, so a subscription it refuses or whose handler throws has ended before the ping's answer.
   * Resolves with the stream's first reply, or "open" when the ping answered first; then unsubscribes.
   */
  async subscribe(name: string, params: string): Promise<Reply | "open"> {
    const id = this.nextId;
    const first = this.send("sub", name, params);
    const ping = this.send("call", "core.ping", "{}").then(() => "open" as const);
    const outcome = await Promise.race([first, ping]);
    this.forget(id);
    this.ws.send(JSON.stringify({ t: "unsub", id }));
    return outcome;
  }

  private replyTo(id: number, what: string): Promise<Reply> {
    return new Promise<Reply>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.waiting.delete(id);
        reject(new Error(`no reply to ${what} within ${REPLY_MS} ms`));
      }, REPLY_MS);
      this.waiting.set(id, { resolve, timer });
    });
  }

  /** Stops waiting for a reply to `id` (its promise then never settles). */
  private forget(id: number): void {
    clearTimeout(this.waiting.get(id)?.timer);
    this.waiting.delete(id);
  }

  /** Calls a method with well-formed params; its result (an error reply throws). */
  async call(method: string, params: unknown = {}): Promise<unknown> {
    const reply = await this.send("call", method, JSON.stringify(params));
    if (reply.t !== "result") throw new Error(`${method}: ${JSON.stringify(reply)}`);
    return reply.result;
  }

  close(): void {
    this.ws.close();
  }
}

/** The garbage payloads for one entry: every garbage value as the params and as every field at once. */
function garbagePayloads(schema: z.ZodType): string[] {
  const shape = (schema as unknown as { shape?: Record<string, unknown> }).shape ?? {};
  const keys = Object.keys(shape);
  const asFields = keys.length === 0 ? [] : GARBAGE.map((g) => `{${keys.map((k) => `${JSON.stringify(k)}:${g}`).join(",")}}`);
  return [...GARBAGE, ...asFields];
}

/** The typed-nonsense payloads for one entry, {@link VARIANTS} of them. */
function typedPayloads(schema: z.ZodType): string[] {
  return Array.from({ length: VARIANTS }, (_, v) => JSON.stringify(nonsense(schema, v)));
}

/** Whether the schema accepts the params, as the session checks them (absent or null params are `{}`). */
function accepts(schema: z.ZodType, params: string): boolean {
  return schema.safeParse((JSON.parse(params) as unknown) ?? {}).success;
}

/** Checks the reply to one payload; returns a description of what is wrong, or null. */
function judge(name: string, valid: boolean, reply: Reply | "open"): string | null {
  if (reply === "open") return valid ? null : "refused params opened the stream";
  if (!valid) {
    const body = reply.t === "error" || reply.t === "end" ? reply.error : undefined;
    if (body?.code !== "bad_request" || !body.message.startsWith(`invalid params for ${name}`)) return `refused params answered ${JSON.stringify(reply).slice(0, 300)}`;
    return null;
  }
  const body = reply.t === "error" || reply.t === "end" ? reply.error : undefined;
  if (body && (body.code === "internal" || body.message.trim() === "")) return `unclear error ${JSON.stringify(body).slice(0, 300)}`;
  return null;
}

let dir = "";
let core: RunningCore;
let api: RawApi;

beforeAll(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), "ws-api-garbage-"));
  core = await startCore({ dataDir: dir, log: silentLogger(), port: 0, workerCount: 1, feeds: { venues: {}, simulated: false, simulatedRate: 0 } });
  api = await RawApi.open(core);
}, 60_000);

afterAll(async () => {
  api?.close();
  await core?.stop();
  fs.rmSync(dir, { recursive: true, force: true });
});

async function snapshot(): Promise<Record<string, unknown>> {
  const out: Record<string, unknown> = {};
  for (const name of READS) out[name] = await api.call(name);
  return out;
}

/** Sends each entry its payloads, one at a time, then pings; returns what went wrong. */
async function fuzz(payloadsOf: (schema: z.ZodType) => string[]): Promise<string[]> {
  const problems: string[] = [];
  for (const [name, spec] of Object.entries(apiSpec)) {
    const schema = spec.params as z.ZodType;
    for (const params of payloadsOf(schema)) {
      const valid = accepts(schema, params);
      if (valid && NO_VALID_PAYLOADS.has(name)) continue;
      try {
        const reply = spec.kind === "method" ? await api.send("call", name, params) : await api.subscribe(name, params);
        const problem = judge(name, valid, reply);
        if (problem) problems.push(`${name} ${params.slice(0, 80)}: ${problem}`);
      } catch (err) {
        problems.push(`${name}: ${(err as Error).message}`);
      }
    }
    const ping = (await api.call("core.ping", { echo: name })) as { echo: string };
    if (ping.echo !== name) problems.push(`${name}: core.ping answered ${JSON.stringify(ping)}`);
  }
  return problems;
}

describe("garbage through every API entry", () => {
  it("answers each garbage frame clearly and keeps serving; what it refused wrote nothing", async () => {
    const before = await snapshot();
    expect.soft(await fuzz(garbagePayloads)).toEqual([]);
    expect.soft(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect(await snapshot()).toEqual(before);
  }, 300_000);

  it("answers payloads of the right shape with nonsense leaves with a result or a coded error; no order, no pollution", async () => {
    expect.soft(await fuzz(typedPayloads)).toEqual([]);
    expect.soft(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect(await api.call("trading.orders")).toEqual([]);
    expect(await api.call("live.orders")).toEqual([]);
  }, 300_000);
});
