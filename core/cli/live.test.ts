import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import type { CliIo } from "./command.ts";
import { NEEDS_APPROVAL } from "./live.ts";
import { runCli } from "./main.ts";
import { lockChild } from "../trading/live/testing.ts";

const dir = fs.mkdtempSync(path.join(os.tmpdir(), "live-cli-"));
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));
const file = path.join(dir, "s.ts");

async function live(extra: string[]): Promise<{ code: number; out: string[]; err: string[] }> {
  const out: string[] = [];
  const err: string[] = [];
  const io: CliIo = { out: (l) => out.push(l), err: (l) => err.push(l), env: { ...process.env, WORKSTATION_LIVE_ENDPOINTS: JSON.stringify({ binance: { rest: "http://127.0.0.1:9", wsApi: "ws://127.0.0.1:9" } }) } };
  const code = await runCli(["live", file, "--venue", "binance", "--symbol", "BTC/USDT", "--timeframe", "1m", "--data-dir", path.join(dir, "data"), ...extra], io);
  return { code, out, err };
}

describe("workstation live: the approval gate", () => {
  it("needs --approve on first deployment and after a change, showing the limits and the diff", async () => {
    fs.writeFileSync(file, "export default 1;\nconst a = 1;\n");
    const first = await live(["--env", "testnet"]);
    expect(first.code).toBe(NEEDS_APPROVAL);
    expect(first.out.join("\n")).toMatch(/LIVE deployment of .*s\.ts version [0-9a-f]{12}\n {2}venue binance \(testnet\), account live:binance, symbol BTC\/USDT, timeframe 1m/);
    expect(first.out.join("\n")).toMatch(/risk limits: max order notional 1000000/);
    const approved = await live(["--env", "testnet", "--approve"]);
    expect(approved.err.join("\n")).toMatch(/approved version/);
    expect(approved.err.join("\n")).toMatch(/key/i);
    const again = await live(["--env", "testnet"]);
    expect(again.out).toEqual([]);
    expect(again.code).not.toBe(NEEDS_APPROVAL);
    fs.writeFileSync(file, "export default 1;\nconst a = 2;\n");
    const changed = await live(["--env", "testnet"]);
    expect(changed.code).toBe(NEEDS_APPROVAL);
    expect(changed.out).toEqual(expect.arrayContaining(["    - const a = 1;", "    + const a = 2;"]));
    const elsewhere = await live(["--env", "demo"]);
    expect(elsewhere.code).toBe(NEEDS_APPROVAL);
  });

  it("refuses an environment the venue does not have, naming those it has", async () => {
    fs.writeFileSync(file, "export default 1;\n");
    const out: string[] = [];
    const err: string[] = [];
    const code = await runCli(["live", file, "--venue", "kraken", "--env", "testnet", "--symbol", "BTC/USD", "--timeframe", "1m", "--data-dir", path.join(dir, "data")], { out: (l) => out.push(l), err: (l) => err.push(l), env: process.env });
    expect(code).toBe(2);
    expect(err.join("\n")).toMatch(/kraken has no "testnet" environment \(it has: live, validate\)/);
  });

  it("refuses while another process (core or another `workstation live`) trades the account, and lets go at the end", async () => {
    fs.writeFileSync(file, "export default 1;\n");
    const holder = await lockChild(path.join(dir, "data"), "live:binance");
    expect(holder.line).toBe("held");
    const refused = await live(["--env", "testnet", "--approve"]);
    expect(refused.code).toBe(2);
    expect(refused.err.join("\n")).toContain(`live:binance is traded by \`workstation live\` (pid ${holder.pid})`);
    await holder.kill();
    const free = await live(["--env", "testnet", "--approve"]);
    expect(free.err.join("\n")).not.toContain("is traded by");
    const after = await lockChild(path.join(dir, "data"), "live:binance");
    await after.kill();
    expect(after.line).toBe("held");
  });
});
