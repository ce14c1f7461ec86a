/**
 * Starts core as a child process on the bundled Node runtime, waits for its ready line (the URL on
 * stdout), restarts it with the same port and token if it dies, and stops it on quit. A restart
 * keeps URL and token, so open windows reconnect by themselves.
 */
import { spawn, type ChildProcess } from "node:child_process";
import crypto from "node:crypto";
import { EventEmitter } from "node:events";
import readline from "node:readline";
import type { CoreLaunch } from "./paths.ts";

/** Events: `ready` (url), `died` (code, signal), `restarted` (url). */
export class CoreSupervisor extends EventEmitter {
  private child: ChildProcess | null = null;
  private port = 0;
  private readonly token = crypto.randomBytes(32).toString("hex");
  private readonly sessionId = crypto.randomUUID();
  private quitting = false;
  private restarts = 0;
  private readonly launch: CoreLaunch;
  private readonly dataDir: string | undefined;
  url = "";

  constructor(launch: CoreLaunch, dataDir?: string) {
    super();
    this.launch = launch;
    this.dataDir = dataDir;
  }

  /** The per-launch token (also inside {@link url}). */
  get coreToken(): string {
    return this.token;
  }

  /** Starts core and resolves with its URL once it listens. */
  start(): Promise<string> {
    const args = ["--no-node-snapshot", this.launch.entry, "serve", "--port", String(this.port)];
    if (this.dataDir) args.push("--data-dir", this.dataDir);
    const child = spawn(this.launch.node, args, {
      stdio: ["ignore", "pipe", "inherit"],
      env: { ...process.env, WORKSTATION_TOKEN: this.token, WORKSTATION_SESSION_ID: this.sessionId },
    });
    this.child = child;
    const ready = new Promise<string>((resolve, reject) => {
      const lines = readline.createInterface({ input: child.stdout! });
      lines.once("line", (line) => resolve(line.trim()));
      child.once("exit", (code) => reject(new Error(`core exited before it was ready (code ${code})`)));
    });
    child.once("exit", (code, signal) => this.onExit(child, code, signal));
    return ready.then((url) => {
      this.url = url;
      this.port = Number(new URL(url).port);
      this.emit("ready", url);
      return url;
    });
  }

  /** Stops core (SIGTERM, then SIGKILL after a grace period). */
  async stop(graceMs = 5000): Promise<void> {
    this.quitting = true;
    const child = this.child;
    if (!child || child.exitCode !== null) return;
    const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
    child.kill("SIGTERM");
    const timer = setTimeout(() => child.kill("SIGKILL"), graceMs);
    await exited;
    clearTimeout(timer);
  }

  private onExit(child: ChildProcess, code: number | null, signal: NodeJS.Signals | null): void {
    if (child !== this.child || this.quitting) return;
    this.emit("died", code, signal);
    this.restarts++;
    const delay = Math.min(250 * 2 ** Math.min(this.restarts, 5), 5000);
    setTimeout(() => {
      this.start().then(
        (url) => this.emit("restarted", url),
        () => undefined,
      );
    }, delay);
  }
}
