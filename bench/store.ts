/**
 * Store benchmark (`npm run bench:store`): figures, not a test.
 *
 * 1. Sustained recording: a simulated feed pushes trades into the Recorder for a few seconds while
 *    it flushes every 500 ms; rows committed per second.
 * 2. 10M trades from Parquet (a registered source, DECIMAL prices) → 1-minute candles.
 * 3. 1M bars from the store into typed arrays, then into a worker process the way runs get them
 *    (a hand-off file read into shared memory).
 * 4. Import of a generated CSV (default 1 GB; BENCH_CSV_MB to change) in rows/s.
 *
 * Targets from the issue are printed beside each figure with the ratio figure/target.
 */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import type { MarketEvent } from "../common/market/events.ts";
import { silentLogger } from "../core/log.ts";
import { loadBars } from "../core/store/candles.ts";
import { importFiles } from "../core/store/import.ts";
import { openMarketDb, type MarketDb } from "../core/store/market-db.ts";
import { Recorder } from "../core/store/recorder.ts";
import { addParquetSource } from "../core/store/sources.ts";
import { WORKER_EXEC_ARGV, defaultWorkerEntry } from "../core/workers/entry.ts";
import { WorkerPool } from "../core/workers/pool.ts";
import { withBarsFile } from "../core/strategy/bars-handoff.ts";

interface Row {
  name: string;
  figure: string;
  target: string;
  ratio: string;
}

const rows: Row[] = [];
const dir = fs.mkdtempSync(path.join(os.tmpdir(), "bench-store-"));
const csvMb = Number(process.env.BENCH_CSV_MB ?? 1024);

function ms(start: number): number {
  return performance.now() - start;
}

async function benchRecording(db: MarketDb): Promise<void> {
  const recorder = new Recorder(db, { flushMs: 500 });
  await recorder.start();
  const seconds = 5;
  const end = performance.now() + seconds * 1000;
  let id = 0;
  while (performance.now() < end) {
    for (let i = 0; i < 2000; i++, id++) {
      const trade: MarketEvent = {
        type: "trade", exchange: "binance", symbol: "BTC/USDT", price: `${60000 + (id % 997)}.${id % 100}`, size: `0.${(id % 9999) + 1}`,
        side: id % 2 ? "buy" : "sell", tradeId: String(id), ts: 1_700_000_000_000 + id,
      };
      recorder.record(trade);
    }
    await new Promise((resolve) => setImmediate(resolve));
  }
  const before = performance.now();
  await recorder.stop();
  const total = seconds * 1000 + ms(before);
  const rate = recorder.status().written / (total / 1000);
  rows.push({ name: "recording (simulated feed, 500 ms batches)", figure: `${Math.round(rate).toLocaleString("en")} trades/s`, target: "—", ratio: "—" });
}

async function benchParquetCandles(db: MarketDb): Promise<void> {
  const n = 10_000_000;
  const file = path.join(dir, "trades.parquet");
  await db.conn.run(
    `COPY (SELECT 1700000000000 + i * 6 AS time, (60000 + (i % 1000) / 100)::DECIMAL(38,18) AS price, (0.001 * (1 + i % 50))::DECIMAL(38,18) AS size, CASE WHEN i % 2 = 0 THEN 'buy' ELSE 'sell' END AS side, i::VARCHAR AS trade_id FROM range(${n}) t(i)) TO '${file}' (FORMAT parquet)`,
  );
  await addParquetSource(db, file, "PQ", "bench");
  const start = performance.now();
  const bars = await loadBars(db, { symbol: "PQ", venue: "bench", timeframe: "1m" });
  const took = ms(start);
  rows.push({ name: `10M trades (Parquet) → ${bars.time.length.toLocaleString("en")} 1m candles`, figure: `${took.toFixed(0)} ms`, target: "< 1000 ms", ratio: (took / 1000).toFixed(2) });
}

