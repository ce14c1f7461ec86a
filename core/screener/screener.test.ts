import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { startCore } from "../app.ts";
import { silentLogger } from "../log.ts";
import { parseColumns } from "../../common/screener/columns.ts";
import { openAppDb } from "../store/app-db.ts";
import { Store } from "../store/index.ts";
import { ColumnScreen } from "./column-screen.ts";
import { generateSynthetic } from "./synthetic.ts";
import { storedBars } from "./universe-bars.ts";
import { ScreenWatch } from "./watch.ts";
import { runCliCaptured, type CliRun } from "../cli/testing.ts";
import { connectApi } from "../cli/core-client.ts";
import type { ScreenUpdate } from "../../common/api/screener.ts";

let dir = "";
beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), "screener-"));
});
afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

async function cli(...argv: string[]): Promise<CliRun> {
  return runCliCaptured([...argv, "--data-dir", dir]);
}

const rowsOf = (r: { out: string[] }): Record<string, unknown>[] => (JSON.parse(r.out[0]!) as { rows: Record<string, unknown>[] }).rows;

describe("column screens", () => {
  it("ranks a synthetic universe; failures are rows with error; too few bars are null with a note", async () => {
    expect((await cli("universe", "synth", "--symbols", "12", "--bars", "300", "--seed", "7")).code).toBe(0);
    const r = await cli("screen", "--columns", "last,change_pct_24,rsi_14,rating,rating_ma,rating_osc", "--universe", "synthetic", "--timeframe", "1h", "--sort", "rsi_14:asc", "--json");
    expect(r.code).toBe(0);
    const rows = rowsOf(r);
    expect(rows).toHaveLength(12);
    const rsi = rows.map((row) => row.rsi_14 as number);
    expect([...rsi].sort((a, b) => a - b)).toEqual(rsi);
    for (const row of rows) {
      expect(Object.keys(row).slice(0, 2)).toEqual(["venue", "symbol"]);
      expect(row.rating as number).toBeGreaterThanOrEqual(-1);
      expect(row.rating as number).toBeCloseTo(((row.rating_ma as number) + (row.rating_osc as number)) / 2, 12);
    }
    const again = await cli("screen", "--columns", "last,rsi_14", "--universe", "synthetic", "--timeframe", "1h", "--sort", "rsi_14:asc", "--json");
    expect(rowsOf(again).map((row) => row.symbol)).toEqual(rows.map((row) => row.symbol));

    const mixed = await cli("screen", "--columns", "last,sma_dist_pct_500", "--universe", "synthetic:SYN0001/USD,synthetic:NOPE", "--timeframe", "1h", "--json");
    expect(mixed.code).toBe(0);
    const [ok, bad] = rowsOf(mixed);
    expect(ok).toMatchObject({ symbol: "SYN0001/USD", sma_dist_pct_500: null, notes: ["sma_dist_pct_500: needs 500 bars, has 300"] });
    expect(bad).toMatchObject({ symbol: "NOPE", error: expect.stringMatching(/no data for NOPE/) });
    expect(mixed.err.join("\n")).toMatch(/1 of 2 symbols failed/);
  });

  it("filters, and names an unknown column or a bad filter in one line", async () => {
    await cli("universe", "synth", "--symbols", "10", "--bars", "100");
    const filtered = await cli("screen", "--columns", "last", "--universe", "synthetic", "--timeframe", "1h", "--filter", "rsi_14 < 50 and last > 0", "--json");
    const rows = rowsOf(filtered);
    expect(rows.length).toBeLessThan(10);
    expect(rows.every((row) => (row.rsi_14 as number) < 50)).toBe(true);
    const unknown = await cli("screen", "--columns", "last,macd_12", "--universe", "synthetic", "--timeframe", "1h");
    expect(unknown.code).toBe(1);
    expect(unknown.err).toEqual([expect.stringMatching(/^workstation screen: unknown column "macd_12"/)]);
    const badFilter = await cli("screen", "--columns", "last", "--universe", "synthetic", "--timeframe", "1h", "--filter", "last >");
    expect(badFilter.err[0]).toMatch(/filter: expected a number/);
    expect((await cli("screen", "--columns", "last", "--universe", "nosuch", "--timeframe", "1h")).err[0]).toMatch(/no universe named "nosuch"/);
  });

  it("a tail refresh after a bar close feeds only the new bars and equals a full recompute", async () => {
    const store = new Store(dir);
    try {
      const members = await store.withMarket((db) => generateSynthetic(db, { symbols: 5, bars: 400, timeframe: "1h", seed: 3, end: 1_700_000_000_000 }));
      const columns = parseColumns("last,change_pct_24,atr_pct_14,rvol_20,rsi_14,volume_24,rating");
      const screen = new ColumnScreen({ members, timeframe: "1h", columns });
      const db = await store.market();
      await screen.run(db);
      await db.conn.run(`INSERT INTO bars SELECT venue, symbol, tf_ms, ts + 3600000, open, high * 1.01, low, close * 1.02, volume * 3 FROM bars WHERE ts = (SELECT max(ts) FROM bars)`);
      const refreshed = await screen.refresh(db);
      expect(refreshed.barsFed).toBe(5);
      const fresh = await new ColumnScreen({ members, timeframe: "1h", columns }).run(db);
      expect(refreshed.rows).toEqual(fresh);
      expect((await screen.refresh(db)).barsFed).toBe(0);
    } finally {
      await store.close();
    }
  });
});

