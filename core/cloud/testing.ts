/**
 * Test support for cloud sync: a real `workstation cloud serve` process on loopback (its base URL
 * read from its first stdout line, its stderr kept as the log), and desktops driven through the CLI.
 */
import { spawn } from "node:child_process";
import path from "node:path";
import { expect } from "vitest";
import { runCliCaptured, type CliRun } from "../cli/testing.ts";
import type { SyncResult } from "./sync.ts";

const ROOT = path.resolve(import.meta.dirname, "..", "..");

/** A running `cloud serve` process. */
export interface CloudServiceProcess {
  url: string;
  /** What it wrote to stderr so far. */
  log(): string;
  /** Stops it (SIGTERM) and waits for its exit. */
  stop(): Promise<void>;
}

/** Starts `workstation cloud serve --port 0 --data-dir DIR` with extra environment. */
export async function startCloudService(dataDir: string, env: Record<string, string> = {}): Promise<CloudServiceProcess> {
  const child = spawn(process.execPath, ["--no-node-snapshot", path.join(ROOT, "core/cli/main.ts"), "cloud", "serve", "--port", "0", "--data-dir", dataDir], {
    stdio: ["ignore", "pipe", "pipe"],
    env: { ...process.env, ...env },
  });
  let log = "";
  child.stderr.on("data", (d: Buffer) => (log += d.toString()));
  const url = await new Promise<string>((resolve, reject) => {
    let buf = "";
    child.stdout.on("data", (d: Buffer) => {
      buf += d.toString();
      if (buf.includes("\n")) resolve(buf.split("\n")[0]!);
    });
    child.once("exit", (code) => reject(new Error(`cloud serve exited ${code}: ${log}`)));
  });
  return {
    url,
    log: () => log,
    stop: async () => {
      if (child.exitCode !== null) return;
      const exited = new Promise((resolve) => child.once("exit", resolve));
      child.kill("SIGTERM");
      await exited;
    },
  };
}

/** A desktop CLI bound to a base environment: `cli(dataDir, args, env)`. */
export function desktopCli(baseEnv: Record<string, string>): (dir: string, args: string[], env?: Record<string, string>) => Promise<CliRun> {
  return (dir, args, env = {}) => runCliCaptured([...args, "--data-dir", dir], { ...baseEnv, ...env });
}

/** Runs `workstation sync --json` on a desktop, expecting it to succeed quietly. */
export async function syncJson(cli: ReturnType<typeof desktopCli>, dir: string): Promise<SyncResult> {
  const r = await cli(dir, ["sync", "--json"]);
  expect(r.err, r.err.join("\n")).toEqual([]);
  return JSON.parse(r.out[0]!) as SyncResult;
}
