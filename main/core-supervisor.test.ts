import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { CoreSupervisor } from "./core-supervisor.ts";

const root = path.resolve(import.meta.dirname, "..");
const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "ws-supervisor-"));
process.env.WORKSTATION_LOG_LEVEL = "warn";
const supervisor = new CoreSupervisor({ node: process.execPath, entry: path.join(root, "core", "cli", "main.ts") }, dataDir);

afterAll(async () => {
  await supervisor.stop();
  fs.rmSync(dataDir, { recursive: true, force: true });
});

function health(url: string): Promise<Response> {
  const u = new URL(url);
  return fetch(`${u.origin}/api/health`, { headers: { authorization: `Bearer ${u.searchParams.get("token")}` } });
}

function pidOf(): number {
  return (JSON.parse(fs.readFileSync(path.join(dataDir, "core.lock.json"), "utf8")) as { pid: number }).pid;
}

describe("CoreSupervisor", () => {
  it("starts core on the bundled runtime and waits for its URL", async () => {
    const url = await supervisor.start();
    expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/\?token=[0-9a-f]{64}$/);
    expect(new URL(url).searchParams.get("token")).toBe(supervisor.coreToken);
    expect((await health(url)).status).toBe(200);
  });

  it("restarts a dead core on the same port with the same token", async () => {
    const before = supervisor.url;
    const died = new Promise<void>((resolve) => supervisor.once("died", () => resolve()));
    const restarted = new Promise<string>((resolve) => supervisor.once("restarted", resolve));
    process.kill(pidOf(), "SIGKILL");
    await died;
    expect(await restarted).toBe(before);
    const body = (await (await health(before)).json()) as { ok: boolean };
    expect(body.ok).toBe(true);
  });

  it("stops core on quit without restarting it", async () => {
    const pid = pidOf();
    await supervisor.stop();
    expect(() => process.kill(pid, 0)).toThrow();
    expect(fs.existsSync(path.join(dataDir, "core.lock.json"))).toBe(false);
  });
});
