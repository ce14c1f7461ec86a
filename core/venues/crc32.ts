/**
 * CRC-32 (IEEE 802.3, reflected polynomial 0xEDB88320, as zlib's `crc32`) over ASCII text, fed
 * incrementally so a checksum can run over many short strings without joining them.
 *
 * The register update is linear over GF(2), so feeding a text is "shift the register by the text's
 * length in zero bytes, then XOR the text's own contribution" (its update from 0):
 * `crc32Update(c, t) ≡ crc32Shift(c, t.length) ^ crc32Update(0, t)`. A caller that keeps each
 * text's contribution (Kraken's book levels) recomputes a checksum with four table lookups per
 * text instead of one per char; the shift tables (4 × 256 entries per length) are built on first use.
 */

const TABLE = new Int32Array(256);
for (let n = 0; n < 256; n++) {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  TABLE[n] = c;
}

/** The running state before any input. */
export const CRC32_START = 0xffffffff;

/** Feeds the char codes (low byte; callers pass ASCII) of `text` into the running state `crc`. */
export function crc32Update(crc: number, text: string): number {
  let c = crc;
  for (let i = 0; i < text.length; i++) c = TABLE[(c ^ text.charCodeAt(i)) & 0xff]! ^ (c >>> 8);
  return c;
}

/** Feeds one char code (low byte) into the running state `crc`. */
export function crc32Char(crc: number, code: number): number {
  return TABLE[(crc ^ code) & 0xff]! ^ (crc >>> 8);
}

/** The final unsigned 32-bit value of a running state. */
export function crc32Final(crc: number): number {
  return (crc ^ 0xffffffff) >>> 0;
}

/** CRC-32 of an ASCII string, unsigned. */
export function crc32(text: string): number {
  return crc32Final(crc32Update(CRC32_START, text));
}

/** Shift tables by length: entry `k * 256 + v` is byte `v` at byte `k` of the register after `len` zero bytes. */
const SHIFTS: Int32Array[] = [];

function shiftTable(len: number): Int32Array {
  const table = new Int32Array(1024);
  for (let k = 0; k < 4; k++) {
    for (let v = 0; v < 256; v++) {
      let c = (v << (8 * k)) | 0;
      for (let i = 0; i < len; i++) c = TABLE[c & 0xff]! ^ (c >>> 8);
      table[k * 256 + v] = c;
    }
  }
  return (SHIFTS[len] = table);
}

/** The running state `crc` after `len` zero bytes (see the header: the length part of an update). */
export function crc32Shift(crc: number, len: number): number {
  const t = SHIFTS[len] ?? shiftTable(len);
  return t[crc & 0xff]! ^ t[256 + ((crc >>> 8) & 0xff)]! ^ t[512 + ((crc >>> 16) & 0xff)]! ^ t[768 + (crc >>> 24)]!;
}
