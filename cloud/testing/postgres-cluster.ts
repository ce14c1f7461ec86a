/**
 * For tests: a throwaway PostgreSQL cluster from the system's `initdb`/`pg_ctl`
 * (`/usr/lib/postgresql/<version>/bin`, Debian's `postgresql` package) in a temp dir, on a free
 * loopback port, trust auth, stopped and removed afterwards. As root the server runs as the
 * `postgres` user (PostgreSQL refuses root). {@link findPostgresBin} says whether it can run here;
 * tests skip without it, except in CI (`CI=true`) where a missing PostgreSQL is a failure.
 */
import { execFileSync } from "node:child_process";
import fs from "node:fs";
import net from "node:net";
import os from "node:os";
import path from "node:path";

/** The newest installed PostgreSQL bin folder with initdb, or null. */
export function findPostgresBin(): string | null {
  const root = "/usr/lib/postgresql";
  if (!fs.existsSync(root)) return null;
  const versions = fs.readdirSync(root).filter((v) => fs.existsSync(path.join(root, v, "bin", "initdb"))).sort((a, b) => Number(b) - Number(a));
  return versions[0] ? path.join(root, versions[0], "bin") : null;
}

/** A free loopback TCP port. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.once("error", reject);
    srv.listen(0, "127.0.0.1", () => {
      const port = (srv.address() as net.AddressInfo).port;
      srv.close(() => resolve(port));
    });
  });
}

/** A running cluster. */
export interface PostgresCluster {
  url: string;
  stop(): void;
}

/** Starts a cluster; throws when PostgreSQL is not installed. */
export async function startPostgres(): Promise<PostgresCluster> {
  const bin = findPostgresBin();
  if (!bin) throw new Error("PostgreSQL is not installed (apt-get install postgresql)");
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "cloud-pg-"));
  fs.chmodSync(dir, 0o755);
  const data = path.join(dir, "data");
  const asRoot = process.getuid?.() === 0;
  if (asRoot) execFileSync("chown", ["postgres:postgres", dir]);
  const run = (cmd: string, args: string[]): void => {
    const [file, argv] = asRoot ? ["runuser", ["-u", "postgres", "--", path.join(bin, cmd), ...args]] : [path.join(bin, cmd), args];
    execFileSync(file, argv, { stdio: ["ignore", "ignore", "pipe"] });
  };
  const port = await freePort();
  run("initdb", ["-D", data, "-A", "trust", "-U", "cloud", "--no-sync", "-E", "UTF8"]);
  run("pg_ctl", ["-D", data, "-w", "-l", path.join(dir, "log"), "-o", `-k ${dir} -h 127.0.0.1 -p ${port} -F`, "start"]);
  return {
    url: `postgres://cloud@127.0.0.1:${port}/postgres`,
    stop: () => {
      try {
        run("pg_ctl", ["-D", data, "-w", "-m", "immediate", "stop"]);
      } finally {
        fs.rmSync(dir, { recursive: true, force: true });
      }
    },
  };
}
