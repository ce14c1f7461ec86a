/**
 * Length-prefixed text frames: a 4-byte little-endian byte length, then that many bytes of UTF-8
 * (JSON here). The session channel between core and a strategy host's session thread speaks them
 * (see `protocol.ts`): a byte stream, so a reader collects chunks until each frame is whole.
 */

const encoder = new TextEncoder();
const decoder = new TextDecoder();

/**
 * The longest frame a reader accepts (bytes): a length past it is a corrupt stream, not a frame to
 * wait for (it would otherwise buffer up to 4 GiB). Far above any real request or answer.
 */
export const MAX_FRAME_BYTES = 256 * 1024 * 1024;

/** The byte stream is not a sequence of frames (a length past {@link MAX_FRAME_BYTES}). */
export class FrameError extends Error {}

/** Encodes several texts as frames, back to back in one buffer (one write). */
export function encodeFrames(texts: readonly string[]): Uint8Array {
  const bodies = texts.map((t) => encoder.encode(t));
  const out = new Uint8Array(bodies.reduce((n, b) => n + 4 + b.length, 0));
  const view = new DataView(out.buffer);
  let at = 0;
  for (const body of bodies) {
    view.setUint32(at, body.length, true);
    out.set(body, at + 4);
    at += 4 + body.length;
  }
  return out;
}

/** Reassembles frames from a byte stream's chunks. */
export class FrameReader {
  private pending: Uint8Array = new Uint8Array(0);
  private readonly maxBytes: number;

  /** `maxBytes`: the longest frame accepted (tests lower it). */
  constructor(maxBytes = MAX_FRAME_BYTES) {
    this.maxBytes = maxBytes;
  }

  /**
   * Adds a chunk; returns the texts of the frames it completed, in order. Throws {@link FrameError}
   * on a length past the limit (the stream is then unusable).
   */
  push(chunk: Uint8Array): string[] {
    const buf = this.pending.length === 0 ? chunk : concat(this.pending, chunk);
    const view = new DataView(buf.buffer, buf.byteOffset, buf.byteLength);
    const texts: string[] = [];
    let at = 0;
    while (buf.length - at >= 4) {
      const len = view.getUint32(at, true);
      if (len > this.maxBytes) throw new FrameError(`a frame of ${len} bytes (at most ${this.maxBytes})`);
      if (buf.length - at - 4 < len) break;
      texts.push(decoder.decode(buf.subarray(at + 4, at + 4 + len)));
      at += 4 + len;
    }
    this.pending = at === buf.length ? new Uint8Array(0) : buf.slice(at);
    return texts;
  }
}

/**
 * A byte stream's `data` listener: reassembles frames, parses each with `parse` and hands the
 * messages on in order. The first corrupt frame (a bad length, or `parse` throwing) goes to
 * `onCorrupt` and every later chunk is ignored: the stream is unusable from there.
 */
export function frameListener<T>(parse: (text: string) => T, onMessage: (msg: T) => void, onCorrupt: (err: Error) => void, reader = new FrameReader()): (chunk: Uint8Array) => void {
  let broken = false;
  return (chunk) => {
    if (broken) return;
    let messages: T[];
    try {
      messages = reader.push(chunk).map(parse);
    } catch (err) {
      broken = true;
      onCorrupt(err as Error);
      return;
    }
    for (const msg of messages) onMessage(msg);
  };
}

function concat(a: Uint8Array, b: Uint8Array): Uint8Array {
  const out = new Uint8Array(a.length + b.length);
  out.set(a, 0);
  out.set(b, a.length);
  return out;
}
