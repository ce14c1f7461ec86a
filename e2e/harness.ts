/**
 * End-to-end harness: starts `bin/workstation serve` on a temp data dir and reads its URL from
 * the first stdout line; launches Debian's Chromium through playwright-core (override the binary
 * with CHROMIUM_PATH); saves screenshots under artifacts/screenshots/.
 */
import { execFileSync, spawn, type ChildProcess } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import readline from "node:readline";
import { chromium, type Browser, type Page } from "playwright-core";

/** Repository root. */
export const ROOT = path.resolve(import.meta.dirname, "..");
/** Where screenshots go (git-ignored). */
export const SCREENSHOTS = path.join(ROOT, "artifacts", "screenshots");

/** A running `workstation serve`. */
export interface ServeProcess {
  child: ChildProcess;
  url: string;
  port: number;
  token: string;
  exited: Promise<number | null>;
}

/** A fresh temp data directory. */
export function tempDataDir(prefix = "ws-e2e-"): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), prefix));
}

/** Starts `workstation serve` (of the checkout at `opts.root`, this one by default) and resolves once it printed its URL. */
export function startServe(dataDir: string, opts: { port?: number; env?: Record<string, string>; root?: string } = {}): Promise<ServeProcess> {
  const args = ["serve", "--port", String(opts.port ?? 0), "--data-dir", dataDir];
  const root = opts.root ?? ROOT;
  const child = spawn(path.join(root, "bin", "workstation"), args, {
    cwd: root,
    env: { ...process.env, WORKSTATION_LOG_LEVEL: "error", ...opts.env },
    stdio: ["ignore", "pipe", "inherit"],
  });
  const exited = new Promise<number | null>((resolve) => child.once("exit", (code) => resolve(code)));
  return new Promise((resolve, reject) => {
    const lines = readline.createInterface({ input: child.stdout! });
    lines.once("line", (line) => {
      const url = new URL(line.trim());
      resolve({ child, url: line.trim(), port: Number(url.port), token: url.searchParams.get("token") ?? "", exited });
    });
    child.once("exit", (code) => reject(new Error(`workstation serve exited with ${code} before printing its URL`)));
  });
}

/** Stops a serve process with SIGTERM and returns its exit code. */
export async function stopServe(serve: ServeProcess): Promise<number | null> {
  if (serve.child.exitCode === null && serve.child.signalCode === null) serve.child.kill("SIGTERM");
  return serve.exited;
}

function chromiumPath(): string {
  if (process.env.CHROMIUM_PATH) return process.env.CHROMIUM_PATH;
  try {
    return execFileSync("sh", ["-c", "command -v chromium || command -v chromium-browser"], { encoding: "utf8" }).trim();
  } catch {
    throw new Error("Chromium not found: install Debian's `chromium` package (apt-get install chromium) or set CHROMIUM_PATH");
  }
}

/** Launches headless Chromium with the flags this sandbox needs. */
export function launchBrowser(): Promise<Browser> {
  return chromium.launch({
    executablePath: chromiumPath(),
    headless: true,
    args: [
      "--no-sandbox",
      "--disable-gpu",
      "--disable-quic",
      "--no-first-run",
      "--disable-background-networking",
      "--disable-component-update",
      "--disable-sync",
    ],
  });
}

/** Saves a full-page screenshot under artifacts/screenshots/NAME.png. */
export async function screenshot(page: Page, name: string): Promise<string> {
  fs.mkdirSync(SCREENSHOTS, { recursive: true });
  const file = path.join(SCREENSHOTS, `${name}.png`);
  await page.screenshot({ path: file });
  return file;
}
