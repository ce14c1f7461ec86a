/**
 * Encodes one recording line, `{"t":<ms>,"frame":"<escaped text>"}\n`, straight into a byte buffer,
 * byte for byte what `JSON.stringify({ t, frame }) + "\n"` gives, without building the line as a
 * string: no garbage per frame (the recorder's line strings were a quarter of the feed's young
 * garbage, and so of its scavenges). Only ASCII frames and safe non-negative integer times take this
 * path; anything else returns -1 and the caller encodes the line with `JSON.stringify`.
 */

const HEX = "0123456789abcdef";
const HEAD = [123, 34, 116, 34, 58]; // {"t":
const MIDDLE = [44, 34, 102, 114, 97, 109, 101, 34, 58, 34]; // ,"frame":"
/** Short escapes JSON.stringify uses for control characters (0 = use \u00XX). */
const SHORT: number[] = new Array<number>(32).fill(0);
SHORT[8] = 98; // \b
SHORT[9] = 116; // \t
SHORT[10] = 110; // \n
SHORT[12] = 102; // \f
SHORT[13] = 114; // \r

/** Most bytes a frame of `length` chars can take on this path, with the line around it. */
export function maxLineBytes(length: number): number {
  return length * 6 + 48;
}

/**
 * Writes the line for (`t`, `frame`) at `at` (the caller guarantees {@link maxLineBytes} of room);
 * returns the offset after it, or -1 (nothing usable written) when `frame` has a non-ASCII char or
 * `t` is not a safe non-negative integer.
 */
export function encodeFrameLine(buf: Uint8Array, at: number, t: number, frame: string): number {
  if (!Number.isSafeInteger(t) || t < 0) return -1;
  let o = at;
  for (const b of HEAD) buf[o++] = b;
  o = writeDigits(buf, o, t);
  for (const b of MIDDLE) buf[o++] = b;
  for (let i = 0; i < frame.length; i++) {
    const c = frame.charCodeAt(i);
    if (c >= 32 && c !== 34 && c !== 92 && c < 128) buf[o++] = c;
    else if (c === 34 || c === 92) {
      buf[o++] = 92;
      buf[o++] = c;
    } else if (c >= 128) return -1;
    else o = writeControl(buf, o, c);
  }
  buf[o++] = 34;
  buf[o++] = 125;
  buf[o++] = 10;
  return o;
}

function writeDigits(buf: Uint8Array, at: number, n: number): number {
  let len = 1;
  for (let x = n; x >= 10; x = Math.floor(x / 10)) len++;
  let rest = n;
  for (let k = at + len - 1; k >= at; k--) {
    buf[k] = 48 + (rest % 10);
    rest = Math.floor(rest / 10);
  }
  return at + len;
}

function writeControl(buf: Uint8Array, at: number, c: number): number {
  let o = at;
  buf[o++] = 92;
  const short = SHORT[c]!;
  if (short !== 0) {
    buf[o++] = short;
    return o;
  }
  buf[o++] = 117; // u
  buf[o++] = 48;
  buf[o++] = 48;
  buf[o++] = HEX.charCodeAt(c >> 4);
  buf[o++] = HEX.charCodeAt(c & 15);
  return o;
}
