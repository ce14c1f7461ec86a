/** Finds the strategy host entry: the TypeScript source in a checkout, the bundle in a package. */
import fs from "node:fs";
import { fileURLToPath } from "node:url";

/** Absolute path of the worker entry script. */
export function defaultWorkerEntry(): string {
  const candidates = [
    new URL("../../worker/host.ts", import.meta.url),
    new URL("../worker/host.js", import.meta.url),
    new URL("./worker/host.js", import.meta.url),
  ];
  for (const candidate of candidates) {
    const file = fileURLToPath(candidate);
    if (fs.existsSync(file)) return file;
  }
  throw new Error("strategy host entry not found (worker/host.ts or worker/host.js)");
}

/** Node flags every worker runs with: isolated-vm needs `--no-node-snapshot`. */
export const WORKER_EXEC_ARGV = ["--no-node-snapshot"];