describe("universe bars", () => {
  it("come back per member in time order whatever order the store holds them in", async () => {
    const store = new Store(dir);
    try {
      const db = await store.market();
      await db.conn.run("INSERT INTO bars SELECT 'x', 'S' || (i % 3), 60000, (1000 - i) * 60000, i, i, i, i, 1 FROM range(300) t(i) ORDER BY hash(i)");
      const members = [{ venue: "x", symbol: "S2" }, { venue: "x", symbol: "S0" }, { venue: "x", symbol: "none" }];
      const found = await storedBars(db, { members, timeframe: "1m" });
      expect([...found.keys()].sort()).toEqual([0, 1]);
      for (const bars of found.values()) {
        expect(bars.time).toHaveLength(100);
        expect([...bars.time]).toEqual([...bars.time].sort((a, b) => a - b));
        expect(bars.close[0]).toBe(1000 - bars.time[0]! / 60000);
      }
    } finally {
      await store.close();
    }
  });
});

describe("watched screens", () => {
  it("feed a bar only once it closed, report rank changes, and call the top-n hook on an entry", async () => {
    const store = new Store(dir);
    try {
      const T = 1_700_000_000_000 - (1_700_000_000_000 % 3_600_000);
      const members = await store.withMarket((db) => generateSynthetic(db, { symbols: 4, bars: 60, timeframe: "1h", seed: 9, end: T }));
      const screen = new ColumnScreen({ members, timeframe: "1h", columns: parseColumns("change_pct_1") });
      const watch = new ScreenWatch({ screen, sort: { key: "change_pct_1", dir: "desc" }, filter: null, market: () => store.market(), alertTop: 1 });
      const entered: string[][] = [];
      watch.onEnterTop(1, (list) => entered.push(list.map((m) => m.symbol)));
      const first = await watch.tick(T + 3_600_000);
      expect(first.barsFed).toBe(-1);
      expect(first.changes).toHaveLength(4);
      expect(first.entered).toEqual([]);
      const last = first.rows.at(-1)!.symbol;
      const db = await store.market();
      // A new bar for the last-ranked symbol that jumps 50 %: still forming at T + 1.5 h, closed at T + 2 h.
      await db.conn.run(`INSERT INTO bars SELECT venue, symbol, tf_ms, ts + 3600000, close, close * 1.5, close, close * 1.5, 1 FROM bars WHERE symbol = '${last}' AND ts = ${T}`);
      const forming = await watch.tick(T + 5_400_000);
      expect(forming.barsFed).toBe(0);
      expect(forming.changes).toEqual([]);
      const closed = await watch.tick(T + 7_200_000);
      expect(closed.barsFed).toBe(1);
      expect(closed.rows[0]!.symbol).toBe(last);
      expect(closed.changes[0]).toEqual({ venue: "synthetic", symbol: last, rank: 1, previous: 4 });
      expect(entered).toEqual([[last]]);
      expect(closed.entered).toEqual([{ venue: "synthetic", symbol: last }]);
    } finally {
      await store.close();
    }
  });
});

