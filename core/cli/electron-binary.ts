/**
 * Finds Electron's installed binary on disk for every platform without loading the `electron`
 * package (which prints to stdout and tries to download when the binary is missing), and runs
 * Electron's own installer under a time limit. `workstation desktop` imports it; `scripts/start.sh`
 * runs it directly, so both find the binary the same way:
 *   node core/cli/electron-binary.ts find ROOT     prints the binary; exit 1 when there is none
 *   node core/cli/electron-binary.ts ensure ROOT   the same, running Electron's installer first
 *                                                  when the binary is missing (one line why on failure)
 */
import { spawn } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";

/** Where each platform's Electron zip keeps the executable, as Electron's installer writes it to path.txt. */
export const PLATFORM_BINARY: Readonly<Partial<Record<NodeJS.Platform, string>>> = {
  linux: "electron",
  freebsd: "electron",
  openbsd: "electron",
  darwin: "Electron.app/Contents/MacOS/Electron",
  win32: "electron.exe",
};

/** Seconds Electron's installer may take before `ensure` gives up (WORKSTATION_ELECTRON_INSTALL_TIMEOUT). */
export const DEFAULT_INSTALL_TIMEOUT_S = 300;

/** The repository (or package) root that holds package.json and node_modules. */
export function repoRoot(): string {
  return fileURLToPath(new URL("../../", import.meta.url));
}

/** The `electron` package folder under a root. */
export function electronPackageDir(root: string): string {
  return path.join(root, "node_modules", "electron");
}

function readPathTxt(dir: string): string | null {
  try {
    const rel = fs.readFileSync(path.join(dir, "path.txt"), "utf8").trim();
    return rel === "" ? null : rel;
  } catch {
    return null;
  }
}

function isRunnableFile(file: string): boolean {
  try {
    if (!fs.statSync(file).isFile()) return false;
    fs.accessSync(file, fs.constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

/**
 * Absolute path of a runnable Electron binary under `root`, or null when there is none. path.txt
 * (written by Electron's installer) names the executable inside dist/; without it, the platform's
 * usual layout is tried (Linux dist/electron, macOS dist/Electron.app/Contents/MacOS/Electron,
 * Windows dist/electron.exe).
 */
export function findElectronBinary(root: string = repoRoot(), platform: NodeJS.Platform = process.platform): string | null {
  const dir = electronPackageDir(root);
  const candidates = [readPathTxt(dir), PLATFORM_BINARY[platform]].filter((rel): rel is string => Boolean(rel));
  for (const rel of new Set(candidates)) {
    const binary = path.join(dir, "dist", rel);
    if (isRunnableFile(binary)) return binary;
  }
  return null;
}

/** How `ensure` runs the installer: a Node script, started from the root, under a time limit. */
export interface InstallerOptions {
  /** The installer script (Electron's install.js unless WORKSTATION_ELECTRON_INSTALLER names another). */
  script: string;
  timeoutMs: number;
}

/** The installer's outcome; `reason` says why it failed. */
export type InstallerResult = { ok: true } | { ok: false; reason: string };

/**
 * Runs the installer script with the current Node, its stdout and stderr both on our stderr (so its
 * progress shows and stdout stays clean), and stops it when the time limit passes.
 */
export function runElectronInstaller(root: string, options: InstallerOptions): Promise<InstallerResult> {
  if (!fs.existsSync(options.script)) return Promise.resolve({ ok: false, reason: `its installer ${options.script} is missing` });
  const seconds = Math.round(options.timeoutMs / 100) / 10;
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [options.script], { cwd: root, stdio: ["ignore", 2, 2] });
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      child.kill("SIGTERM");
    }, options.timeoutMs);
    child.once("error", (error) => {
      clearTimeout(timer);
      resolve({ ok: false, reason: `its installer could not start (${error.message})` });
    });
    child.once("exit", (code, signal) => {
      clearTimeout(timer);
      if (timedOut) resolve({ ok: false, reason: `its installer did not finish within ${seconds} s (WORKSTATION_ELECTRON_INSTALL_TIMEOUT)` });
      else if (code === 0) resolve({ ok: true });
      else resolve({ ok: false, reason: `its installer failed (${signal ?? `exit code ${code}`}; its error is above)` });
    });
  });
}

/** The installer options from the environment; a bad time limit gets one line and the default. */
export function installerOptionsFromEnv(root: string, env: NodeJS.ProcessEnv, warn: (line: string) => void): InstallerOptions {
  const script = env.WORKSTATION_ELECTRON_INSTALLER || path.join(electronPackageDir(root), "install.js");
  const raw = env.WORKSTATION_ELECTRON_INSTALL_TIMEOUT;
  let seconds = DEFAULT_INSTALL_TIMEOUT_S;
  if (raw !== undefined && raw !== "") {
    const parsed = Number(raw);
    if (Number.isFinite(parsed) && parsed > 0) seconds = parsed;
    else warn(`WORKSTATION_ELECTRON_INSTALL_TIMEOUT must be a positive number of seconds (got "${raw}"); using ${DEFAULT_INSTALL_TIMEOUT_S}`);
  }
  return { script: path.resolve(root, script), timeoutMs: seconds * 1000 };
}

/** The binary under `root`, after running Electron's installer when it is missing; else why not. */
export async function ensureElectronBinary(
  root: string,
  options: InstallerOptions,
  log: (line: string) => void,
): Promise<{ binary: string } | { reason: string }> {
  const found = findElectronBinary(root);
  if (found) return { binary: found };
  log(`Electron's binary is missing: running Electron's installer (up to ${options.timeoutMs / 1000} s; WORKSTATION_BROWSER=1 skips it)`);
  const result = await runElectronInstaller(root, options);
  if (!result.ok) return { reason: result.reason };
  const installed = findElectronBinary(root);
  return installed ? { binary: installed } : { reason: "its installer finished but no binary is under node_modules/electron/dist" };
}

async function main(argv: string[]): Promise<number> {
  const [action, root = repoRoot()] = argv;
  const log = (line: string): void => void process.stderr.write(`[workstation] ${line}\n`);
  if (action === "find") {
    const binary = findElectronBinary(root);
    if (binary) process.stdout.write(`${binary}\n`);
    return binary ? 0 : 1;
  }
  if (action === "ensure") {
    const result = await ensureElectronBinary(root, installerOptionsFromEnv(root, process.env, log), log);
    if ("binary" in result) {
      process.stdout.write(`${result.binary}\n`);
      return 0;
    }
    log(`Electron could not be installed: ${result.reason}. The UI opens in browser mode.`);
    return 1;
  }
  log(`usage: node core/cli/electron-binary.ts find|ensure [ROOT] (got "${action ?? ""}")`);
  return 2;
}

// Only when Node runs this very file: bundled into out/core/cli.js, import.meta.main is the CLI's.
const runDirectly = import.meta.main && path.basename(fileURLToPath(import.meta.url)) === "electron-binary.ts";
if (runDirectly) process.exitCode = await main(process.argv.slice(2));
