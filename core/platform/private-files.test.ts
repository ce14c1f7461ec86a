import { spawn } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import readline from "node:readline";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { connectApi } from "../cli/core-client.ts";
import { createLogger } from "../log.ts";
import { openAppDb } from "../store/app-db.ts";
import { openMarketDb } from "../store/market-db.ts";

const root = path.resolve(import.meta.dirname, "../..");
const fixture = path.join(root, "core/datafiles/fixtures/orcl-head.csv");
let dataDir: string;
let savedUmask: number;

beforeEach(() => {
  // A common default: files 0644 and folders 0755 unless core says otherwise.
  savedUmask = process.umask(0o022);
  dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "ws-modes-"));
  fs.chmodSync(dataDir, 0o755);
});

afterEach(() => {
  process.umask(savedUmask);
  fs.rmSync(dataDir, { recursive: true, force: true });
});

/** Every file and folder under `dir` (not `dir` itself) whose mode gives group or others any access. */
function notPrivate(dir: string): string[] {
  return fs
    .readdirSync(dir, { recursive: true, withFileTypes: true })
    .map((entry) => path.join(entry.parentPath, entry.name))
    .filter((file) => (fs.statSync(file).mode & 0o077) !== 0)
    .map((file) => `${path.relative(dir, file)} ${(fs.statSync(file).mode & 0o777).toString(8)}`);
}

describe("owner-only files in a data directory that already exists with mode 0755", () => {
  it("creates the app database, its WAL and shared memory, the market database and the log 0600 without relying on the umask", async () => {
    const app = openAppDb(dataDir);
    app.setSetting("probe", { written: true });
    const market = await openMarketDb(dataDir);
    const log = createLogger({ dataDir, quiet: true });
    log.info("probe");
    const files = ["app.sqlite", "app.sqlite-wal", "app.sqlite-shm", "market.duckdb", "logs/core.log"];
    for (const file of files) expect(fs.existsSync(path.join(dataDir, file))).toBe(true);
    expect(files.map((f) => (fs.statSync(path.join(dataDir, f)).mode & 0o777).toString(8))).toEqual(files.map(() => "600"));
    expect((fs.statSync(path.join(dataDir, "logs")).mode & 0o777).toString(8)).toBe("700");
    app.close();
    market.close();
  });

  it("tightens the databases an earlier version left 0644", () => {
    openAppDb(dataDir).close();
    fs.chmodSync(path.join(dataDir, "app.sqlite"), 0o644);
    openAppDb(dataDir).close();
    expect(fs.statSync(path.join(dataDir, "app.sqlite")).mode & 0o777).toBe(0o600);
  });

  it("leaves nothing readable by others after a core served, imported and recorded its state", async () => {
    const child = spawn(process.execPath, ["--no-node-snapshot", path.join(root, "core/cli/main.ts"), "serve", "--data-dir", dataDir, "--workers", "1"], {
      stdio: ["ignore", "pipe", "inherit"],
      env: { ...process.env, WORKSTATION_LOG_LEVEL: "warn" },
    });
    const exited = new Promise<number | null>((resolve) => child.once("exit", resolve));
    try {
      const url = new URL(await new Promise<string>((resolve) => readline.createInterface({ input: child.stdout! }).once("line", resolve)));
      const client = await connectApi(Number(url.port), url.searchParams.get("token")!);
      await client.call("ui.settings.get", {});
      await client.call("store.import", { files: [fixture], symbol: "ORCL" });
      await client.call("store.query", { sql: "SELECT count(*) FROM bars" });
      client.close();
      expect(fs.readdirSync(dataDir)).toEqual(expect.arrayContaining(["app.sqlite", "market.duckdb", "core.lock.json", "logs"]));
      expect(notPrivate(dataDir)).toEqual([]);
    } finally {
      child.kill("SIGTERM");
      await exited;
    }
    expect(notPrivate(dataDir)).toEqual([]);
    expect(fs.statSync(dataDir).mode & 0o777).toBe(0o755);
  }, 60_000);
});
