import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { CliIo } from "./command.ts";
import { runCli } from "./main.ts";

const FIXTURE = path.join(import.meta.dirname, "../venues/kraken/fixtures/session.jsonl");
let dir: string;

function capture(): CliIo & { stdout: string[]; stderr: string[] } {
  const stdout: string[] = [];
  const stderr: string[] = [];
  return { stdout, stderr, out: (l) => stdout.push(l), err: (l) => stderr.push(l), env: {} };
}

function strategy(name: string, body: string): string {
  const file = path.join(dir, name);
  fs.writeFileSync(file, `import { defineStrategy } from "workstation";\nexport default defineStrategy({\n  params: {},\n  onBar(bar, ctx) {\n${body}\n  },\n});\n`);
  return file;
}

async function paper(file: string, ...extra: string[]): Promise<{ code: number; out: string[]; err: string[] }> {
  const io = capture();
  const code = await runCli(["paper", file, "--venue", "kraken", "--symbol", "BTC/USD", "--timeframe", "1s", "--skip-typecheck", "--data-dir", dir, ...extra], io);
  return { code, out: io.stdout, err: io.stderr };
}

beforeAll(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), "paper-cli-"));
});
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

describe("workstation paper --replay", () => {
  it("replays a recorded Kraken session deterministically: the same JSON twice", async () => {
    const file = strategy("buy.ts", "    ctx.log('bar', bar.close);\n    if (ctx.barIndex === 0) ctx.buy(0.01);");
    const a = await paper(file, "--replay", FIXTURE, "--json");
    expect(a.code).toBe(0);
    const json = JSON.parse(a.out[0]!) as { bars: number; orders: { id: string; status: string }[]; fills: unknown[] };
    expect(Object.keys(json)).toEqual(["bars", "trades", "finalEquity", "cash", "metrics", "orders", "fills"]);
    expect(json.bars).toBeGreaterThan(0);
    expect(json.orders[0]).toMatchObject({ id: "paper-1" });
    expect(a.err.some((l) => l.startsWith("log: bar "))).toBe(true);
    // The compiled strategy went into the data directory's type-check cache, and the second run uses it.
    expect(fs.readdirSync(path.join(dir, "cache", "strategies")).filter((f) => f.endsWith(".json"))).toHaveLength(1);
    const b = await paper(file, "--replay", FIXTURE, "--json");
    expect(b.out).toEqual(a.out);
  }, 60_000);

  it("the book fill model walks the replayed book: a market buy fills at the recorded asks", async () => {
    const file = strategy("book.ts", "    if (ctx.barIndex === 0) ctx.buy(0.01);");
    const r = await paper(file, "--replay", FIXTURE, "--json", "--fill-model", "book");
    expect(r.code).toBe(0);
    type Out = { fills: { liquidity: string; price: number; time: number }[]; orders: { status: string }[] };
    const json = JSON.parse(r.out[0]!) as Out;
    expect(json.orders[0]!.status).toBe("filled");
    expect(json.fills[0]!.liquidity).toBe("taker");
    // At once against the book (its time), not at the next trade as next-trade fills.
    const next = JSON.parse((await paper(file, "--replay", FIXTURE, "--json")).out[0]!) as Out;
    expect(json.fills[0]!.time).toBeLessThan(next.fills[0]!.time);
  }, 60_000);

  it("applies the tick and lot of the instrument answer the recording holds (and nothing without one)", async () => {
    const withPairs = path.join(dir, "pairs.jsonl");
    const body = JSON.stringify({ error: [], result: { XXBTZUSD: { altname: "XBTUSD", wsname: "XBT/USD", pair_decimals: 1, lot_decimals: 2, status: "online" } } });
    fs.writeFileSync(withPairs, `${JSON.stringify({ t: 1, rest: { path: "/0/public/AssetPairs", body } })}\n${fs.readFileSync(FIXTURE, "utf8")}`);
    const file = strategy("lots.ts", "    if (ctx.barIndex === 0) { ctx.buy(0.019); ctx.buy(0.004); }");
    type Out = { orders: { size: number; status: string }[] };
    const lotted = JSON.parse((await paper(file, "--replay", withPairs, "--json")).out[0]!) as Out;
    expect(lotted.orders.map((o) => [o.size, o.status])).toEqual([[0.01, "filled"], [0.004, "rejected"]]);
    const raw = JSON.parse((await paper(file, "--replay", FIXTURE, "--json")).out[0]!) as Out;
    expect(raw.orders.map((o) => o.size)).toEqual([0.019, 0.004]);
  }, 60_000);

  it("a strategy that throws reports its own line:column and exits 1", async () => {
    const file = strategy("throws.ts", "    throw new Error('bad bar');");
    const r = await paper(file, "--replay", FIXTURE);
    expect(r.code).toBe(1);
    expect(r.err.join("\n")).toMatch(/strategy error: .*bad bar/);
    expect(r.err.join("\n")).toMatch(/throws\.ts:5:\d+/);
  }, 60_000);

  it("a malformed or truncated recording stops with an error naming the line", async () => {
    const bad = path.join(dir, "bad.jsonl");
    const lines = fs.readFileSync(FIXTURE, "utf8").trimEnd().split("\n");
    fs.writeFileSync(bad, [...lines.slice(0, 3), '{"t":17,"frame":"{\\"chan', ...lines.slice(3)].join("\n"));
    const r = await paper(strategy("ok.ts", ""), "--replay", bad);
    expect(r.code).toBe(1);
    expect(r.err.at(-1)).toMatch(/bad\.jsonl:4: malformed recording line \(not JSON\)/);
  }, 60_000);

  it("refuses bad arguments with exit 2", async () => {
    const file = strategy("noop.ts", "");
    expect((await paper(file, "--replay", FIXTURE, "--fill-model", "vwap")).err[0]).toMatch(/--fill-model must be book or next-trade/);
    expect((await paper(file, "--replay", path.join(dir, "missing.jsonl"))).code).toBe(2);
    expect((await paper(file)).err[0]).toMatch(/live paper sessions run in core: start it with `workstation serve`/);
    const io = capture();
    expect(await runCli(["paper", file, "--venue", "ftx", "--symbol", "BTC/USD", "--timeframe", "1m", "--replay", FIXTURE], io)).toBe(2);
  });
});
