/**
 * `workstation simulate`: runs the local exchange simulator on 127.0.0.1 until SIGINT/SIGTERM and
 * prints its URLs as one JSON line on stdout. Knobs: venues, symbols, market steps per second,
 * seed, heartbeat period, REST delay, and faults injected periodically (`--fault gap:10` injects a
 * sequence gap into every venue each 10 s). `--private` also serves each venue's private API (signed
 * orders matched at the public markets' prices, the user stream) and prints, per venue, its URLs as
 * `WORKSTATION_LIVE_ENDPOINTS` takes them (`rest`, `wsApi`) with the test key (`apiKey`, `secret`).
 */
import type { VenueId } from "../../common/market/events.ts";
import { Simulator } from "../simulator/server.ts";
import type { FaultKind } from "../simulator/venue.ts";
import { startLinkedPrivateSim } from "../venues/binance/private/sim-link.ts";
import { TEST_KEY } from "../venues/binance/private/testing.ts";
import { startLinkedCoinbaseSim } from "../venues/coinbase/private/sim-link.ts";
import { CDP_TEST_KEY } from "../venues/coinbase/private/testing.ts";
import { KRAKEN_TEST_KEY, startLinkedKrakenSim } from "../venues/kraken/private/sim-link.ts";
import type { SimMarket } from "../simulator/market.ts";
import { isVenueId } from "../venues/index.ts";
import { intOption, UsageError, type CliCommand, type ParsedArgs } from "./command.ts";

const FAULTS: readonly FaultKind[] = ["gap", "checksum", "malformed", "disconnect", "silence"];

type PrivateFace = { urls: { rest: string; wsApi: string; apiKey: string; secret: string }; stop(): Promise<void> };

/** Starts `venue`'s private simulator over its public markets. */
async function startPrivate(venue: VenueId, markets: ReadonlyMap<string, SimMarket>): Promise<PrivateFace> {
  if (venue === "kraken") {
    const k = await startLinkedKrakenSim(markets);
    return { urls: { rest: k.urls.rest, wsApi: k.urls.wsAuth, ...KRAKEN_TEST_KEY }, stop: k.stop };
  }
  if (venue === "coinbase") {
    const c = await startLinkedCoinbaseSim(markets);
    return { urls: { rest: c.urls.rest, wsApi: c.urls.wsUser, apiKey: CDP_TEST_KEY.name, secret: CDP_TEST_KEY.secret }, stop: c.stop };
  }
  const b = await startLinkedPrivateSim(markets);
  return { urls: { ...b.urls, apiKey: TEST_KEY.apiKey, secret: TEST_KEY.secret }, stop: b.stop };
}

function parseVenues(values: ParsedArgs["values"]): VenueId[] {
  const raw = typeof values.venues === "string" ? values.venues : "kraken,coinbase,binance";
  const venues = raw.split(",").map((v) => v.trim()).filter(Boolean);
  const bad = venues.find((v) => !isVenueId(v));
  if (bad || venues.length === 0) throw new UsageError(`--venues: "${bad ?? raw}" is not kraken, coinbase or binance`);
  return venues as VenueId[];
}

function parseFaults(values: ParsedArgs["values"]): { kind: FaultKind; everyS: number }[] {
  const raw = values.fault;
  const list = Array.isArray(raw) ? raw.map(String) : [];
  return list.map((f) => {
    const m = /^([a-z]+):(\d+)$/.exec(f);
    const kind = m?.[1] as FaultKind | undefined;
    if (!m || !kind || !FAULTS.includes(kind) || Number(m[2]) < 1) throw new UsageError(`--fault must be KIND:SECONDS with KIND one of ${FAULTS.join(", ")}`);
    return { kind, everyS: Number(m[2]) };
  });
}

/** The simulate command. */
export const simulateCommand: CliCommand = {
  name: "simulate",
  usage: "[--port N] [--venues LIST] [--symbols LIST] [--rate N] [--fault KIND:SECONDS]... [--private]",
  help: [
    "--port N           port on 127.0.0.1 (default 0 = any free port)",
    "--venues LIST      kraken,coinbase,binance (default all)",
    "--symbols LIST     BASE/QUOTE symbols for every venue (default: BTC and ETH against USD, USDT on Binance)",
    "--rate N           market steps per second per venue (default 20)",
    "--seed N           random seed (default 42)",
    "--heartbeat-ms N   heartbeat period (default 1000)",
    "--rest-delay-ms N  delay every REST answer (slow REST)",
    `--fault KIND:S     inject KIND every S seconds; KIND: ${FAULTS.join(", ")} (repeatable)`,
    "--private          also serve each venue's private API (URLs and test key in the output) on its own port",
  ],
  options: {
    port: { type: "string" },
    venues: { type: "string" },
    symbols: { type: "string" },
    rate: { type: "string" },
    seed: { type: "string" },
    "heartbeat-ms": { type: "string" },
    "rest-delay-ms": { type: "string" },
    fault: { type: "string", multiple: true },
    private: { type: "boolean" },
  },
  async run(args, io) {
    const venues = parseVenues(args.values);
    const faults = parseFaults(args.values);
    const symbolList = typeof args.values.symbols === "string" ? args.values.symbols.split(",").map((s) => s.trim().toUpperCase()).filter(Boolean) : null;
    if (symbolList && !symbolList.every((s) => /^[A-Z0-9]{1,20}\/[A-Z0-9]{1,20}$/.test(s))) throw new UsageError("--symbols must be BASE/QUOTE symbols");
    const sim = await Simulator.start({
      port: intOption(args.values, "port", 0, 0, 65535),
      venues,
      ...(symbolList ? { symbols: Object.fromEntries(venues.map((v) => [v, symbolList])) } : {}),
      rate: intOption(args.values, "rate", 20, 0, 1_000_000),
      seed: intOption(args.values, "seed", 42, 0, 2 ** 31 - 1),
      heartbeatMs: intOption(args.values, "heartbeat-ms", 1000, 10, 600_000),
      restDelayMs: intOption(args.values, "rest-delay-ms", 0, 0, 600_000),
    });
    const faces = new Map<VenueId, PrivateFace>();
    if (args.values.private === true) for (const v of venues) faces.set(v, await startPrivate(v, sim.venues.get(v)!.markets));
    const privateUrls = faces.size > 0 ? { private: Object.fromEntries([...faces].map(([v, f]) => [v, f.urls])) } : {};
    io.out(JSON.stringify({ port: sim.port, venues: Object.fromEntries(venues.map((v) => [v, sim.urls(v)])), ...privateUrls }));
    const timers = faults.map(({ kind, everyS }) =>
      setInterval(() => {
        for (const v of venues) sim.inject(v, kind);
        io.err(`injected ${kind}`);
      }, everyS * 1000),
    );
    await new Promise<void>((resolve) => {
      process.once("SIGINT", () => resolve());
      process.once("SIGTERM", () => resolve());
    });
    for (const t of timers) clearInterval(t);
    for (const f of faces.values()) await f.stop();
    await sim.close();
    return 0;
  },
};
