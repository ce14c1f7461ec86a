/**
 * Differential tests of the venues' fast-path parsers against the exact parsers: on every fixture
 * frame and on generated frames (varied numbers, decimals, exponents, escapes, key order,
 * whitespace, extra fields, wrong types, truncations) the fast path either declines (null) or
 * gives exactly what the exact parser gives. The venues' own shape must be taken by the fast path,
 * so a fast path that declines everything fails too.
 */
import { describe, expect, it } from "vitest";
import { parseBinanceFast } from "./binance/fast.ts";
import { parseBinance } from "./binance/parse.ts";
import { parseKrakenFast } from "./kraken/fast.ts";
import { parseKraken } from "./kraken/parse.ts";
import { decimalText } from "./fields.ts";
import { decimalIn } from "./scan.ts";
import { BinanceSymbols } from "./symbols.ts";
import { seededRandom } from "../../common/random.ts";
import { fixtureFrames } from "./testing.ts";

type Rand = () => number;
const pick = <T>(r: Rand, xs: readonly T[]): T => xs[Math.floor(r() * xs.length)]!;
/** Clean mode: only the venue's own shape with valid values (no damage), which the fast path must take. */
let clean = false;
/** A value from `valid` in clean mode, else from `any`. */
const val = (r: Rand, valid: readonly string[], any: readonly string[]): string => pick(r, clean ? valid : any);

const NUMBERS = ["0", "7", "-5", "1.50", "0.0", "00.5", "10.05", "0.000", "100", "1.0e2", "16850.01000000", "0.00000001", "1e3", "1E-2", "2.5e+1", "007", "1.", ".5", "-0", "9007199254740993", "1672515783011", "1672515783011123", "1672515783011123456", "12345678901234567890123456789012345", "4294967296", "3310070434"];
const DECIMALS = ["16850.01000000", "0.0", "10", "1.123456789012345678", "1.1234567890123456789", "000", "5.", "1e", "0.00100000", "0", "0.00000000", "1e5", "1E-3", "-1", "abc", "", "1.", "00012.50", "99999999.99999999", "0.0000000000000000001", "1234567890123456789012345678901"];
const SYMBOLS_B = ["BTCUSDT", "ethusdt", "BNBBTC", "XYZ", "", "BTC\\u0055SDT", "BTC USDT"];
const SYMBOLS_K = ["BTC/USD", "XBT/USD", "ETH/USD", "btc/usd", "BTCUSD", "", "BTC\\/USD"];
const TIMES = ["2023-10-04T07:48:26.708706Z", "2023-10-04T07:48:26Z", "2023-10-04T07:48:26.7+01:00", "2023-13-04T07:48:26Z", "yesterday", "2023-10-04T07:48:26.708706Z\\n"];
const CLEAN_NUMBERS = ["0", "0.0", "10.05", "100", "0.0001000", "7", "16850.01000000", "0.00000001", "1e3", "1E-2", "2.5e+1", "1672515783011", "1672515783011123"];
const CLEAN_DECIMALS = ["16850.01000000", "0.00100000", "0", "1e5", "00012.50", "99999999.99999999"];
const CLEAN_TIMES = ["2023-10-04T07:48:26.708706Z", "2023-10-04T07:48:26Z", "2023-10-04T07:48:26.7+01:00"];
const WRONG = ["null", "true", "{}", "[]", '"x"', "1", '"1"'];

function numberOrString(r: Rand, list: readonly string[]): string {
  const v = val(r, CLEAN_NUMBERS, list);
  return clean || r() < 0.8 ? v : `"${v}"`;
}

/** Renders `{k:v,...}` with random damage: reordered keys, extra/duplicate keys, wrong types, whitespace. */
function render(r: Rand, fields: [string, string][]): string {
  const f = fields.map(([k, v]) => [k, v] as [string, string]);
  const damage = clean ? 0.5 : r();
  if (damage < 0.05 && f.length > 1) {
    const i = Math.floor(r() * (f.length - 1));
    [f[i], f[i + 1]] = [f[i + 1]!, f[i]!];
  } else if (damage < 0.1) f.splice(Math.floor(r() * (f.length + 1)), 0, [pick(r, ["x", "e", "s", "price", "symbol"]), pick(r, WRONG)]);
  else if (damage < 0.15) f[Math.floor(r() * f.length)]![1] = pick(r, WRONG);
  else if (damage < 0.18) f.splice(Math.floor(r() * f.length), 1);
  const sep = damage > 0.97 ? pick(r, [" ", "\n", "\t"]) : "";
  return `{${f.map(([k, v]) => `"${k}":${sep}${v}`).join(",")}}`;
}

function binanceLevels(r: Rand): string {
  const n = Math.floor(r() * 4);
  const ls: string[] = [];
  for (let i = 0; i < n; i++) ls.push(clean || r() < 0.97 ? `["${val(r, CLEAN_DECIMALS, DECIMALS)}","${val(r, CLEAN_DECIMALS, DECIMALS)}"]` : pick(r, ['["1"]', '[1,2]', '["1","2","3"]', "{}"]));
  return `[${ls.join(",")}]`;
}

