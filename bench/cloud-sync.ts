/**
 * Cloud sync benchmark (`npm run bench:cloud`): figures, not a test. A real cloud service process
 * (SQLite) on loopback; desktop A saves 1,000 strategies × 10 versions and 10,000 settings records
 * and pushes them; desktop B, fresh, pulls everything. Prints the time and bytes on the wire of
 * each side (HTTP bodies; headers not counted).
 */
import { spawn } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import type { WireCounter } from "../core/cloud/http.ts";
import { CloudSession, login, signup, type CloudDeps } from "../core/cloud/session.ts";
import { syncOnce } from "../core/cloud/sync.ts";
import { openAppDb, type AppDb } from "../core/store/app-db.ts";
import { saveStrategyVersion } from "../core/strategy/library.ts";

const STRATEGIES = Number(process.env.BENCH_STRATEGIES ?? 1000);
const VERSIONS = 10;
const SETTINGS = Number(process.env.BENCH_SETTINGS ?? 10_000);
const PASSWORD = "bench-password-not-common-1";
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "bench-cloud-"));

async function startService(): Promise<{ url: string; stop: () => void }> {
  const child = spawn(process.execPath, [path.join(import.meta.dirname, "..", "cloud", "main.ts"), "--port", "0", "--data-dir", path.join(tmp, "service")], { stdio: ["ignore", "pipe", "ignore"] });
  const url = await new Promise<string>((resolve) => child.stdout.once("data", (d: Buffer) => resolve(d.toString().split("\n")[0]!)));
  return { url, stop: () => child.kill("SIGTERM") };
}

function deps(app: AppDb, counter: WireCounter): CloudDeps {
  return { db: app.db, env: {}, password: async () => PASSWORD, keychain: null, counter };
}

function fill(app: AppDb): void {
  const body = "// a strategy of about a kilobyte\n" + "export function onBar(ctx) { return ctx.close > ctx.open ? 'buy' : 'sell'; }\n".repeat(12);
  app.db.transaction(() => {
    for (let s = 0; s < STRATEGIES; s++) for (let v = 0; v < VERSIONS; v++) saveStrategyVersion(app.db, `strategy-${s}`, `${body}// v${v}\n`, null, 1_700_000_000_000 + s * 100 + v);
    for (let i = 0; i < SETTINGS; i++) app.setSetting(`bench.setting.${i}`, { value: i, label: `setting number ${i}` });
  })();
}

const mb = (n: number): string => `${(n / 1024 / 1024).toFixed(1)} MB`;

const service = await startService();
try {
  const a = openAppDb(path.join(tmp, "a"));
  const b = openAppDb(path.join(tmp, "b"));
  const wireA: WireCounter = { sent: 0, received: 0 };
  const wireB: WireCounter = { sent: 0, received: 0 };
  await signup(deps(a, wireA), service.url, "bench@example.org");
  await login(deps(b, wireB), service.url, "bench@example.org");
  fill(a);
  let t = performance.now();
  const pushed = await syncOnce(a.db, await CloudSession.open(deps(a, wireA)));
  const pushMs = performance.now() - t;
  t = performance.now();
  const pulled = await syncOnce(b.db, await CloudSession.open(deps(b, wireB)));
  const pullMs = performance.now() - t;
  console.log(`records: ${STRATEGIES} strategies × ${VERSIONS} versions + ${SETTINGS} settings`);
  console.log(`push from A: ${pushed.pushed} records in ${(pushMs / 1000).toFixed(2)} s; sent ${mb(wireA.sent)}, received ${mb(wireA.received)}`);
  console.log(`pull to fresh B: ${pulled.pulled} records in ${(pullMs / 1000).toFixed(2)} s; sent ${mb(wireB.sent)}, received ${mb(wireB.received)}`);
  a.close();
  b.close();
} finally {
  service.stop();
  fs.rmSync(tmp, { recursive: true, force: true });
}
