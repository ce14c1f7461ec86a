/**
 * Where the data directory is: `--data-dir`, then `WORKSTATION_DATA_DIR`, then the OS's app-data
 * location (XDG_DATA_HOME or ~/.local/share on Linux, Application Support on macOS, APPDATA on
 * Windows).
 */
import os from "node:os";
import path from "node:path";

/** Inputs of {@link resolveDataDir}; injected so tests need not touch the real environment. */
export interface DataDirInputs {
  flag?: string | undefined;
  env?: NodeJS.ProcessEnv;
  platform?: NodeJS.Platform;
  home?: string;
}

/** The application's folder name inside OS app-data locations. */
export const APP_DIR_NAME = "workstation";

/** Resolves the data directory to an absolute path. */
export function resolveDataDir(inputs: DataDirInputs = {}): string {
  const env = inputs.env ?? process.env;
  if (inputs.flag) return path.resolve(inputs.flag);
  if (env.WORKSTATION_DATA_DIR) return path.resolve(env.WORKSTATION_DATA_DIR);
  const platform = inputs.platform ?? process.platform;
  const home = inputs.home ?? os.homedir();
  if (platform === "darwin") return path.join(home, "Library", "Application Support", "Workstation");
  if (platform === "win32") return path.join(env.APPDATA ?? path.join(home, "AppData", "Roaming"), "Workstation");
  const xdg = env.XDG_DATA_HOME && path.isAbsolute(env.XDG_DATA_HOME) ? env.XDG_DATA_HOME : path.join(home, ".local", "share");
  return path.join(xdg, APP_DIR_NAME);
}
