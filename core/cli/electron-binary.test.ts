/**
 * Electron's binary lookup on the three platform layouts, directly and through scripts/start.sh,
 * and start.sh's installer step with fake installers (fails, writes the layout, hangs): nothing
 * here reaches the network.
 */
import { spawnSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { build } from "esbuild";
import { afterAll, describe, expect, it } from "vitest";
import { PLATFORM_BINARY, findElectronBinary, installerOptionsFromEnv, repoRoot } from "./electron-binary.ts";

const START_SH = path.join(repoRoot(), "scripts", "start.sh");
const temp = fs.mkdtempSync(path.join(os.tmpdir(), "ws-electron-binary-"));
let count = 0;

afterAll(() => fs.rmSync(temp, { recursive: true, force: true }));

const LAYOUTS = [
  ["linux", "electron"],
  ["darwin", "Electron.app/Contents/MacOS/Electron"],
  ["win32", "electron.exe"],
] as const;

/** A fresh root; with `rel`, Electron's dist holds that executable (and path.txt names it when asked). */
function fakeRoot(rel?: string, pathTxt = true): string {
  const root = path.join(temp, `root-${++count}`);
  const dir = path.join(root, "node_modules", "electron");
  fs.mkdirSync(dir, { recursive: true });
  if (rel) {
    const binary = path.join(dir, "dist", rel);
    fs.mkdirSync(path.dirname(binary), { recursive: true });
    fs.writeFileSync(binary, "#!/bin/sh\n", { mode: 0o755 });
    if (pathTxt) fs.writeFileSync(path.join(dir, "path.txt"), rel);
  }
  return root;
}

/** A fake installer script (run by Node from the root); it refuses to run outside this test's temp dir. */
function installer(name: string, body: string): string {
  const file = path.join(temp, `${name}.mjs`);
  const guard = `if (!process.cwd().startsWith(${JSON.stringify(temp)})) { console.error("fake installer outside the test's temp dir"); process.exit(99); }`;
  fs.writeFileSync(file, `import fs from "node:fs";\n${guard}\n${body}\n`);
  return file;
}

const failing = installer("failing", `console.log("installer progress"); console.error("Error: network unreachable"); process.exit(1);`);
const writing = installer(
  "writing",
  `console.log("installer progress");
fs.mkdirSync("node_modules/electron/dist", { recursive: true });
fs.writeFileSync("node_modules/electron/dist/${PLATFORM_BINARY[process.platform]}", "#!/bin/sh\\n", { mode: 0o755 });
fs.writeFileSync("node_modules/electron/path.txt", "${PLATFORM_BINARY[process.platform]}");`,
);
const hanging = installer("hanging", `setInterval(() => undefined, 1000);`);
const marking = installer("marking", `fs.writeFileSync("installer-ran", "yes"); process.exit(1);`);

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Sources start.sh and runs its lookup (ws_desktop_binary) on `root`. */
function startLookup(root: string, env: Record<string, string>): Run {
  const result = spawnSync("bash", ["-c", 'source "$1" && ws_desktop_binary "$2"', "start-lookup", START_SH, root], {
    encoding: "utf8",
    env: { ...process.env, WS_SKIP_DEPS: "1", WORKSTATION_BROWSER: "", WORKSTATION_ELECTRON_INSTALLER: marking, ...env },
    timeout: 30_000,
  });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

describe("findElectronBinary", () => {
  it.each(LAYOUTS)("finds the %s layout without path.txt", (platform, rel) => {
    const root = fakeRoot(rel, false);
    expect(findElectronBinary(root, platform)).toBe(path.join(root, "node_modules", "electron", "dist", rel));
  });

  it("prefers path.txt over the platform's layout", () => {
    const root = fakeRoot("Electron.app/Contents/MacOS/Electron");
    expect(findElectronBinary(root, "linux")).toBe(path.join(root, "node_modules", "electron", "dist", "Electron.app/Contents/MacOS/Electron"));
  });

  it("falls back to the platform's layout when path.txt names a missing file", () => {
    const root = fakeRoot("electron", false);
    fs.writeFileSync(path.join(root, "node_modules", "electron", "path.txt"), "gone/electron");
    expect(findElectronBinary(root, "linux")).toBe(path.join(root, "node_modules", "electron", "dist", "electron"));
  });

  it("finds nothing without dist, in a folder where the binary should be, or in a non-executable file", () => {
    expect(findElectronBinary(fakeRoot(), "linux")).toBeNull();
    const folder = fakeRoot();
    fs.mkdirSync(path.join(folder, "node_modules", "electron", "dist", "electron"), { recursive: true });
    expect(findElectronBinary(folder, "linux")).toBeNull();
    if (process.platform !== "win32") {
      const plain = fakeRoot("electron");
      fs.chmodSync(path.join(plain, "node_modules", "electron", "dist", "electron"), 0o644);
      expect(findElectronBinary(plain, "linux")).toBeNull();
    }
  });
});

describe("installerOptionsFromEnv", () => {
  it("defaults to Electron's install.js and 300 s; a bad time limit gets one line and the default", () => {
    const warnings: string[] = [];
    const options = installerOptionsFromEnv("/r", { WORKSTATION_ELECTRON_INSTALL_TIMEOUT: "soon" }, (line) => warnings.push(line));
    expect(options).toEqual({ script: path.resolve("/r/node_modules/electron/install.js"), timeoutMs: 300_000 });
    expect(warnings).toEqual(['WORKSTATION_ELECTRON_INSTALL_TIMEOUT must be a positive number of seconds (got "soon"); using 300']);
    expect(installerOptionsFromEnv("/r", { WORKSTATION_ELECTRON_INSTALL_TIMEOUT: "2.5", WORKSTATION_ELECTRON_INSTALLER: "x.js" }, () => undefined)).toEqual({
      script: path.resolve("/r/x.js"),
      timeoutMs: 2500,
    });
  });
});

describe("start.sh's Electron lookup", () => {
  it.each(LAYOUTS)("finds the %s layout (as Electron's installer leaves it) and runs no installer", (_platform, rel) => {
    const root = fakeRoot(rel);
    const run = startLookup(root, {});
    expect(run.stderr).toBe("");
    expect(run.code).toBe(0);
    expect(run.stdout).toBe(`${path.join(root, "node_modules", "electron", "dist", rel)}\n`);
    expect(fs.existsSync(path.join(root, "installer-ran"))).toBe(false);
  });

  it("finds this platform's layout when path.txt is absent", () => {
    const rel = PLATFORM_BINARY[process.platform]!;
    const root = fakeRoot(rel, false);
    expect(startLookup(root, {}).stdout).toBe(`${path.join(root, "node_modules", "electron", "dist", rel)}\n`);
  });

  it("runs the installer when the binary is missing and prints what it installed; its output goes to stderr", () => {
    const root = fakeRoot();
    const run = startLookup(root, { WORKSTATION_ELECTRON_INSTALLER: writing });
    expect(run.code).toBe(0);
    expect(run.stdout).toBe(`${path.join(root, "node_modules", "electron", "dist", PLATFORM_BINARY[process.platform]!)}\n`);
    expect(run.stderr).toContain("installer progress");
    expect(run.stderr).toContain("[workstation] Electron's binary is missing: running Electron's installer (up to 300 s");
  });

  it("says in one line why when the installer fails, and prints no binary", () => {
    const run = startLookup(fakeRoot(), { WORKSTATION_ELECTRON_INSTALLER: failing });
    expect(run.code).toBe(1);
    expect(run.stdout).toBe("");
    expect(run.stderr).toContain("installer progress");
    const ours = run.stderr.split("\n").filter((line) => line.includes("could not be installed"));
    expect(ours).toEqual(["[workstation] Electron could not be installed: its installer failed (exit code 1; its error is above). The UI opens in browser mode."]);
  });

  it("stops an installer that outlives the time limit", () => {
    const started = Date.now();
    const run = startLookup(fakeRoot(), { WORKSTATION_ELECTRON_INSTALLER: hanging, WORKSTATION_ELECTRON_INSTALL_TIMEOUT: "0.5" });
    expect(run.code).toBe(1);
    expect(run.stderr).toContain("its installer did not finish within 0.5 s (WORKSTATION_ELECTRON_INSTALL_TIMEOUT). The UI opens in browser mode.");
    expect(Date.now() - started).toBeLessThan(15_000);
  });

  it("says why when the installer script is missing", () => {
    const run = startLookup(fakeRoot(), { WORKSTATION_ELECTRON_INSTALLER: path.join(temp, "nope.js") });
    expect(run.code).toBe(1);
    expect(run.stderr).toContain(`Electron could not be installed: its installer ${path.join(temp, "nope.js")} is missing.`);
  });

  it("keeps browser mode when WORKSTATION_BROWSER is set, without looking or installing", () => {
    const root = fakeRoot();
    const run = startLookup(root, { WORKSTATION_BROWSER: "1" });
    expect(run.code).toBe(1);
    expect(run.stdout).toBe("");
    expect(run.stderr).toBe("[workstation] WORKSTATION_BROWSER is set, so the UI opens in browser mode.\n");
    expect(fs.existsSync(path.join(root, "installer-ran"))).toBe(false);
  });
});

describe("bundled into the CLI", () => {
  it("does not run its shell entry point (the bundle's import.meta.main is the CLI's)", async () => {
    const entry = path.join(temp, "bundle-entry.ts");
    const outfile = path.join(temp, "bundle.mjs");
    fs.writeFileSync(entry, `import { findElectronBinary } from ${JSON.stringify(path.join(repoRoot(), "core", "cli", "electron-binary.ts"))};\nconsole.log(typeof findElectronBinary);\n`);
    await build({ entryPoints: [entry], outfile, bundle: true, platform: "node", format: "esm", logLevel: "silent" });
    const run = spawnSync(process.execPath, [outfile, "serve", "--port", "0"], { encoding: "utf8" });
    expect({ code: run.status, stdout: run.stdout, stderr: run.stderr }).toEqual({ code: 0, stdout: "function\n", stderr: "" });
  });
});
