import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { CliIo } from "../cli/command.ts";
import { runCli } from "../cli/main.ts";
import { expandFileArgs, groupBinanceFiles, parseBinanceFileName } from "./binance-names.ts";

const fixture = (name: string): string => path.join(import.meta.dirname, "fixtures", name);
let dir = "";
beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), "binance-names-"));
});
afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

describe("Binance public-data file names", () => {
  it("give the unified symbol, kind and timeframe", () => {
    expect(parseBinanceFileName("/x/BTCUSDT-1m-2024-01.csv")).toEqual({ file: "/x/BTCUSDT-1m-2024-01.csv", symbol: "BTC/USDT", kind: "bars", timeframe: "1m" });
    expect(parseBinanceFileName("ETHBTC-1h-2024-01-15.csv")).toMatchObject({ symbol: "ETH/BTC", timeframe: "1h" });
    expect(parseBinanceFileName("BTCFDUSD-aggTrades-2024-01.csv")).toMatchObject({ symbol: "BTC/FDUSD", kind: "trades" });
    expect(parseBinanceFileName("BTCUSDT-3m-2024-01.csv")).toMatch(/interval "3m" is not one of/);
    expect(parseBinanceFileName("notes.txt")).toMatch(/not a Binance public-data name/);
  });

  it("group by symbol and timeframe; unparsable names are skipped with the reason", () => {
    const { groups, skipped } = groupBinanceFiles(["BTCUSDT-1m-2024-01.csv", "BTCUSDT-1m-2024-02.csv", "BTCUSDT-1h-2024-01.csv", "x.csv"]);
    expect(groups.map((g) => g.length)).toEqual([2, 1]);
    expect(skipped).toEqual([{ file: "x.csv", reason: expect.stringMatching(/not a Binance/) }]);
  });

  it("expand directories and globs", () => {
    fs.writeFileSync(path.join(dir, "A-1m-2024-01.csv"), "");
    fs.writeFileSync(path.join(dir, "B-1m-2024-01.csv"), "");
    expect(expandFileArgs([dir]).files.map((f) => path.basename(f))).toEqual(["A-1m-2024-01.csv", "B-1m-2024-01.csv"]);
    expect(expandFileArgs([path.join(dir, "B-*.csv"), path.join(dir, "none-*.csv")])).toEqual({ files: [path.join(dir, "B-1m-2024-01.csv")], missing: [path.join(dir, "none-*.csv")] });
  });
});

describe("workstation import DIR --venue binance", () => {
  it("imports many symbols at once, reports and skips bad names, keeps the import's validation", async () => {
    const files = path.join(dir, "files");
    fs.mkdirSync(files);
    fs.copyFileSync(fixture("binance-klines-ms.csv"), path.join(files, "BTCUSDT-1m-2024-01.csv"));
    fs.copyFileSync(fixture("binance-klines-ms.csv"), path.join(files, "ETHUSDT-1m-2024-01.csv"));
    fs.copyFileSync(fixture("bad-number.csv"), path.join(files, "SOLUSDT-1m-2024-01.csv"));
    fs.writeFileSync(path.join(files, "readme.txt"), "hi");
    const out: string[] = [];
    const err: string[] = [];
    const io: CliIo = { out: (l) => out.push(l), err: (l) => err.push(l), env: {} };
    const code = await runCli(["import", files, "--venue", "binance", "--data-dir", path.join(dir, "data")], io);
    expect(code).toBe(1);
    const result = JSON.parse(out[0]!) as { imported: { symbol: string; venue: string; rows: number }[]; failed: { symbol: string }[]; skipped: { file: string }[] };
    expect(result.imported.map((r) => [r.symbol, r.venue, r.rows])).toEqual([
      ["BTC/USDT", "binance", 3],
      ["ETH/USDT", "binance", 3],
    ]);
    expect(result.failed.map((f) => f.symbol)).toEqual(["SOL/USDT"]);
    expect(result.skipped.map((s) => path.basename(s.file))).toEqual(["readme.txt"]);
    expect(err.join("\n")).toMatch(/skipped .*readme\.txt: not a Binance public-data name/);
    expect(err.join("\n")).toMatch(/SOL\/USDT 1m: not imported/);
    const noSymbol = await runCli(["import", files, "--data-dir", path.join(dir, "data")], io);
    expect(noSymbol).toBe(2);
    expect(err.at(-1)).toMatch(/--symbol is required \(or --venue binance/);
  });
});
