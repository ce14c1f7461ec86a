/**
 * Finds Electron's installed binary on disk without loading the `electron` package (which prints
 * to stdout and tries to download when the binary is missing).
 */
import fs from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";

/** The repository (or package) root that holds package.json and node_modules. */
export function repoRoot(): string {
  return fileURLToPath(new URL("../../", import.meta.url));
}

/** Absolute path of a runnable Electron binary, or null when there is none. */
export function findElectronBinary(root: string = repoRoot()): string | null {
  const dir = path.join(root, "node_modules", "electron");
  let rel: string;
  try {
    rel = fs.readFileSync(path.join(dir, "path.txt"), "utf8").trim();
  } catch {
    return null;
  }
  const binary = path.join(dir, "dist", rel);
  try {
    fs.accessSync(binary, fs.constants.X_OK);
    return binary;
  } catch {
    return null;
  }
}
