/** Where the bundled Node runtime and core live: in the package's resources, or in the checkout. */
import fs from "node:fs";
import path from "node:path";
import { app } from "electron";

/** The Node binary core runs on and the core entry script. */
export interface CoreLaunch {
  node: string;
  entry: string;
}

/** Resolves the runtime and core entry for a packaged app or a development checkout. */
export function coreLaunch(): CoreLaunch {
  if (app.isPackaged) {
    const exe = process.platform === "win32" ? "node.exe" : "node";
    return { node: path.join(process.resourcesPath, "runtime", exe), entry: path.join(process.resourcesPath, "core", "cli.js") };
  }
  const root = app.getAppPath();
  const node = path.join(root, ".runtime", "node_modules", "node", "bin", "node");
  const bundled = path.join(root, "out", "core", "cli.js");
  const source = path.join(root, "core", "cli", "main.ts");
  return { node, entry: fs.existsSync(source) ? source : bundled };
}
