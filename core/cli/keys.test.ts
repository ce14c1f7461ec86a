import { spawn } from "node:child_process";
import { execFileSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { BinancePrivateSim } from "../venues/binance/private/simulator.ts";
import { startBinanceSim, TEST_KEY } from "../venues/binance/private/testing.ts";

const BIN = path.join(import.meta.dirname, "..", "..", "bin", "workstation");
const UNLOCK = "printf workstation-test | gnome-keyring-daemon --unlock --components=secrets >/dev/null && ";

function hasCommand(cmd: string): boolean {
  try {
    execFileSync("sh", ["-c", `command -v ${cmd}`], { stdio: "ignore" });
    return true;
  } catch {
    return false;
  }
}

let sim: BinancePrivateSim;
let urls: { rest: string; wsApi: string };
beforeAll(async () => {
  const s = await startBinanceSim();
  sim = s.sim;
  urls = s.urls;
  sim.placeExternal("BTCUSDT", "SELL", 0.1, 60_000, "web_manual1");
});
afterAll(() => sim.close());

/** Runs a shell script of `workstation keys` commands in one throw-away keyring session; resolves with stdout and stderr. */
function session(script: string): Promise<{ out: string; err: string }> {
  const home = fs.mkdtempSync(path.join(os.tmpdir(), "ws-keys-"));
  const env: NodeJS.ProcessEnv = { ...process.env, HOME: home, XDG_DATA_HOME: path.join(home, "data"), XDG_RUNTIME_DIR: home, WS: BIN, WORKSTATION_LIVE_ENDPOINTS: JSON.stringify({ binance: urls }) };
  delete env.DBUS_SESSION_BUS_ADDRESS;
  const child = spawn("dbus-run-session", ["--", "sh", "-c", `${UNLOCK}${script}`], { env });
  let out = "";
  let err = "";
  child.stdout.on("data", (d: Buffer) => (out += d.toString()));
  child.stderr.on("data", (d: Buffer) => (err += d.toString()));
  return new Promise((resolve) => child.once("exit", () => resolve({ out, err })));
}

describe("workstation keys", () => {
  it.skipIf(!hasCommand("dbus-run-session"))("adds a trade-only key from stdin, lists only its hint, refuses a key with withdrawal rights, runs the live pre-flight, a live order, positions and halt with it, removes", async () => {
    const { out, err } = await session(
      [
        `printf '%s\\n%s\\n' ${TEST_KEY.apiKey} ${TEST_KEY.secret} | "$WS" keys add binance --json`,
        `printf 'withdrawKey000000000000000000001\\nwithdrawSecret\\n' | "$WS" keys add binance --env demo; echo "exit=$?"`,
        `printf 'unknownKey0000000000\\nsomeSecret\\n' | "$WS" keys add binance --env demo; echo "exit=$?"`,
        `"$WS" keys list --json`,
        `printf 'export default 1;\\n' > "$HOME/s.ts"; "$WS" live "$HOME/s.ts" --venue binance --env live --symbol BTC/USDT --timeframe 1m --approve --preflight --json --data-dir "$HOME/d" | grep '^{'; echo "exit=$?"`,
        `"$WS" order buy BTC/USDT 0.01 --account live:binance --data-dir "$HOME/d" --json`,
        `"$WS" positions --account live:binance --data-dir "$HOME/d" --json`,
        `"$WS" trading halt --account live:binance --data-dir "$HOME/d" --json`,
        `"$WS" keys remove binance`,
        `"$WS" keys list --json`,
        `"$WS" keys add kraken --env testnet; echo "exit=$?"`,
      ].join("; "),
    );
    const lines = out.trim().split("\n");
    expect(JSON.parse(lines[0]!)).toMatchObject({ venue: "binance", keyHint: "…0001", label: "trade-only" });
    expect(lines[1]).toBe("exit=1");
    expect(err).toMatch(/binance-demo key refused: the key has withdrawal or transfer rights/);
    expect(err).toMatch(/binance-demo key refused: the venue refused the key \(-2015/);
    expect(lines[2]).toBe("exit=1");
    expect(JSON.parse(lines[3]!)).toEqual([expect.objectContaining({ venue: "binance", keyHint: "…0001" })]);
    expect(JSON.parse(lines[4]!)).toMatchObject({ venue: "binance", env: "live", account: "live:binance", openOrders: 0, externalOrders: ["web_manual1"], balances: { USDT: { free: 10_000 } } });
    expect(lines[5]).toBe("exit=0");
    expect(JSON.parse(lines[6]!)).toMatchObject({ account: "live:binance", side: "buy", size: 0.01, status: "filled", filledSize: 0.01, avgPrice: 50_000 });
    expect(JSON.parse(lines[7]!)).toEqual([expect.objectContaining({ account: "live:binance", symbol: "BTC/USDT", size: 0.01 })]);
    expect(JSON.parse(lines[8]!)).toEqual({ mode: "halt" });
    expect(lines[9]).toBe("removed the binance key");
    expect(JSON.parse(lines[10]!)).toEqual([]);
    expect(err).toMatch(/kraken has no "testnet" environment \(it has: live, validate\)/);
    expect(lines[11]).toBe("exit=2");
    expect(out + err).not.toContain(TEST_KEY.secret);
    expect(out + err).not.toContain(TEST_KEY.apiKey);
  }, 60_000);
});
