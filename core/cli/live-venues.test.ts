import { execFileSync, spawn } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { CoinbasePrivateSim } from "../venues/coinbase/private/simulator.ts";
import { CDP_TEST_KEY, CDP_TRANSFER_KEY, coinbaseSim } from "../venues/coinbase/private/testing.ts";
import { KrakenPrivateSim } from "../venues/kraken/private/simulator.ts";

const BIN = path.join(import.meta.dirname, "..", "..", "bin", "workstation");
const UNLOCK = "printf workstation-test | gnome-keyring-daemon --unlock --components=secrets >/dev/null && ";
const KRAKEN_KEY = { apiKey: "krakenCliKey00000000000000000001", secret: Buffer.from("krakenCliSecret-000000000000001").toString("base64") };
const KRAKEN_WITHDRAW = { apiKey: "krakenWithdrawKey0000000000001", secret: Buffer.from("krakenWithdrawSecret-00000001").toString("base64"), permissions: ["query-funds", "modify-trades", "withdraw-funds"] };

function hasCommand(cmd: string): boolean {
  try {
    execFileSync("sh", ["-c", `command -v ${cmd}`], { stdio: "ignore" });
    return true;
  } catch {
    return false;
  }
}

let kraken: KrakenPrivateSim;
let coinbase: CoinbasePrivateSim;
let endpoints: string;
beforeAll(async () => {
  kraken = new KrakenPrivateSim([{ symbol: "XBTUSD", baseAsset: "XBT", quoteAsset: "USD", tickSize: "0.1", stepSize: "0.00000001", minQty: "0.0001", minNotional: "0.5", price: 50_000 }], [KRAKEN_KEY, KRAKEN_WITHDRAW], { USD: 10_000, XBT: 1 });
  coinbase = coinbaseSim();
  const k = await kraken.start();
  const c = await coinbase.start();
  endpoints = JSON.stringify({ kraken: { rest: k.rest, wsApi: k.wsAuth }, coinbase: { rest: c.rest, wsApi: c.wsUser } });
});
afterAll(async () => {
  await kraken.close();
  await coinbase.close();
});

/** Runs `steps` (name → shell command) in one throw-away keyring session; each step's stdout and exit code. */
async function session(steps: Record<string, string>): Promise<{ steps: Record<string, { out: string; exit: number }>; err: string }> {
  const home = fs.mkdtempSync(path.join(os.tmpdir(), "ws-live-venues-"));
  const script = Object.entries(steps).map(([name, cmd]) => `echo "== ${name}"; ${cmd}; echo "exit=$?"`).join("; ");
  const env: NodeJS.ProcessEnv = { ...process.env, HOME: home, XDG_DATA_HOME: path.join(home, "data"), XDG_RUNTIME_DIR: home, WS: BIN, WORKSTATION_LIVE_ENDPOINTS: endpoints, KR_KEY: KRAKEN_KEY.apiKey, KR_SECRET: KRAKEN_KEY.secret, KR_WKEY: KRAKEN_WITHDRAW.apiKey, KR_WSECRET: KRAKEN_WITHDRAW.secret, CB_NAME: CDP_TEST_KEY.name, CB_SECRET: CDP_TEST_KEY.secret, CB_TNAME: CDP_TRANSFER_KEY.name, CB_TSECRET: CDP_TRANSFER_KEY.secret };
  delete env.DBUS_SESSION_BUS_ADDRESS;
  const child = spawn("dbus-run-session", ["--", "sh", "-c", `${UNLOCK}printf 'export default 1;\\n' > "$HOME/s.ts"; ${script}`], { env });
  let out = "";
  let err = "";
  child.stdout.on("data", (d: Buffer) => (out += d.toString()));
  child.stderr.on("data", (d: Buffer) => (err += d.toString()));
  await new Promise((resolve) => child.once("exit", resolve));
  fs.rmSync(home, { recursive: true, force: true });
  const parsed: Record<string, { out: string; exit: number }> = {};
  for (const part of out.split(/^== /m).slice(1)) {
    const [name, ...rest] = part.trimEnd().split("\n");
    const exit = Number(/^exit=(\d+)$/.exec(rest.at(-1) ?? "")?.[1] ?? "-1");
    parsed[name!] = { out: rest.slice(0, -1).join("\n"), exit };
  }
  return { steps: parsed, err };
}

