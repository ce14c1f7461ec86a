/**
 * CRC-32 (IEEE 802.3, reflected polynomial 0xEDB88320, as zlib's `crc32`) over ASCII text, fed
 * incrementally so a checksum can run over many short strings without joining them.
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

/** The final unsigned 32-bit value of a running state. */
export function crc32Final(crc: number): number {
  return (crc ^ 0xffffffff) >>> 0;
}

/** CRC-32 of an ASCII string, unsigned. */
export function crc32(text: string): number {
  return crc32Final(crc32Update(CRC32_START, text));
}