function binanceFrame(r: Rand): string {
  const kind = pick(r, ["trade", "aggTrade", "depthUpdate", "bookTicker"] as const);
  const s = `"${val(r, ["BTCUSDT", "ethusdt"], SYMBOLS_B)}"`;
  const num = () => numberOrString(r, NUMBERS);
  const bool = () => (clean || r() < 0.95 ? pick(r, ["true", "false"]) : pick(r, WRONG));
  const dec = () => (clean || r() < 0.95 ? `"${val(r, CLEAN_DECIMALS, DECIMALS)}"` : pick(r, NUMBERS));
  let fields: [string, string][];
  if (kind === "trade") fields = [["e", '"trade"'], ["E", num()], ["s", s], ["t", num()], ["p", dec()], ["q", dec()], ["T", num()], ["m", bool()], ["M", bool()]];
  else if (kind === "aggTrade") fields = [["e", '"aggTrade"'], ["E", num()], ["s", s], ["a", num()], ["p", dec()], ["q", dec()], ["f", num()], ["l", num()], ["T", num()], ["m", bool()], ["M", bool()]];
  else if (kind === "depthUpdate") fields = [["e", '"depthUpdate"'], ["E", num()], ["s", s], ["U", num()], ["u", num()], ["b", binanceLevels(r)], ["a", binanceLevels(r)]];
  else fields = [["u", num()], ["s", s], ["b", dec()], ["B", dec()], ["a", dec()], ["A", dec()]];
  const data = render(r, fields);
  return r() < 0.5 ? data : render(r, [["stream", `"btcusdt@${kind}"`], ["data", data]]);
}

function krakenLevels(r: Rand): string {
  const n = Math.floor(r() * 4);
  const ls: string[] = [];
  for (let i = 0; i < n; i++) ls.push(render(r, [["price", numberOrString(r, NUMBERS)], ["qty", numberOrString(r, NUMBERS)]]));
  return `[${ls.join(",")}]`;
}

function krakenFrame(r: Rand): string {
  const channel = pick(r, ["trade", "book", "book", "ticker"]);
  const type = clean || r() < 0.8 ? "update" : pick(r, ["snapshot", "other"]);
  const sym = `"${val(r, ["BTC/USD", "XBT/USD"], SYMBOLS_K)}"`;
  const time = `"${val(r, CLEAN_TIMES, TIMES)}"`;
  const items: string[] = [];
  for (let i = Math.floor(r() * 3); i >= 0; i--) {
    if (channel === "trade") items.push(render(r, [["symbol", sym], ["side", `"${val(r, ["buy", "sell"], ["buy", "sell", "up"])}"`], ["price", numberOrString(r, NUMBERS)], ["qty", numberOrString(r, NUMBERS)], ["ord_type", '"market"'], ["trade_id", numberOrString(r, NUMBERS)], ["timestamp", time]]));
    else if (channel === "book") items.push(render(r, [["symbol", sym], ["bids", krakenLevels(r)], ["asks", krakenLevels(r)], ["checksum", numberOrString(r, NUMBERS)], ["timestamp", time]]));
    else items.push(render(r, [["symbol", sym], ["bid", pick(r, NUMBERS)], ["bid_qty", pick(r, NUMBERS)], ["ask", pick(r, NUMBERS)], ["ask_qty", pick(r, NUMBERS)]]));
  }
  return render(r, [["channel", `"${channel}"`], ["type", `"${type}"`], ["data", `[${items.join(",")}]`]]);
}

interface Venue {
  name: string;
  fast: (text: string) => unknown;
  exact: (text: string) => { kind: string };
  frame: (r: Rand) => string;
  hot: (msg: { kind: string }) => boolean;
}

const symbols = new BinanceSymbols();
const VENUES: Venue[] = [
  { name: "binance", fast: (t) => parseBinanceFast(t, symbols), exact: (t) => parseBinance(t, symbols, 5), frame: binanceFrame, hot: (m) => m.kind === "trade" || m.kind === "depth" },
  { name: "kraken", fast: (t) => parseKrakenFast(t), exact: (t) => parseKraken(t, 5), frame: krakenFrame, hot: (m) => m.kind === "trades" || m.kind === "book" },
];

/** Checks one frame; returns whether the fast path took it. */
function check(v: Venue, text: string): boolean {
  const fast = v.fast(text);
  if (fast === null) return false;
  expect(fast, text).toEqual(v.exact(text));
  return true;
}

