import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runCliCaptured, type CliRun } from "./testing.ts";

/** Whether text holds a raw character a terminal would act on (C0 but tab, DEL, C1, LS/PS, bidi controls). */
function rawControl(text: string): boolean {
  const within = (n: number, lo: number, hi: number): boolean => n >= lo && n <= hi;
  return [...text].some((c) => {
    const n = c.codePointAt(0)!;
    return (n < 0x20 && n !== 9) || within(n, 0x7f, 0x9f) || within(n, 0x2028, 0x2029) || within(n, 0x202a, 0x202e) || within(n, 0x2066, 0x2069);
  });
}
const OSC52 = "\\x1b]52;c;aGVsbG8=\\x07";
let dir = "";

beforeAll(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), "ws-escape-"));
  const rows = ["time,open,high,low,close,volume"];
  for (let i = 0; i < 10; i++) rows.push(`${Date.UTC(2024, 0, 1) + i * 60_000},100,101,99,100,1`);
  fs.writeFileSync(path.join(dir, "bars.csv"), rows.join("\n"));
});
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

async function cli(...argv: string[]): Promise<CliRun> {
  return runCliCaptured([...argv, "--data-dir", path.join(dir, "data")]);
}

function strategy(name: string, onBar: string): string {
  const file = path.join(dir, name);
  fs.writeFileSync(file, `import { defineStrategy } from "workstation";\nexport default defineStrategy({ params: {}, onBar(bar, ctx) { ${onBar} } });\n`);
  return file;
}

describe("CLI output escapes control characters", () => {
  it("shows strategy log lines escaped, one line each", async () => {
    const file = strategy("logs.ts", `if (ctx.barIndex === 0) ctx.log("${OSC52}\\x1b]0;title\\x07\\x1b[2J\\nstrategy error: fake\\u009b\\u202e");`);
    const { code, err } = await cli("backtest", file, "--data", path.join(dir, "bars.csv"), "--no-save");
    expect(code).toBe(0);
    const logs = err.filter((l) => l.startsWith("log: "));
    expect(logs).toEqual(["log: \\x1b]52;c;aGVsbG8=\\x07\\x1b]0;title\\x07\\x1b[2J\\nstrategy error: fake\\u009b\\u202e"]);
  });

  it("shows a strategy's error message escaped on one line", async () => {
    const file = strategy("throws.ts", `throw new Error("${OSC52}\\nstrategy error: fake");`);
    const { code, err } = await cli("backtest", file, "--data", path.join(dir, "bars.csv"), "--no-save");
    expect(code).toBe(1);
    expect(err.filter((l) => l.includes("strategy error:"))).toHaveLength(1);
    expect(err[0]).toMatch(/^strategy error: .*\\x1b\]52;c;aGVsbG8=\\x07\\nstrategy error: fake/);
    expect(err.filter(rawControl)).toEqual([]);
  });

  it("escapes file contents echoed in import errors", async () => {
    const file = path.join(dir, "hostile.csv");
    fs.writeFileSync(file, "\x1b]52;c;aGVsbG8=\x07\x1b[2J,a\u202e,b\n1,2,3\n");
    const { code, err } = await cli("import", file, "--symbol", "x");
    expect(code).toBe(1);
    expect(err.at(-1)).toMatch(/no time column among \\x1b\]52;c;aGVsbG8=\\x07\\x1b\[2J,a\\u202e,b/);
    expect(err.filter(rawControl)).toEqual([]);
  });

  it("keeps JSON output valid and equal in value", async () => {
    await cli("import", path.join(dir, "bars.csv"), "--symbol", "x");
    const { code, out } = await cli("query", "SELECT chr(27) || ']0;t' || chr(7) || chr(155) || chr(8238) || chr(8232) AS s", "--json");
    expect(code).toBe(0);
    expect(rawControl(out[0]!)).toBe(false);
    expect(JSON.parse(out[0]!).rows).toEqual([["\x1b]0;t\x07\u009b\u202e\u2028"]]);
    const table = await cli("query", "SELECT chr(27) || '[2J' || chr(10) || 'x' AS s");
    expect(table.out).toEqual(["s", "\\x1b[2J\\nx"]);
  });
});
