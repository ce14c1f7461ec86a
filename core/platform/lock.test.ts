import { spawn, type ChildProcess } from "node:child_process";
import fs from "node:fs";
import net from "node:net";
import os from "node:os";
import path from "node:path";
import readline from "node:readline";
import { afterEach, describe, expect, it } from "vitest";
import { acquireLock, findLiveLock, isLockLive, lockPath, removeLock, type CoreLock } from "./lock.ts";

const children: ChildProcess[] = [];
const dirs: string[] = [];

afterEach(() => {
  for (const child of children.splice(0)) child.kill("SIGKILL");
  for (const dir of dirs.splice(0)) fs.rmSync(dir, { recursive: true, force: true });
});

function tempDir(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "ws-lock-"));
  dirs.push(dir);
  return dir;
}

/** A port nothing listens on (bound, then released). */
async function deadPort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", () => resolve()));
  const port = (server.address() as net.AddressInfo).port;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

/** A live process that is not a core. */
function unrelatedProcess(): number {
  const child = spawn("sleep", ["60"], { stdio: "ignore" });
  children.push(child);
  return child.pid!;
}

function claim(instanceId: string, over: Partial<CoreLock> = {}): CoreLock {
  return { pid: process.pid, port: 0, token: "", url: "", instanceId, startedAt: Date.now(), ...over };
}

/** Starts a lock-child and resolves with it and its next stdout line once it is ready. */
async function lockChild(dataDir: string): Promise<{ child: ChildProcess; next: () => Promise<string> }> {
  const child = spawn(process.execPath, ["--no-node-snapshot", path.join(import.meta.dirname, "fixtures/lock-child.ts"), dataDir], { stdio: ["pipe", "pipe", "inherit"] });
  children.push(child);
  const queue: string[] = [];
  const waiters: ((line: string) => void)[] = [];
  readline.createInterface({ input: child.stdout! }).on("line", (line) => {
    const waiter = waiters.shift();
    if (waiter) waiter(line);
    else queue.push(line);
  });
  const next = (): Promise<string> => (queue.length > 0 ? Promise.resolve(queue.shift()!) : new Promise((resolve) => waiters.push(resolve)));
  expect(await next()).toBe("ready");
  return { child, next };
}

describe("core lock", () => {
  it("lets exactly one of four processes racing for a new data directory take it", async () => {
    const dataDir = tempDir();
    const racers = await Promise.all([1, 2, 3, 4].map(() => lockChild(dataDir)));
    for (const r of racers) r.child.stdin!.write("go\n");
    const outcomes = await Promise.all(racers.map((r) => r.next()));
    expect(outcomes.filter((o) => o === "won")).toHaveLength(1);
    expect(outcomes.filter((o) => o.startsWith("lost another core (pid "))).toHaveLength(3);
  }, 30_000);

  it("lets exactly one of two acquisitions in one process take a new data directory", async () => {
    const dataDir = tempDir();
    const results = await Promise.allSettled([acquireLock(dataDir, claim("a")), acquireLock(dataDir, claim("b"))]);
    expect(results.filter((r) => r.status === "fulfilled")).toHaveLength(1);
    expect(results.find((r) => r.status === "rejected")).toMatchObject({ reason: { message: expect.stringMatching(/another core \(pid \d+\) is starting/) } });
  });

  it("takes over a lock whose pid now belongs to an unrelated live process and whose port is dead", async () => {
    const dataDir = tempDir();
    const stale = claim("old", { pid: unrelatedProcess(), port: await deadPort(), token: "t", url: "u" });
    fs.writeFileSync(lockPath(dataDir), JSON.stringify(stale), { mode: 0o600 });
    expect(await isLockLive(stale)).toBe(false);
    expect(await findLiveLock(dataDir)).toBeNull();
    await acquireLock(dataDir, claim("new"));
    expect(JSON.parse(fs.readFileSync(lockPath(dataDir), "utf8"))).toMatchObject({ instanceId: "new", pid: process.pid });
  });

  it("takes over a lock of a dead process, and one left half-written", async () => {
    const dataDir = tempDir();
    const dead = spawn("true");
    await new Promise((resolve) => dead.once("exit", resolve));
    fs.writeFileSync(lockPath(dataDir), JSON.stringify(claim("old", { pid: dead.pid!, port: await deadPort() })));
    await acquireLock(dataDir, claim("a"));
    removeLock(dataDir, "a");
    expect(fs.existsSync(lockPath(dataDir))).toBe(false);
    fs.writeFileSync(lockPath(dataDir), "{\"pid\":");
    await acquireLock(dataDir, claim("b"));
    expect(JSON.parse(fs.readFileSync(lockPath(dataDir), "utf8"))).toMatchObject({ instanceId: "b" });
  });

  it("treats a starting claim (port 0) of a live process as live only within its grace period", async () => {
    const starting = claim("s", { pid: unrelatedProcess() });
    expect(await isLockLive(starting)).toBe(true);
    expect(await isLockLive(starting, starting.startedAt + 60_000)).toBe(false);
  });

  it("leaves another instance's lock in place on removeLock", () => {
    const dataDir = tempDir();
    fs.writeFileSync(lockPath(dataDir), JSON.stringify(claim("theirs")));
    removeLock(dataDir, "mine");
    expect(fs.existsSync(lockPath(dataDir))).toBe(true);
  });
});
