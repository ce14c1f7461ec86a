/**
 * Bundles core (the CLI) and the strategy host for Node with esbuild into out/core and out/worker,
 * for the desktop package. npm packages stay external (they ship with the app's node_modules).
 */
import { build } from "esbuild";

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
await build({ ...common, entryPoints: ["worker/host.ts"], outfile: "out/worker/host.js" });
process.stderr.write("bundled out/core/cli.js and out/worker/host.js\n");
