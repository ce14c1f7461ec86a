/**
 * Bundles core (the CLI) and the strategy host for Node with esbuild into out/core and out/worker,
 * for the desktop package, plus the strategy engine script the sandbox evaluates. npm packages stay
 * external (they ship with the app's node_modules).
 */
import fs from "node:fs";
import { build } from "esbuild";
import { ENGINE_BUILD_OPTIONS, ENGINE_ENTRY } from "../worker/strategy/engine-script.ts";

const common = {
  bundle: true,
  platform: "node",
  format: "esm",
  target: "node24",
  packages: "external",
  sourcemap: true,
  logLevel: "warning",
} as const;

await build({ ...common, entryPoints: ["core/cli/main.ts"], outfile: "out/core/cli.js" });
await build({ ...common, entryPoints: ["core/strategy/toolchain-worker.ts"], outfile: "out/core/toolchain-worker.js" });
await build({ ...common, entryPoints: ["worker/host.ts"], outfile: "out/worker/host.js" });
// The common-password list the account's password rule reads at run time (core/cloud/password-policy.ts).
for (const f of ["common-passwords.txt", "common-passwords.LICENSE"]) fs.copyFileSync(`core/cloud/${f}`, `out/core/${f}`);
await build({ ...ENGINE_BUILD_OPTIONS, entryPoints: [ENGINE_ENTRY], outfile: "out/worker/strategy-engine.js" });
process.stderr.write("bundled out/core/cli.js, out/worker/host.js and out/worker/strategy-engine.js\n");
