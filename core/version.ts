/** The workstation's version, read once from package.json at the repository or package root. */
import fs from "node:fs";

function readVersion(): string {
  for (const rel of ["../package.json", "../../package.json", "./package.json"]) {
    try {
      const pkg = JSON.parse(fs.readFileSync(new URL(rel, import.meta.url), "utf8")) as { name?: string; version?: string };
      if (pkg.name === "workstation" && pkg.version) return pkg.version;
    } catch {
      // Try the next candidate location.
    }
  }
  return "0.0.0";
}

/** The version string printed by `--version` and reported by `core.info`. */
export const VERSION: string = readVersion();