const add = (venue: string, key: string, secret: string, env = "live") => `printf '%s\\n%s\\n' "$${key}" "$${secret}" | "$WS" keys add ${venue} --env ${env} --json`;
const live = (venue: string, symbol: string, env = "live") => `"$WS" live "$HOME/s.ts" --venue ${venue} --env ${env} --symbol ${symbol} --timeframe 1m --approve --preflight --json --data-dir "$HOME/d" | grep '^{'`;
const order = (venue: string, env = "live") => `"$WS" order buy BTC/USD 0.01 --account live:${venue} --env ${env} --data-dir "$HOME/d" --json`;

describe("workstation keys and live for Kraken and Coinbase, against their simulators", () => {
  it.skipIf(!hasCommand("dbus-run-session"))("checks the keys (withdrawal and transfer rights refused), runs the live pre-flight and a live order on each venue, and the validate environment", async () => {
    const { steps, err } = await session({
      krakenAdd: add("kraken", "KR_KEY", "KR_SECRET"),
      krakenWithdraw: add("kraken", "KR_WKEY", "KR_WSECRET"),
      krakenLive: live("kraken", "BTC/USD"),
      krakenOrder: order("kraken"),
      krakenValidateAdd: add("kraken", "KR_KEY", "KR_SECRET", "validate"),
      krakenValidate: order("kraken", "validate"),
      coinbaseAdd: add("coinbase", "CB_NAME", "CB_SECRET"),
      coinbaseTransfer: add("coinbase", "CB_TNAME", "CB_TSECRET"),
      coinbaseLive: live("coinbase", "BTC/USD"),
      coinbaseOrder: order("coinbase"),
      coinbaseTestnet: `"$WS" live "$HOME/s.ts" --venue coinbase --env testnet --symbol BTC/USD --timeframe 1m --data-dir "$HOME/d"`,
    });
    expect(JSON.parse(steps.krakenAdd!.out), err).toMatchObject({ venue: "kraken", label: "trade-only" });
    expect(steps.krakenWithdraw!.exit).toBe(1);
    expect(err).toMatch(/kraken key refused: the key has the withdraw-funds permission/);
    expect(JSON.parse(steps.krakenLive!.out)).toMatchObject({ venue: "kraken", env: "live", account: "live:kraken", openOrders: 0, balances: { USD: { free: 10_000 } } });
    expect(JSON.parse(steps.krakenOrder!.out)).toMatchObject({ account: "live:kraken", status: "filled", filledSize: 0.01, avgPrice: 50_000 });
    expect(JSON.parse(steps.krakenValidate!.out)).toMatchObject({ status: "rejected", reason: expect.stringMatching(/kraken validate: checked, not executed/) });
    expect(kraken.validated).toHaveLength(1);
    expect(kraken.orderRequests).toHaveLength(1);
    expect(JSON.parse(steps.coinbaseAdd!.out)).toMatchObject({ venue: "coinbase", label: "trade-only" });
    expect(steps.coinbaseTransfer!.exit).toBe(1);
    expect(err).toMatch(/coinbase key refused: the key has transfer rights \(can_transfer\)/);
    expect(JSON.parse(steps.coinbaseLive!.out)).toMatchObject({ venue: "coinbase", env: "live", account: "live:coinbase", openOrders: 0, balances: { USD: { free: 10_000 } } });
    expect(JSON.parse(steps.coinbaseOrder!.out)).toMatchObject({ account: "live:coinbase", status: "filled", filledSize: 0.01, avgPrice: 50_000 });
    expect(coinbase.orderRequests).toHaveLength(1);
    expect(steps.coinbaseTestnet!.exit).toBe(2);
    expect(err).toMatch(/coinbase has no "testnet" environment \(it has: live\)/);
    const all = JSON.stringify(steps) + err;
    for (const secret of [KRAKEN_KEY.secret, CDP_TEST_KEY.secret, CDP_TEST_KEY.name, KRAKEN_KEY.apiKey]) expect(all).not.toContain(secret);
  }, 90_000);
});
