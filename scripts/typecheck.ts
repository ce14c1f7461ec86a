/** Type-checks every layer with its own tsconfig (DOM types only in renderer, node types only outside it). */
import { spawnSync } from "node:child_process";

const projects = ["common", "core", "worker", "main", "preload", "renderer", "cloud", "tsconfig.tools.json"];
let failed = 0;
for (const project of projects) {
  const result = spawnSync(process.execPath, ["node_modules/typescript/bin/tsc", "-p", project, "--noEmit"], { stdio: "inherit" });
  if (result.status !== 0) {
    failed++;
    process.stderr.write(`typecheck failed: ${project}\n`);
  }
}
process.exitCode = failed === 0 ? 0 : 1;
