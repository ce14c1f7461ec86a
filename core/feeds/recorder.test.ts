import { once } from "node:events";
import { Writable } from "node:stream";
import { describe, expect, it } from "vitest";
import { FileRecorder } from "./recorder.ts";

/** A disk that accepts nothing until `open()` is called. */
class StuckDisk extends Writable {
  readonly chunks: Buffer[] = [];
  private release: (() => void) | null = null;
  private gate: Promise<void> = new Promise((resolve) => (this.release = resolve));
  constructor() {
    super({ highWaterMark: 1024 });
  }
  open(): void {
    this.release?.();
  }
  override _write(chunk: Buffer, _enc: BufferEncoding, done: (err?: Error | null) => void): void {
    void this.gate.then(() => {
      this.chunks.push(Buffer.from(chunk));
      done();
    });
  }
}

describe("FileRecorder", () => {
  it("queues while the disk is stuck, raises backpressure, and loses nothing", async () => {
    const disk = new StuckDisk();
    const rec = new FileRecorder("", { stream: disk, alarmBytes: 100_000 });
    const frame = `{"channel":"book","data":"${"x".repeat(200)}","quote":"\\"q\\""}`;
    for (let i = 0; i < 5000; i++) rec.write({ t: i, frame });
    rec.write({ t: 5000, rest: { path: "/api/v3/depth?symbol=BTCUSDT", body: "{}" } });
    expect(rec.stats.backpressured).toBe(true);
    expect(rec.stats.bytesQueued).toBeGreaterThan(100_000);
    disk.open();
    const finished = once(disk, "finish");
    await rec.close();
    await finished;
    const lines = Buffer.concat(disk.chunks).toString().trim().split("\n").map((l) => JSON.parse(l) as { t: number; frame?: string });
    expect(lines).toHaveLength(5001);
    expect(lines.map((l) => l.t)).toEqual(Array.from({ length: 5001 }, (_, i) => i));
    expect(lines[42]!.frame).toBe(frame);
    expect(lines[5000]).toEqual({ t: 5000, rest: { path: "/api/v3/depth?symbol=BTCUSDT", body: "{}" } });
  });

  it("writes a line longer than its buffer", async () => {
    const disk = new StuckDisk();
    disk.open();
    const rec = new FileRecorder("", { stream: disk });
    const frame = "é".repeat(200_000);
    rec.write({ t: 1, frame });
    await rec.close();
    expect(JSON.parse(Buffer.concat(disk.chunks).toString())).toEqual({ t: 1, frame });
  });

  it("counts queued bytes until the disk has them, then clears the alarm", async () => {
    const disk = new StuckDisk();
    const rec = new FileRecorder("", { stream: disk, alarmBytes: 300_000 });
    const frame = `{"data":"${"y".repeat(300)}"}`;
    for (let i = 0; i < 2000; i++) rec.write({ t: i, frame });
    const lineBytes = (i: number) => Buffer.byteLength(`${JSON.stringify({ t: i, frame })}\n`);
    // Buffers handed to the stuck stream are still queued: nothing has reached the disk.
    expect(rec.stats.bytesQueued).toBe(Array.from({ length: 2000 }, (_, i) => lineBytes(i)).reduce((a, b) => a + b, 0));
    expect(rec.stats.backpressured).toBe(true);
    disk.open();
    while (rec.stats.bytesQueued > 0) await once(disk, "drain").catch(() => undefined);
    expect(rec.stats.backpressured).toBe(false);
    expect(Buffer.concat(disk.chunks).toString().split("\n")).toHaveLength(2001);
    await rec.close();
  });

  it("reuses written buffers: a second burst allocates none", async () => {
    const disk = new StuckDisk();
    disk.open();
    const rec = new FileRecorder("", { stream: disk, reuseBuffers: true });
    const frame = `{"data":"${"z".repeat(1000)}"}`;
    const burst = async (from: number) => {
      for (let i = from; i < from + 1500; i++) rec.write({ t: i, frame });
      while (rec.stats.bytesQueued > 0) await once(disk, "drain");
    };
    await burst(0);
    const allocated = rec.stats.buffersAllocated;
    expect(allocated).toBeGreaterThan(2);
    await burst(1500);
    expect(rec.stats.buffersAllocated).toBe(allocated);
    await rec.close();
    const lines = Buffer.concat(disk.chunks).toString().trim().split("\n");
    expect(lines.map((l) => (JSON.parse(l) as { t: number }).t)).toEqual(Array.from({ length: 3000 }, (_, i) => i));
  });

  it("writes the same file from a frame's received bytes as from its text, and the text when the bytes cannot be used", async () => {
    const frames = [`{"channel":"trade","data":[{"price":42964.0,"side":"buy"}]}`, `tab\there "q" \\`, "price €", "plain"];
    const record = async (withBytes: (frame: string) => Uint8Array | undefined) => {
      const disk = new StuckDisk();
      disk.open();
      const rec = new FileRecorder("", { stream: disk });
      for (const [i, frame] of frames.entries()) rec.write({ t: 1700000000000 + i, frame, bytes: withBytes(frame) });
      await rec.close();
      return Buffer.concat(disk.chunks).toString();
    };
    const fromText = await record(() => undefined);
    expect(fromText).toBe(frames.map((frame, i) => `${JSON.stringify({ t: 1700000000000 + i, frame })}\n`).join(""));
    expect(await record((frame) => Buffer.from(frame))).toBe(fromText);
    // Bytes that do not match the text's length are not used.
    expect(await record((frame) => Buffer.from(`${frame}!`))).toBe(fromText);
  });
});