async function benchBarsToWorker(db: MarketDb): Promise<void> {
  const n = 1_000_000;
  await db.conn.run(
    `INSERT INTO bars SELECT 'bench', 'BARS', 60000, 1600000000000 + i * 60000, 100 + i % 10, 101 + i % 10, 99 + i % 10, 100.5 + i % 10, 10 FROM range(${n}) t(i)`,
  );
  await db.conn.run("INSERT INTO instruments VALUES ('bench', 'BARS', 'bars', 'bench', 60000, 0, 0, 0)");
  const pool = new WorkerPool({ size: 1, entry: defaultWorkerEntry(), execArgv: WORKER_EXEC_ARGV, log: silentLogger() });
  await pool.request("echo", { value: 1 });
  const start = performance.now();
  const bars = await loadBars(db, { symbol: "BARS", venue: "bench", timeframe: "1m" });
  const loaded = ms(start);
  const sent = performance.now();
  const got = await withBarsFile(bars, (ref) => pool.request<{ bars: number }>("bars.load", ref));
  const handOff = ms(sent);
  await pool.shutdown();
  if (got.bars !== bars.time.length) throw new Error(`worker saw ${got.bars} bars, expected ${bars.time.length}`);
  const total = loaded + handOff;
  rows.push({ name: `1M bars store → typed arrays (${bars.time.length.toLocaleString("en")})`, figure: `${loaded.toFixed(0)} ms`, target: "—", ratio: "—" });
  rows.push({ name: "  hand-off to a worker (file → shared memory, as runs do)", figure: `${handOff.toFixed(0)} ms`, target: "—", ratio: "—" });
  rows.push({ name: "1M bars store → worker, total", figure: `${total.toFixed(0)} ms`, target: "< 100 ms", ratio: (total / 100).toFixed(2) });
}

async function benchImport(db: MarketDb): Promise<void> {
  const file = path.join(dir, "big.csv");
  const rowsWanted = Math.round((csvMb * 1024 * 1024) / 58);
  await db.conn.run(
    `COPY (SELECT 1600000000000 + i AS time, (60000 + (i % 100000) / 100)::DECIMAL(12,2) AS price, (0.00001 * (1 + i % 99999))::DECIMAL(12,5) AS size, CASE WHEN i % 2 = 0 THEN 'buy' ELSE 'sell' END AS side, i AS id FROM range(${rowsWanted}) t(i)) TO '${file}' (FORMAT csv, HEADER)`,
  );
  const mb = fs.statSync(file).size / 1024 / 1024;
  const start = performance.now();
  const result = await importFiles(db, { files: [file], symbol: "BIGCSV", venue: "bench" });
  const took = ms(start) / 1000;
  rows.push({
    name: `import ${mb.toFixed(0)} MB trades CSV (${result.rows.toLocaleString("en")} rows)`,
    figure: `${Math.round(result.rows / took).toLocaleString("en")} rows/s (${(mb / took).toFixed(0)} MB/s, ${took.toFixed(1)} s)`,
    target: "—",
    ratio: "—",
  });
}

function printTable(): void {
  const headers: Row = { name: "benchmark", figure: "figure", target: "target", ratio: "figure/target" };
  const all = [headers, ...rows];
  const w = (k: keyof Row): number => Math.max(...all.map((r) => r[k].length));
  for (const [i, r] of all.entries()) {
    console.log(`${r.name.padEnd(w("name"))}  ${r.figure.padEnd(w("figure"))}  ${r.target.padEnd(w("target"))}  ${r.ratio}`);
    if (i === 0) console.log("-".repeat(w("name") + w("figure") + w("target") + 20));
  }
  console.log(`\nmachine: ${os.cpus().length} CPUs, Node ${process.version}; CSV size ${csvMb} MB (BENCH_CSV_MB)`);
}

const db = await openMarketDb(dir);
try {
  await benchRecording(db);
  await benchParquetCandles(db);
  await benchBarsToWorker(db);
  await benchImport(db);
} finally {
  db.close();
  fs.rmSync(dir, { recursive: true, force: true });
}
printTable();
