/**
 * `workstation cloud serve [--port N] [--host 127.0.0.1] [--data-dir DIR] [--database postgres://…]`:
 * runs the cloud account service (the `cloud/` layer, its own Node process) in the foreground. Its
 * first line on stdout is the base URL; SIGINT/SIGTERM are passed on and it exits with the service.
 */
import { spawn } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { intOption, UsageError, type CliCommand } from "./command.ts";

/** The service's entry file; it runs from a source checkout (the desktop package does not carry it). */
export function cloudEntry(): string {
  const entry = path.join(import.meta.dirname, "..", "..", "cloud", "main.ts");
  if (!fs.existsSync(entry)) throw new Error("the cloud service runs from a source checkout (cloud/main.ts), not from the desktop package");
  return entry;
}

function serviceArgs(values: Record<string, unknown>, dataDir: string): string[] {
  const args = ["--data-dir", dataDir];
  for (const name of ["port", "host", "database"]) {
    const v = values[name];
    if (typeof v === "string") args.push(`--${name}`, v);
  }
  if (values["trust-proxy"] === true) args.push("--trust-proxy");
  return args;
}

/** The cloud command. */
export const cloudCommand: CliCommand = {
  name: "cloud",
  usage: "serve [--port N] [--host 127.0.0.1] [--database postgres://…]",
  help: [
    "--port N           port to listen on, 0 = any free port (default 8787)",
    "--host H           address to bind (default 127.0.0.1; put a TLS reverse proxy in front)",
    "--database URL     keep accounts and records in PostgreSQL instead of <data-dir>/cloud.sqlite",
    "--trust-proxy      take client addresses from X-Forwarded-For (behind a reverse proxy)",
  ],
  options: { port: { type: "string" }, host: { type: "string" }, database: { type: "string" }, "trust-proxy": { type: "boolean" } },
  allowPositionals: true,
  async run(args) {
    if (args.positionals.length !== 1 || args.positionals[0] !== "serve") throw new UsageError("use: workstation cloud serve [options]");
    intOption(args.values, "port", 8787, 0, 65535);
    if (typeof args.values.database === "string" && !/^postgres(ql)?:\/\//.test(args.values.database)) throw new UsageError("--database must be a postgres:// URL");
    const child = spawn(process.execPath, [cloudEntry(), ...serviceArgs(args.values, args.dataDir)], { stdio: "inherit" });
    const forward = (signal: NodeJS.Signals) => () => child.kill(signal);
    const onInt = forward("SIGINT");
    const onTerm = forward("SIGTERM");
    process.on("SIGINT", onInt);
    process.on("SIGTERM", onTerm);
    try {
      return await new Promise<number>((resolve, reject) => {
        child.once("error", reject);
        child.once("exit", (code, signal) => resolve(code ?? (signal ? 0 : 1)));
      });
    } finally {
      process.off("SIGINT", onInt);
      process.off("SIGTERM", onTerm);
    }
  },
};
