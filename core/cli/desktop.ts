/**
 * `workstation desktop`: starts the Electron shell, which supervises its own core. Finds Electron's
 * binary the same way `npm start` does (electron-binary.ts); `npm start` also installs it.
 */
import { spawn } from "node:child_process";
import { findElectronBinary, repoRoot } from "./electron-binary.ts";
import type { CliCommand } from "./command.ts";

/** The desktop command. */
export const desktopCommand: CliCommand = {
  name: "desktop",
  usage: "",
  help: [],
  options: {},
  async run(args, io) {
    const binary = findElectronBinary();
    if (!binary) {
      io.err("Electron's binary is not installed (nothing runnable under node_modules/electron/dist); `npm start` installs it, or use `workstation serve --open` for browser mode");
      return 1;
    }
    const child = spawn(binary, [repoRoot()], {
      stdio: "inherit",
      env: { ...io.env, WORKSTATION_DATA_DIR: args.dataDir },
    });
    return new Promise<number>((resolve) => child.on("exit", (code) => resolve(code ?? 1)));
  },
};
