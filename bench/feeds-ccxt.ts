/**
 * The ccxt side of the feeds benchmark: a ccxt pro exchange with its WebSocket (and, for Binance's
 * depth snapshot, REST) URLs pointed at the simulator, markets preloaded with `setMarkets`, and one
 * `watchTrades` loop plus one `watchOrderBook` loop as subscribers. Frames are counted and timed
 * by wrapping the exchange's `handleMessage` (installed before the first watch, since ccxt binds it
 * when it opens the socket).
 */
import ccxt from "ccxt";
import type { VenueId } from "../common/market/events.ts";
import { cpuSince, LatencyProbe, measureCpuPerTrade, nowUs, type Figures, type RunContext } from "./feeds-common.ts";

interface ProExchange {
  urls: { api: Record<string, unknown> };
  options: Record<string, unknown>;
  handleMessage(client: unknown, message: unknown): void;
  loadHttpProxyAgent(): Promise<unknown>;
  setMarkets(markets: unknown[]): unknown;
  watchTrades(symbol: string): Promise<unknown[]>;
  watchOrderBook(symbol: string): Promise<unknown>;
  close(): Promise<void>;
}

type ProCtor = new (config: Record<string, unknown>) => ProExchange;

function market(venue: VenueId, symbol: string): Record<string, unknown> {
  const [base, quote] = symbol.split("/") as [string, string];
  const id = venue === "coinbase" ? `${base}-${quote}` : venue === "binance" ? `${base}${quote}` : `X${base === "BTC" ? "XBT" : base}Z${quote}`;
  return {
    id,
    lowercaseId: id.toLowerCase(),
    symbol,
    base,
    quote,
    baseId: base,
    quoteId: quote,
    settle: undefined,
    type: "spot",
    spot: true,
    margin: false,
    swap: false,
    future: false,
    option: false,
    contract: false,
    active: true,
    precision: { amount: 1e-8, price: venue === "binance" ? 0.01 : 0.1 },
    limits: { amount: {}, price: {}, cost: {} },
    info: { wsname: symbol, altname: id },
  };
}

function configure(ctx: RunContext): ProExchange {
  const Ctor = (ccxt as unknown as { pro: Record<string, ProCtor> }).pro[ctx.venue]!;
  const ex = new Ctor({ enableRateLimit: false, newUpdates: true });
  const ws = ex.urls.api.ws as Record<string, unknown> | string;
  if (ctx.venue === "kraken") (ws as Record<string, unknown>).publicV2 = ctx.ws;
  else if (ctx.venue === "coinbase") ex.urls.api.ws = ctx.ws;
  else {
    (ws as Record<string, unknown>).spot = ctx.ws.replace(/\/stream$/, "/ws");
    ex.urls.api.public = `${ctx.rest}/api/v3`;
  }
  if (ctx.venue === "kraken") ex.options.checksum = true;
  ex.setMarkets([market(ctx.venue, ctx.symbol)]);
  return ex;
}

/** Measures ccxt pro against the simulator. */
export async function runCcxt(ctx: RunContext): Promise<Figures> {
  const ex = configure(ctx);
  await ex.loadHttpProxyAgent();
  let frames = 0;
  let firstAt = 0;
  let probe: LatencyProbe | null = null;
  const perPath = new Map<string, number>();
  let waiter: { target: number; resolve: () => void } | null = null;
  const original = ex.handleMessage.bind(ex);
  ex.handleMessage = (client, message) => {
    original(client, message);
    frames++;
    if (firstAt === 0) firstAt = nowUs();
    if (probe) {
      const url = new URL((client as { url: string }).url);
      const path = url.pathname + url.search;
      const i = perPath.get(path) ?? 0;
      perPath.set(path, i + 1);
      probe.hit(path, i);
    }
    if (waiter && frames >= waiter.target) {
      const w = waiter;
      waiter = null;
      queueMicrotask(w.resolve);
    }
  };
  const untilFrames = (target: number) => new Promise<void>((resolve) => (frames >= target ? resolve() : (waiter = { target, resolve })));
  let running = true;
  let trades = 0;
  let book = false;
  const failures: Error[] = [];
  const loop = async (work: () => Promise<void>) => {
    while (running) await work().catch((err: Error) => void (running && failures.push(err)));
  };
  void loop(async () => void (trades += (await ex.watchTrades(ctx.symbol)).length));
  void loop(async () => void (await ex.watchOrderBook(ctx.symbol), (book = true)));
  for (let i = 0; !book; i++) {
    if (failures.length > 0 || i > 50) throw failures[0] ?? new Error("order book never synced");
    await untilFrames(frames + (await ctx.sim.burst(ctx.venue, 2000, 0.3)));
    await new Promise((r) => setTimeout(r, 20));
  }
  // Warm-up (JIT, buffers) on both sides before anything is measured.
  for (let i = 0; i < 3; i++) await untilFrames(frames + (await ctx.sim.burst(ctx.venue, 10_000, 0.3)));
  const start = frames;
  firstAt = 0;
  const burstCpu = process.cpuUsage();
  const sent = await ctx.sim.burst(ctx.venue, ctx.burstSteps, 0.3);
  await untilFrames(start + sent);
  const elapsedUs = nowUs() - firstAt;
  const msgsPerSec = (sent * 1e6) / elapsedUs;
  const busy = cpuSince(burstCpu) / elapsedUs;

  const cpu = await measureCpuPerTrade({ sim: ctx.sim, venue: ctx.venue, frames: () => frames, trades: () => trades, untilFrames });

  const base = frames;
  probe = new LatencyProbe();
  const paced = await ctx.sim.paced(ctx.venue, 20_000, ctx.pacedSeconds);
  await untilFrames(base + paced.sent);
  const { p50, p99 } = probe.result(paced.times);
  running = false;
  await ex.close().catch(() => undefined);
  return { msgsPerSec, busy, p50us: p50, p99us: p99, ...cpu };
}
