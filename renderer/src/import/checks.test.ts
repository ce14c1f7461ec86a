import { describe, expect, it } from "vitest";
import { importRefusal, symbolFromName } from "./checks.ts";

describe("import checks before upload", () => {
  it("accepts CSV and Parquet files, gzipped too", () => {
    expect(importRefusal([{ name: "orcl.csv", size: 10 }, { name: "b.parquet", size: 3 }, { name: "t.csv.gz", size: 1 }])).toBeNull();
  });

  it("refuses nothing, folders, empty files and other kinds, naming the file", () => {
    expect(importRefusal([])).toMatch(/Nothing to import/);
    expect(importRefusal([{ name: "a.csv", size: 1 }, { name: "data", size: 0, directory: true }])).toMatch(/"data" is a folder/);
    expect(importRefusal([{ name: "e.csv", size: 0 }])).toMatch(/"e.csv" is empty/);
    expect(importRefusal([{ name: "photo.png", size: 9 }])).toMatch(/"photo.png" is not a CSV or Parquet file/);
  });

  it("suggests the symbol from the file name", () => {
    expect(symbolFromName("orcl.csv")).toBe("ORCL");
    expect(symbolFromName("btc-usd.csv.gz")).toBe("BTC-USD");
  });
});
