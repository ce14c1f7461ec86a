/**
 * The desktop app end to end through Playwright's Electron support: the real Electron binary runs
 * the built app (out/, `npm run build`) with its own core on a temp data dir and a temp user data
 * dir. Runs only where Electron's binary is installed (`npm start` installs it); elsewhere the
 * suite is reported as skipped with that reason in its name. On Linux it needs a display (Xvfb).
 */
import { spawn } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { _electron, type ElectronApplication, type Page } from "playwright-core";
import { findElectronBinary } from "../core/cli/electron-binary.ts";
import { ROOT, tempDataDir } from "./harness.ts";

const binary = findElectronBinary(ROOT);
const suiteName = binary
  ? "desktop app (Electron)"
  : "desktop app (Electron) — skipped: Electron's binary is not installed here (nothing under node_modules/electron/dist; `npm start` installs it)";

/** Chromium refuses its sandbox as root (CI containers). */
const args = [...(process.getuid?.() === 0 ? ["--no-sandbox"] : []), ROOT];

/** What the test records in the main process. */
interface MainRecord {
  opened: string[];
  navigations: { url: string; prevented: boolean }[];
}

let app: ElectronApplication;
let page: Page;
let dataDir: string;
let userData: string;
let env: Record<string, string>;

async function launch(): Promise<{ app: ElectronApplication; page: Page }> {
  const launched = await _electron.launch({ executablePath: binary!, args, cwd: ROOT, env });
  const first = await launched.firstWindow();
  await first.waitForURL(/^http:\/\/127\.0\.0\.1:\d+\//);
  return { app: launched, page: first };
}

/** Replaces shell.openExternal (no real browser opens) and records navigation attempts and their outcome. */
async function recordInMain(target: ElectronApplication): Promise<void> {
  await target.evaluate(({ BrowserWindow, shell }) => {
    const record: MainRecord = { opened: [], navigations: [] };
    (globalThis as { wsRecord?: MainRecord }).wsRecord = record;
    shell.openExternal = async (url: string) => void record.opened.push(url);
    BrowserWindow.getAllWindows()[0]!.webContents.on("will-navigate", (event, url) => record.navigations.push({ url, prevented: event.defaultPrevented }));
  });
}

function mainRecord(): Promise<MainRecord> {
  return app.evaluate(() => (globalThis as { wsRecord?: MainRecord }).wsRecord!);
}

describe.skipIf(!binary)(suiteName, () => {
  beforeAll(async () => {
    if (!fs.existsSync(path.join(ROOT, "out", "main", "index.js"))) throw new Error("out/main/index.js is missing: build the app first (`npm run build`)");
    dataDir = tempDataDir("ws-desktop-e2e-data-");
    userData = tempDataDir("ws-desktop-e2e-user-");
    env = { ...process.env, WORKSTATION_DATA_DIR: dataDir, WORKSTATION_USER_DATA_DIR: userData, WORKSTATION_LOG_LEVEL: "error" } as Record<string, string>;
    ({ app, page } = await launch());
    await recordInMain(app);
  }, 120_000);

  afterAll(async () => {
    await app?.close();
    for (const dir of [dataDir, userData]) if (dir) fs.rmSync(dir, { recursive: true, force: true });
  });

  it("opens one window on core whose page sees only the bridge's allow-list", async () => {
    expect(app.windows()).toHaveLength(1);
    const seen = await page.evaluate(async () => {
      const bridge = (window as unknown as { workstation: Record<string, unknown> & { core(): Promise<{ url: string; token: string }> } }).workstation;
      return { keys: Object.keys(bridge).sort(), node: typeof (window as unknown as { require?: unknown }).require, core: await bridge.core(), origin: location.origin };
    });
    expect(seen.keys).toEqual(["core", "newWindow", "openExternal", "platform"]);
    expect(seen.node).toBe("undefined");
    expect(new URL(seen.core.url).origin).toBe(seen.origin);
    expect(seen.core.token).toMatch(/^[0-9a-f]{64}$/);
  });

  it("grants notifications and denies other permissions", async () => {
    const answers = await page.evaluate(
      () =>
        new Promise<{ notifications: string; geolocation: number }>((resolve) => {
          navigator.geolocation.getCurrentPosition(
            () => resolve({ notifications: Notification.permission, geolocation: 0 }),
            (error) => resolve({ notifications: Notification.permission, geolocation: error.code }),
          );
        }),
    );
    expect(answers).toEqual({ notifications: "granted", geolocation: 1 });
  });

  it("stays on core: remote and malformed navigations are cancelled, window.open opens only well-formed links outside", async () => {
    const coreUrl = page.url();
    await page.evaluate(() => {
      for (const url of ["https://example.org/docs", "http://[::1", "javascript:void 0"]) {
        try {
          window.open(url);
        } catch {
          // The renderer itself may reject a malformed URL; main must not see it either way.
        }
      }
      location.href = "https://example.org/elsewhere";
    });
    await expect.poll(async () => (await mainRecord()).navigations).toEqual([{ url: "https://example.org/elsewhere", prevented: true }]);
    expect((await mainRecord()).opened).toEqual(["https://example.org/docs"]);
    expect(app.windows()).toHaveLength(1);
    expect(page.url()).toBe(coreUrl);
  });

  it("a second launch exits and leaves the first window", async () => {
    const second = spawn(binary!, args, { cwd: ROOT, env, stdio: "ignore" });
    const code = await new Promise<number | null>((resolve) => second.once("exit", resolve));
    expect(code).toBe(0);
    expect(app.windows()).toHaveLength(1);
  });

  it("reopens the window at the size it had", async () => {
    await app.evaluate(({ BrowserWindow }) => BrowserWindow.getAllWindows()[0]!.setBounds({ x: 40, y: 50, width: 1000, height: 700 }));
    await app.close();
    const saved = JSON.parse(fs.readFileSync(path.join(userData, "window-state.json"), "utf8")) as { width: number; height: number };
    expect(saved).toMatchObject({ width: 1000, height: 700, maximized: false });
    ({ app, page } = await launch());
    const bounds = await app.evaluate(({ BrowserWindow }) => BrowserWindow.getAllWindows()[0]!.getBounds());
    expect(bounds).toMatchObject({ width: 1000, height: 700 });
  });
});
