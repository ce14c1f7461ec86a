/**
 * The machine's floor for one core ↔ worker hop: a round trip over Node's IPC channel to a bare
 * child process (no project code: it only sends each message back), asked at most once per
 * `gapMs` so the child sleeps in between, as a strategy host does between bars. Started beside a
 * benchmark's own load, it shows what no code of ours can go under on this machine.
 */
import { spawn, type ChildProcess } from "node:child_process";

/** A bare echo child pinged now and then; `samples` are round trips in ms. */
export class BareEcho {
  readonly samples: number[] = [];
  private readonly child: ChildProcess;
  private readonly gapMs: number;
  private sentAt: number | null = null;
  private lastSent = -Infinity;
  private ready = false;

  constructor(gapMs: number) {
    this.gapMs = gapMs;
    this.child = spawn(process.execPath, ["-e", 'process.on("message", (m) => process.send(m)); process.send("ready")'], { stdio: ["ignore", "ignore", "inherit", "ipc"] });
    this.child.on("message", (msg) => {
      if (msg === "ready") this.ready = true;
      else if (this.sentAt !== null) this.samples.push(performance.now() - this.sentAt);
      this.sentAt = null;
    });
  }

  /** Sends one echo unless one is in flight or the last left less than the gap ago. */
  maybePing(): void {
    const now = performance.now();
    if (!this.ready || this.sentAt !== null || now - this.lastSent < this.gapMs) return;
    this.lastSent = now;
    this.sentAt = now;
    this.child.send(0);
  }

  /** Ends the child. */
  stop(): void {
    this.child.kill();
  }
}
