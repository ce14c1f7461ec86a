/**
 * Writes a feed's raw received items to a file in the recording format of the protocol layer —
 * `{"t":<ms>,"frame":"<text>"}` and `{"t":<ms>,"rest":{"path","body"}}`, one per line — which
 * `workstation replay` reads back. The recorder never drops: lines are appended to a memory queue
 * written as fast as the disk takes them (respecting the stream's backpressure); a queue above
 * `alarmBytes` sets `backpressured` so core can report it, but nothing is discarded.
 */
import fs from "node:fs";
import type { RawItem } from "./bus.ts";

/** Counters of a recorder. */
export interface RecorderStats {
  lines: number;
  bytesQueued: number;
  backpressured: boolean;
}

/** Appends recording lines to a file. */
export class FileRecorder {
  readonly stats: RecorderStats = { lines: 0, bytesQueued: 0, backpressured: false };
  private queue: string[] = [];
  private waitingDrain = false;
  private scheduled = false;
  private readonly stream: fs.WriteStream;
  private readonly alarmBytes: number;

  constructor(path: string, options: { alarmBytes?: number; stream?: fs.WriteStream } = {}) {
    this.stream = options.stream ?? fs.createWriteStream(path, { flags: "a", mode: 0o600 });
    this.alarmBytes = options.alarmBytes ?? 64 << 20;
  }

  /** Queues one item. */
  write(item: RawItem): void {
    const line = "frame" in item ? `{"t":${item.t},"frame":${JSON.stringify(item.frame)}}\n` : `${JSON.stringify(item)}\n`;
    this.queue.push(line);
    this.stats.lines++;
    this.stats.bytesQueued += line.length;
    if (this.stats.bytesQueued > this.alarmBytes) this.stats.backpressured = true;
    if (!this.scheduled && !this.waitingDrain) {
      this.scheduled = true;
      setImmediate(() => this.pump());
    }
  }

  /** Writes everything queued and closes the file. */
  async close(): Promise<void> {
    await new Promise<void>((resolve) => {
      const finish = () => {
        if (this.queue.length > 0) this.stream.write(this.queue.join(""));
        this.queue = [];
        this.stream.end(() => resolve());
      };
      if (this.waitingDrain) this.stream.once("drain", finish);
      else finish();
    });
  }

  private pump(): void {
    this.scheduled = false;
    if (this.queue.length === 0 || this.waitingDrain || this.stream.destroyed) return;
    const chunk = this.queue.join("");
    this.queue = [];
    this.stats.bytesQueued = 0;
    this.stats.backpressured = false;
    if (!this.stream.write(chunk)) {
      this.waitingDrain = true;
      this.stream.once("drain", () => {
        this.waitingDrain = false;
        this.pump();
      });
    }
  }
}
