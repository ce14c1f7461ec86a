/**
 * The cloud account service process: `node cloud/main.ts [--port N] [--host H] [--data-dir DIR]
 * [--database postgres://…] [--trust-proxy]`, started by `workstation cloud serve`. Prints its base
 * URL as the first line on stdout (the real port when --port is 0); logs go to stderr. Stops
 * cleanly on SIGINT/SIGTERM.
 */
import path from "node:path";
import { parseArgs } from "node:util";
import type { RateLimits } from "./context.ts";
import { buildServer } from "./server.ts";
import { openPostgresStorage } from "./storage/postgres.ts";
import { openSqliteStorage } from "./storage/sqlite.ts";
import type { CloudStorage } from "./storage/storage.ts";

/** Parsed service options. */
export interface ServiceOptions {
  port: number;
  host: string;
  dataDir: string;
  database: string | null;
  trustProxy: boolean;
}

/** Parses the service's argv; throws an Error with a one-line message on bad input. */
export function parseServiceArgs(argv: string[]): ServiceOptions {
  const { values } = parseArgs({
    args: argv,
    options: { port: { type: "string" }, host: { type: "string" }, "data-dir": { type: "string" }, database: { type: "string" }, "trust-proxy": { type: "boolean" } },
    strict: true,
  });
  const port = values.port === undefined ? 8787 : Number(values.port);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new Error("--port must be an integer between 0 and 65535");
  const database = values.database ?? null;
  if (database !== null && !/^postgres(ql)?:\/\//.test(database)) throw new Error("--database must be a postgres:// URL");
  return { port, host: values.host ?? "127.0.0.1", dataDir: path.resolve(values["data-dir"] ?? "cloud-data"), database, trustProxy: values["trust-proxy"] === true };
}

/** Login attempts per minute per (address, account) from WORKSTATION_CLOUD_LOGIN_LIMIT, when set. */
export function limitsFromEnv(env: NodeJS.ProcessEnv): Partial<RateLimits> {
  const raw = env.WORKSTATION_CLOUD_LOGIN_LIMIT;
  if (raw === undefined) return {};
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 1 || n > 10_000) throw new Error("WORKSTATION_CLOUD_LOGIN_LIMIT must be an integer between 1 and 10000");
  return { loginPerIpAndAccount: n };
}

async function openStorage(o: ServiceOptions): Promise<CloudStorage> {
  return o.database ? openPostgresStorage(o.database) : openSqliteStorage(o.dataDir);
}

async function main(): Promise<void> {
  process.umask(0o077);
  const options = parseServiceArgs(process.argv.slice(2));
  const storage = await openStorage(options);
  const app = await buildServer({ storage, log: true, trustProxy: options.trustProxy, limits: limitsFromEnv(process.env) });
  await app.listen({ port: options.port, host: options.host });
  const address = app.server.address();
  const port = typeof address === "object" && address ? address.port : options.port;
  const host = options.host.includes(":") ? `[${options.host}]` : options.host;
  process.stdout.write(`http://${host}:${port}\n`);
  const stop = async (): Promise<void> => {
    await app.close();
    await storage.close();
  };
  process.once("SIGINT", () => void stop());
  process.once("SIGTERM", () => void stop());
}

if (import.meta.main) {
  main().catch((err: unknown) => {
    process.stderr.write(`workstation cloud: ${err instanceof Error ? err.message.split("\n")[0] : String(err)}\n`);
    process.exitCode = 1;
  });
}
