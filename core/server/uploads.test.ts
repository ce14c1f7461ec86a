import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startCore, type RunningCore } from "../app.ts";
import { connectApi } from "../cli/core-client.ts";
import { silentLogger } from "../log.ts";

let core: RunningCore;
let dataDir: string;
const CSV = "Date,Open,High,Low,Close,Adj Close,Volume\n2024-01-02,10,11,9,10.5,10.5,100\n2024-01-03,10.5,12,10,11.5,11.5,120\n2024-01-04,11.5,12,11,11,11,90\n";

beforeAll(async () => {
  dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "ws-upload-"));
  process.env.WORKSTATION_MAX_UPLOAD_BYTES = "4096";
  core = await startCore({ dataDir, log: silentLogger(), port: 0, staticDir: dataDir, feeds: { venues: {}, simulated: false, simulatedRate: 20 } });
  delete process.env.WORKSTATION_MAX_UPLOAD_BYTES;
});

afterAll(async () => {
  await core.stop();
  fs.rmSync(dataDir, { recursive: true, force: true });
});

async function upload(name: string, body: string | Buffer, token = core.token): Promise<{ status: number; json: Record<string, unknown> }> {
  const res = await fetch(`http://127.0.0.1:${core.port}/api/upload?name=${encodeURIComponent(name)}`, { method: "POST", body, headers: { authorization: `Bearer ${token}` } });
  return { status: res.status, json: (await res.json().catch(() => ({}))) as Record<string, unknown> };
}

describe("uploads for import from the browser", () => {
  it("streams a file into the data dir, previews it, imports it under its name and removes the upload", async () => {
    const up = await upload("../../orcl daily.csv", CSV);
    expect(up.status).toBe(200);
    const file = String(up.json.file);
    expect(path.dirname(file)).toBe(path.join(dataDir, "uploads"));
    expect(fs.readFileSync(file, "utf8")).toBe(CSV);
    const api = await connectApi(core.port, core.token);
    try {
      const preview = await api.call("store.inspect", { file });
      expect(preview).toMatchObject({ format: "csv", kind: "bars", symbol: "ORCL DAILY", columns: ["Date", "Open", "High", "Low", "Close", "Adj Close", "Volume"] });
      expect(preview.layout).toMatch(/Yahoo/);
      expect(preview.rows[0]).toEqual(["2024-01-02", "10", "11", "9", "10.5", "10.5", "100"]);
      const result = await api.call("store.import", { files: [file], symbol: "orcl" });
      expect(result).toMatchObject({ symbol: "ORCL", rows: 3 });
      expect(result.files[0]!.file).toBe("orcl daily.csv");
      expect(fs.existsSync(file)).toBe(false);
    } finally {
      api.close();
    }
  });

  it("refuses a binary file with its own name in the message, an oversized body, and a missing token", async () => {
    const up = await upload("blob.csv", Buffer.from([1, 0, 2, 0, 3]));
    const api = await connectApi(core.port, core.token);
    try {
      await expect(api.call("store.inspect", { file: String(up.json.file) })).rejects.toMatchObject({ code: "bad_request", message: "blob.csv: binary data: not a CSV (text) or Parquet file" });
    } finally {
      api.close();
    }
    const big = await upload("big.csv", "x".repeat(10_000));
    expect(big.status).toBe(413);
    expect(String(big.json.error)).toMatch(/larger than/);
    expect(fs.readdirSync(path.join(dataDir, "uploads")).filter((f) => f.endsWith("big.csv"))).toEqual([]);
    expect((await upload("a.csv", CSV, "wrong")).status).toBe(401);
  });
});