describe("SQL screens", () => {
  it("see the universe view and the $timeframe/$from/$to parameters; must return venue and symbol", async () => {
    await cli("universe", "synth", "--symbols", "4", "--bars", "50");
    const sql = "SELECT b.venue, b.symbol, count(*) AS n, arg_max(close, ts) AS last FROM bars b JOIN universe u USING (venue, symbol) WHERE tf_ms = $timeframe AND ts >= $from AND ts < $to GROUP BY ALL";
    const r = await cli("screen", "--sql", sql, "--universe", "synthetic:SYN0001/USD,synthetic:SYN0003/USD", "--timeframe", "1h", "--sort", "symbol:asc", "--json");
    expect(r.code).toBe(0);
    expect(rowsOf(r)).toEqual([
      { venue: "synthetic", symbol: "SYN0001/USD", n: 50, last: expect.any(Number) },
      { venue: "synthetic", symbol: "SYN0003/USD", n: 50, last: expect.any(Number) },
    ]);
    const none = await cli("screen", "--sql", sql, "--universe", "synthetic", "--timeframe", "1m", "--json");
    expect(rowsOf(none)).toEqual([]);
    expect((await cli("screen", "--sql", "SELECT 1 AS n", "--universe", "synthetic", "--timeframe", "1h")).err[0]).toMatch(/must return venue and symbol/);
    expect((await cli("screen", "--sql", "DELETE FROM bars", "--universe", "synthetic", "--timeframe", "1h")).err[0]).toMatch(/read-only/);
    expect((await cli("screen", "--sql", "SELECT * FROM read_text('/etc/passwd')", "--universe", "synthetic", "--timeframe", "1h")).err[0]).toMatch(/not allowed/);
    expect((await cli("screen", "--sql", "SELECT venue, symbol FROM universe", "--universe", "synthetic", "--timeframe", "1h", "--sort", "n")).err[0]).toMatch(/unknown column "n"/);
  });
});

describe("universes", () => {
  it("add from the store or by hand, list, show and remove", async () => {
    await cli("universe", "synth", "--symbols", "3", "--bars", "10", "--venue", "demo");
    const fromStore = await cli("universe", "add", "all", "--from-store", "--json");
    expect(JSON.parse(fromStore.out[0]!)).toMatchObject({ name: "all", members: 3, source: "store" });
    const byHand = await cli("universe", "add", "mine", "--symbols", "binance:BTC/USDT,local:ORCL");
    expect(byHand.out).toEqual(["saved universe mine: 2 symbols (list)"]);
    expect((await cli("universe", "add", "mine", "--symbols", "local:X")).err[0]).toMatch(/exists; pass --replace/);
    expect((await cli("universe", "add", "mine", "--symbols", "local:X", "--replace")).code).toBe(0);
    const list = await cli("universe", "list", "--json");
    expect(JSON.parse(list.out[0]!).map((u: { name: string; members: number }) => [u.name, u.members])).toEqual([
      ["all", 3],
      ["mine", 1],
      ["synthetic", 3],
    ]);
    expect((await cli("universe", "show", "mine")).out).toEqual(["mine  (1 symbols; list)", "local:X"]);
    expect((await cli("universe", "remove", "mine")).code).toBe(0);
    expect((await cli("universe", "remove", "mine")).err[0]).toMatch(/no universe named "mine"/);
    expect((await cli("universe", "add", "v", "--from-venue", "kraken")).err[0]).toMatch(/no instrument list for kraken/);
    const app = openAppDb(dir);
    const inst = (symbol: string, quote: string, status = "trading") => ({ symbol, venueSymbol: symbol, base: symbol.split("/")[0], quote, tickSize: "0.1", lotSize: "1", pricePrecision: 1, sizePrecision: 0, status });
    app.db.exec("CREATE TABLE IF NOT EXISTS venue_instruments (feed TEXT PRIMARY KEY, fetched_at INTEGER NOT NULL, list TEXT NOT NULL)");
    app.db.prepare("INSERT INTO venue_instruments VALUES ('kraken', 0, ?)").run(JSON.stringify([inst("BTC/USD", "USD"), inst("ETH/EUR", "EUR"), inst("XRP/USD", "USD", "halted")]));
    app.close();
    const venue = await cli("universe", "add", "k", "--from-venue", "kraken", "--quote", "usd", "--json");
    expect(JSON.parse(venue.out[0]!)).toMatchObject({ source: "venue kraken quote USD", list: [{ venue: "kraken", symbol: "BTC/USD" }] });
    const volumes = JSON.parse((await cli("query", "SELECT symbol, sum(volume * close) AS v FROM bars GROUP BY 1 ORDER BY 2", "--json")).out[0]!) as { rows: [string, number][] };
    const cut = (volumes.rows[1]![1] + volumes.rows[2]![1]) / 2;
    const big = await cli("universe", "add", "big", "--from-store", "--min-volume", String(cut), "--json");
    expect(JSON.parse(big.out[0]!).list).toEqual([{ venue: "demo", symbol: volumes.rows[2]![0] }]);
    expect((await cli("universe", "add", "v")).code).toBe(2);
  });
});