describe.each(VENUES)("$name fast path", (v) => {
  it("takes every hot fixture frame and gives the exact parser's result for every frame", () => {
    const frames = fixtureFrames(v.name as "binance" | "kraken");
    let hot = 0;
    for (const f of frames) {
      const took = check(v, f);
      const exact = v.exact(f);
      if (v.hot(exact) && !(v.name === "kraken" && exact.kind === "book" && !f.includes('"timestamp"'))) {
        hot++;
        expect(took, f).toBe(true);
      }
    }
    expect(hot).toBeGreaterThan(3);
  });

  it("agrees with the exact parser on generated frames, whole and truncated", () => {
    const r = seededRandom(v.name.length * 7919);
    let compared = 0;
    for (let i = 0; i < 3000; i++) {
      const text = v.frame(r);
      const cut = Math.floor(r() * text.length);
      for (const t of [text, text.slice(0, cut), text.slice(0, cut) + text.slice(cut + 1)]) if (check(v, t)) compared++;
    }
    // Most messy frames are declined (null: the exact parser takes them); those taken were compared equal.
    expect(compared).toBeGreaterThan(0);
  });

  it("takes every clean generated hot frame, with the exact parser's result", () => {
    const r = seededRandom(v.name.length * 104729);
    clean = true;
    try {
      let hot = 0;
      for (let i = 0; i < 1000; i++) {
        const text = v.frame(r);
        const exact = v.exact(text);
        const took = check(v, text);
        if (v.hot(exact)) {
          hot++;
          expect(took, text).toBe(true);
        }
      }
      expect(hot).toBeGreaterThan(100);
    } finally {
      clean = false;
    }
  });

  it("declines whitespace, escapes and reordered keys but still matches on the exact result", () => {
    for (const f of fixtureFrames(v.name as "binance" | "kraken")) {
      for (const variant of [f.replace(":", ": "), f.replace(/"([a-z])/, '"\\u0061$1'), ` ${f}`, `${f}\n`, f.replace(/,"/, ' ,"')]) {
        if (variant !== f) expect(v.fast(variant), variant).toBeNull();
        check(v, variant);
      }
    }
  });
});

describe("decimalIn", () => {
  it("gives decimalText's result for a range of a frame, or throws where it throws", () => {
    const texts = [...NUMBERS, ...DECIMALS, "1".repeat(30), "1".repeat(31), `0.${"1".repeat(18)}`, `0.${"1".repeat(19)}`, `0.${"1".repeat(18)}000`, "0000.0000", "12.", "1.2.3", "+1", " 1"];
    for (const text of texts) {
      const frame = `["${text}"]`;
      const got = (): string => decimalIn(frame, 2, 2 + text.length, "x");
      let want: string;
      try {
        want = decimalText(text, "x");
      } catch {
        expect(got, text).toThrow();
        continue;
      }
      expect(got(), text).toBe(want);
    }
  });
});

describe("Kraken level marks", () => {
  it("are the exact parser's marks for leading zeros, tiny prices, integers, zeros and the decimal limits", () => {
    const numbers = ["0.0001", "0.00010000", "0.10", "0", "0.0", "0.000", "7", "100", "45283.5", "45281.0", "10.05", "1.00000000", "0.00000001"];
    const limits = [`0.${"1".repeat(18)}`, `0.${"1".repeat(18)}000`, `0.${"1".repeat(19)}`, `0.${"0".repeat(18)}1`, "1".repeat(30), "1".repeat(31), `${"9".repeat(30)}.5`];
    for (const p of [...numbers, ...limits]) {
      for (const q of numbers) {
        for (const [a, b] of [[p, q], [q, p]]) {
          const frame = `{"channel":"book","type":"update","data":[{"symbol":"BTC/USD","bids":[{"price":${a},"qty":${b}}],"asks":[],"checksum":1,"timestamp":"2023-10-04T07:48:25.5Z"}]}`;
          const fast = parseKrakenFast(frame);
          const exact = parseKraken(frame, 5);
          if (exact.kind === "book") expect(fast, frame).not.toBeNull();
          if (fast !== null) expect(fast, frame).toEqual(exact);
        }
      }
    }
  });
});

describe("Kraken times", () => {
  it("give the exact parser's answer when a time repeats, extends or shortens the last one", () => {
    const times = ["2023-10-04T07:48:26.708706Z", "2023-10-04T07:48:26.708706Z", "2023-10-04T07:48:26.708706Z5", "2023-10-04T07:48:26.708706Z", "2023-10-04T07:48:26.7087Z", "2023-10-04T07:48:26.708706Z\\n", "2023-10-04T07:48:26.708706Z", "2023-10-04T07:48:27Z", "2023-10-04T07:48:26.708706Z"];
    for (const time of times) {
      for (const frame of [
        `{"channel":"trade","type":"update","data":[{"symbol":"BTC/USD","side":"buy","price":1.5,"qty":2,"ord_type":"market","trade_id":7,"timestamp":"${time}"}]}`,
        `{"channel":"book","type":"update","data":[{"symbol":"BTC/USD","bids":[],"asks":[{"price":1.5,"qty":2}],"checksum":7,"timestamp":"${time}"}]}`,
      ]) {
        const fast = parseKrakenFast(frame);
        if (fast !== null) expect(fast, frame).toEqual(parseKraken(frame, 5));
        else expect(time).not.toMatch(/^[\d:.TZ-]+Z$/);
      }
    }
  });
});
