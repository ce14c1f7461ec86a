/**
 * `workstation cloud serve --database postgres://…` end to end: a throwaway PostgreSQL cluster, the
 * service process on loopback, and two desktops (separate data directories) driven through the CLI
 * as processes. Skipped where PostgreSQL is not installed; a failure in CI.
 */
import { execFile, spawn, type ChildProcess } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { findPostgresBin, startPostgres, type PostgresCluster } from "./testing/postgres-cluster.ts";

const run = promisify(execFile);
const ROOT = path.resolve(import.meta.dirname, "..");
const CLI = path.join(ROOT, "core", "cli", "main.ts");
const hasPostgres = findPostgresBin() !== null;
if (!hasPostgres && process.env.CI === "true") throw new Error("PostgreSQL is missing in CI: install Debian's postgresql (.ci/run does)");

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "cloud-pg-e2e-"));
const env = { ...process.env, WORKSTATION_PASSWORD: "granite-lantern-orbit-42", WORKSTATION_CLOUD_KEYCHAIN: "off" };
let cluster: PostgresCluster | null = null;
let service: ChildProcess | null = null;
let url = "";

async function cli(device: string, ...args: string[]): Promise<string> {
  const { stdout } = await run(process.execPath, ["--no-node-snapshot", CLI, ...args, "--data-dir", path.join(tmp, device)], { env });
  return stdout.trimEnd();
}

beforeAll(async () => {
  if (!hasPostgres) return;
  cluster = await startPostgres();
  service = spawn(process.execPath, ["--no-node-snapshot", CLI, "cloud", "serve", "--port", "0", "--database", cluster.url], { stdio: ["ignore", "pipe", "inherit"] });
  url = await new Promise<string>((resolve, reject) => {
    service!.stdout!.once("data", (d: Buffer) => resolve(d.toString().split("\n")[0]!));
    service!.once("exit", (code) => reject(new Error(`cloud serve exited ${code}`)));
  });
}, 60_000);

afterAll(async () => {
  if (service) {
    const exited = new Promise((resolve) => service!.once("exit", resolve));
    service.kill("SIGTERM");
    await exited;
  }
  cluster?.stop();
  fs.rmSync(tmp, { recursive: true, force: true });
});

describe.skipIf(!hasPostgres)("cloud serve on PostgreSQL", () => {
  it("syncs a strategy between two desktops", async () => {
    expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(await cli("a", "account", "signup", "--server", url, "--email", "pg@example.org")).toMatch(/^([0-9a-f]{8}-){7}[0-9a-f]{8}$/);
    const file = path.join(tmp, "s.ts");
    fs.writeFileSync(file, "export default 'postgres';\n");
    await cli("a", "strategies", "save", file, "--name", "On Postgres");
    expect(JSON.parse(await cli("a", "sync", "--json"))).toEqual({ pushed: 1, pulled: 0, conflicts: 0 });
    await cli("b", "account", "login", "--server", url, "--email", "pg@example.org");
    expect(JSON.parse(await cli("b", "sync", "--json"))).toEqual({ pushed: 0, pulled: 1, conflicts: 0 });
    expect(await cli("b", "strategies", "show", "On Postgres")).toBe("export default 'postgres';");
  }, 90_000);
});
