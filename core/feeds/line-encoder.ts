/**
 * Encodes one recording line, `{"t":<ms>,"frame":"<escaped text>"}\n`, straight into a byte buffer,
 * byte for byte what `JSON.stringify({ t, frame }) + "\n"` gives, without building the line as a
 * string: no garbage per frame (the recorder's line strings were a quarter of the feed's young
 * garbage, and so of its scavenges). Only ASCII frames and safe non-negative integer times take this
 * path; anything else returns -1 and the caller encodes the line with `JSON.stringify`. A frame's
 * received bytes, when the caller has them, are read instead of its text ({@link encodeFrameBytes}).
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
/** What a byte needs on the bytes path: 0 copy it, 1 a backslash before it (`"`, `\\`), 2 decline (control or not ASCII). */
const BYTE_CLASS = new Uint8Array(256).fill(2);
BYTE_CLASS.fill(0, 32, 128);
BYTE_CLASS[34] = 1;
BYTE_CLASS[92] = 1;
/**
 * The last head written (`{"t":<t>,"frame":"`) and its time: the frames of one socket read share
 * their receive time, so a head is encoded once and copied for the frames after it (the digits of
 * a 13-digit time take float divisions and remainders).
 */
const lastHead = new Uint8Array(HEAD.length + 16 + MIDDLE.length);
let lastHeadLength = 0;
let lastHeadT = -1;

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
  let o = writeHead(buf, at, t);
  for (let i = 0; i < frame.length; i++) {
    const c = frame.charCodeAt(i);
    if (c >= 32 && c !== 34 && c !== 92 && c < 128) buf[o++] = c;
    else if (c === 34 || c === 92) {
      buf[o++] = 92;
      buf[o++] = c;
    } else if (c >= 128) return -1;
    else o = writeControl(buf, o, c);
  }
  return writeTail(buf, o);
}

/**
 * {@link encodeFrameLine} from the frame's received UTF-8 `bytes` instead of its text: the same
 * line, read from a byte array with one table lookup and one test per plain byte (measured on
 * Kraken frames: 0.44 vs 0.68 µs per frame for two tests per byte against the text; the table
 * 0.20–0.23 vs 0.25–0.33 µs against two tests per byte; word-at-a-time checks through a DataView and
 * copying the spans between quotes natively were slower). Returns -1 when a byte is not printable ASCII — not ASCII (the bytes then
 * differ from the text's chars) or a control char (rare; escaped on the text path) — or `t` is not
 * a safe non-negative integer; the caller then encodes the text. All-ASCII bytes decode to exactly
 * those chars, so the line is the one of the text they were decoded from.
 */
export function encodeFrameBytes(buf: Uint8Array, at: number, t: number, bytes: Uint8Array): number {
  if (!Number.isSafeInteger(t) || t < 0) return -1;
  let o = writeHead(buf, at, t);
  const n = bytes.length;
  for (let i = 0; i < n; i++) {
    const c = bytes[i]!;
    const k = BYTE_CLASS[c]!;
    if (k !== 0) {
      if (k === 2) return -1;
      buf[o++] = 92;
    }
    buf[o++] = c;
  }
  return writeTail(buf, o);
}

/** `{"t":<t>,"frame":"` at `at` (copied from {@link lastHead}, encoded there first when `t` changed); returns the offset after it. */
function writeHead(buf: Uint8Array, at: number, t: number): number {
  if (t !== lastHeadT) {
    let o = 0;
    for (const b of HEAD) lastHead[o++] = b;
    o = writeDigits(lastHead, o, t);
    for (const b of MIDDLE) lastHead[o++] = b;
    lastHeadLength = o;
    lastHeadT = t;
  }
  for (let i = 0; i < lastHeadLength; i++) buf[at + i] = lastHead[i]!;
  return at + lastHeadLength;
}

/** `"}` and the newline at `at`; returns the offset after them. */
function writeTail(buf: Uint8Array, at: number): number {
  buf[at] = 34;
  buf[at + 1] = 125;
  buf[at + 2] = 10;
  return at + 3;
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