describe("through a running core", () => {
  it("screens and universes give the same output as in process", async () => {
    await cli("universe", "synth", "--symbols", "6", "--bars", "120");
    const args = ["screen", "--columns", "last,rsi_14,rating", "--universe", "synthetic", "--timeframe", "1h", "--json"];
    const sql = ["screen", "--sql", "SELECT venue, symbol, count(*) AS n FROM bars JOIN universe USING (venue, symbol) WHERE tf_ms = $timeframe GROUP BY ALL", "--universe", "synthetic", "--timeframe", "1h", "--json"];
    const local = await cli(...args);
    const localSql = await cli(...sql);
    const core = await startCore({ dataDir: dir, log: silentLogger(), port: 0, staticDir: dir });
    try {
      expect((await cli(...args)).out).toEqual(local.out);
      expect((await cli(...sql)).out).toEqual(localSql.out);
      expect((await cli("universe", "add", "two", "--symbols", "synthetic:SYN0001/USD,synthetic:SYN0002/USD")).code).toBe(0);
      expect(rowsOf(await cli("screen", "--columns", "last", "--universe", "two", "--timeframe", "1h", "--json"))).toHaveLength(2);
      const api = await connectApi(core.port, core.token);
      try {
        const schema = await api.call("screen.schema", {});
        expect(schema.tables.map((t) => `${t.kind} ${t.name}`)).toEqual(["table bars", "view universe"]);
        expect(schema.tables[0]!.columns).toContainEqual({ name: "tf_ms", type: "BIGINT" });
        expect(schema.tables[0]!.columns.map((c) => c.name)).toEqual(["venue", "symbol", "tf_ms", "ts", "open", "high", "low", "close", "volume"]);
        expect(schema.params.map((p) => p.name)).toEqual(["$timeframe", "$from", "$to"]);
        const update = await new Promise<ScreenUpdate>((resolve, reject) => {
          const off = api.subscribe("screen.watch", { universe: "two", timeframe: "1h", columns: "last", alertTop: 1 }, {
            onEvent: (u) => {
              off();
              resolve(u);
            },
            onEnd: (err) => reject(err ?? new Error("ended")),
          });
        });
        expect(update.rows.map((r) => r.symbol).sort()).toEqual(["SYN0001/USD", "SYN0002/USD"]);
        expect(update.entered).toEqual([]);
      } finally {
        api.close();
      }
    } finally {
      await core.stop();
    }
  });
});
