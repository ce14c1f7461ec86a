/**
 * Helpers of the UI end-to-end tests: a loopback exchange simulator with injected faults
 * (`workstation simulate`), synthetic 1-minute bars imported into a data directory, an API client
 * on a running core, and small waits on the page's data attributes.
 */
import { execFileSync, spawn, type ChildProcess } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import readline from "node:readline";
import type { Page } from "playwright-core";
import WebSocket from "ws";
import { ApiClient, type SocketLike } from "../common/api/client.ts";
import { ROOT, type ServeProcess } from "./harness.ts";

/** A running `workstation simulate`. */
export interface SimulatorProcess {
  child: ChildProcess;
  urls: Record<string, { ws: string; rest: string }>;
  /** The private API (`--private`): its URLs and test key. */
  private?: Record<string, { rest: string; wsApi: string; apiKey: string; secret: string }>;
  stop(): Promise<void>;
}

/** Starts the simulator (first stdout line is its JSON description). */
export function startSimulator(args: string[]): Promise<SimulatorProcess> {
  const child = spawn(path.join(ROOT, "bin", "workstation"), ["simulate", ...args], { cwd: ROOT, stdio: ["ignore", "pipe", "ignore"] });
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  return new Promise((resolve, reject) => {
    readline.createInterface({ input: child.stdout! }).once("line", (line) => {
      const info = JSON.parse(line) as { venues: Record<string, { ws: string; rest: string }>; private?: SimulatorProcess["private"] };
      resolve({
        child,
        urls: info.venues,
        ...(info.private ? { private: info.private } : {}),
        stop: async () => {
          if (child.exitCode === null) child.kill("SIGTERM");
          await exited;
        },
      });
    });
    child.once("exit", (code) => reject(new Error(`workstation simulate exited with ${code}`)));
  });
}

/** CSV text of `n` 1-minute bars ending before `endMs`, a seeded random walk with slow swings (so crossovers happen). */
export function minuteBarsCsv(n: number, endMs: number, start = 100): string {
  let seed = 7;
  const rand = (): number => ((seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31) / 2 ** 31);
  const first = Math.floor(endMs / 60_000) * 60_000 - n * 60_000;
  const lines = ["time,open,high,low,close,volume"];
  let price = start;
  for (let i = 0; i < n; i++) {
    const open = price;
    price = Math.max(1, price + Math.sin(i / 40) * 0.4 + (rand() - 0.5) * 0.6);
    const high = Math.max(open, price) + rand() * 0.2;
    const low = Math.min(open, price) - rand() * 0.2;
    lines.push(`${first + i * 60_000},${open.toFixed(2)},${high.toFixed(2)},${low.toFixed(2)},${price.toFixed(2)},${(1 + rand() * 10).toFixed(3)}`);
  }
  return lines.join("\n") + "\n";
}

/** Daily bars as a Yahoo-style CSV: a slow wave with noise, so crossovers happen. */
export function dailyCsv(days: number): string {
  const lines = ["Date,Open,High,Low,Close,Adj Close,Volume"];
  let price = 50;
  for (let i = 0; i < days; i++) {
    const open = price;
    price = Math.max(1, price + Math.sin(i / 15) * 0.8 + Math.cos(i / 3.7) * 0.5);
    const day = new Date(Date.UTC(2015, 0, 1) + i * 86_400_000).toISOString().slice(0, 10);
    const hi = Math.max(open, price) + 0.3, lo = Math.min(open, price) - 0.3;
    lines.push(`${day},${open.toFixed(4)},${hi.toFixed(4)},${lo.toFixed(4)},${price.toFixed(4)},${price.toFixed(4)},${1000 + i}`);
  }
  return lines.join("\n") + "\n";
}

/** Imports a CSV into a data directory through the CLI (no core running). */
export function importCsv(dataDir: string, name: string, csv: string, symbol: string, venue: string): void {
  const file = path.join(dataDir, name);
  fs.writeFileSync(file, csv);
  execFileSync(path.join(ROOT, "bin", "workstation"), ["import", file, "--symbol", symbol, "--venue", venue, "--data-dir", dataDir], {
    cwd: ROOT,
    stdio: ["ignore", "ignore", "inherit"],
  });
}

/** Waits until a numeric attribute of the first element with the test id reaches `min`. */
export async function waitForCount(page: Page, testId: string, attr: string, min: number, timeoutMs = 20_000): Promise<number> {
  const handle = await page.waitForFunction(
    ([id, name, least]) => {
      const v = Number(document.querySelector(`[data-testid="${id}"]`)?.getAttribute(name as string));
      return v >= (least as number) ? v : false;
    },
    [testId, attr, min] as const,
    { timeout: timeoutMs },
  );
  return (await handle.jsonValue()) as number;
}

/** Waits until the text of the first element with the test id differs from `previous`; returns it. */
export async function waitForTextChange(page: Page, testId: string, previous: string, timeoutMs = 20_000): Promise<string> {
  const handle = await page.waitForFunction(
    ([id, prev]) => {
      const t = document.querySelector(`[data-testid="${id}"]`)?.textContent ?? "";
      return t !== "" && t !== prev ? t : false;
    },
    [testId, previous] as const,
    { timeout: timeoutMs },
  );
  return (await handle.jsonValue()) as string;
}

/** Opens a symbol through the search dialog (`/`, typed as a trader types: the box must have the focus), optionally adding it to the watchlist. */
export async function openSymbol(page: Page, query: string, venue: string, symbol: string, watch = false): Promise<void> {
  await page.locator("body").press("Escape");
  // "/" types a slash in a focused field or the code editor: leave it first, as a trader clicks away.
  await page.evaluate(() => (document.activeElement as HTMLElement | null)?.blur());
  await page.locator("body").press("/");
  await page.getByTestId("search-input").and(page.locator(":focus")).waitFor();
  await page.keyboard.type(query);
  const hit = page.locator(`[data-testid="search-hit"][data-symbol="${symbol}"]`).filter({ hasText: venue }).first();
  await hit.waitFor();
  if (watch) await hit.getByTestId("search-watch").click();
  else await hit.click();
  await page.getByTestId("symbol-button").filter({ hasText: `${symbol} · ${venue}` }).waitFor();
}

/** An API client on a running core (its token), once connected; `close()` it when done. */
export function connectApi(serve: ServeProcess): Promise<ApiClient> {
  return new Promise((resolve) => {
    const client: ApiClient = new ApiClient({
      connect: () => new WebSocket(`ws://127.0.0.1:${serve.port}/api`, { headers: { authorization: `Bearer ${serve.token}` } }) as unknown as SocketLike,
      reconnect: false,
      onStateChange: (s) => s === "open" && resolve(client),
    });
  });
}
