/**
 * Length-prefixed text frames: a 4-byte little-endian byte length, then that many bytes of UTF-8
 * (JSON here). The session channel between core and a strategy host's session thread speaks them
 * (see `protocol.ts`): a byte stream, so a reader collects chunks until each frame is whole.
 */

const encoder = new TextEncoder();
const decoder = new TextDecoder();

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

  /** Adds a chunk; returns the texts of the frames it completed, in order. */
  push(chunk: Uint8Array): string[] {
    const buf = this.pending.length === 0 ? chunk : concat(this.pending, chunk);
    const view = new DataView(buf.buffer, buf.byteOffset, buf.byteLength);
    const texts: string[] = [];
    let at = 0;
    while (buf.length - at >= 4) {
      const len = view.getUint32(at, true);
      if (buf.length - at - 4 < len) break;
      texts.push(decoder.decode(buf.subarray(at + 4, at + 4 + len)));
      at += 4 + len;
    }
    this.pending = at === buf.length ? new Uint8Array(0) : buf.slice(at);
    return texts;
  }
}

function concat(a: Uint8Array, b: Uint8Array): Uint8Array {
  const out = new Uint8Array(a.length + b.length);
  out.set(a, 0);
  out.set(b, a.length);
  return out;
}
