/**
 * Encodes one recording line, `{"t":<ms>,"frame":"<escaped text>"}\n`, straight into a byte buffer,
 * byte for byte what `JSON.stringify({ t, frame }) + "\n"` gives. Only the escaped frame is built as
 * a string, by `JSON.stringify` (native, several times faster than escaping char by char in
 * JavaScript, measured: 0.29 vs 0.69 µs per Binance trade frame); the line around it is written as
 * bytes. Times that are not safe non-negative integers return -1 and the caller encodes the line
 * with `JSON.stringify`.
 */

const HEAD = [123, 34, 116, 34, 58]; // {"t":
const MIDDLE = [44, 34, 102, 114, 97, 109, 101, 34, 58]; // ,"frame":

/** Most bytes a frame of `length` chars can take on this path, with the line around it. */
export function maxLineBytes(length: number): number {
  return length * 6 + 48;
}

/**
 * Writes the line for (`t`, `frame`) at `at` (the caller guarantees {@link maxLineBytes} of room);
 * returns the offset after it, or -1 (nothing usable written) when `t` is not a safe non-negative
 * integer. The frame is escaped by `JSON.stringify` (native, well-formed: lone surrogates become
 * `\uXXXX`) and written as UTF-8, at most 6 bytes per UTF-16 unit.
 */
export function encodeFrameLine(buf: Buffer, at: number, t: number, frame: string): number {
  if (!Number.isSafeInteger(t) || t < 0) return -1;
  let o = at;
  for (const b of HEAD) buf[o++] = b;
  o = writeDigits(buf, o, t);
  for (const b of MIDDLE) buf[o++] = b;
  o += buf.write(JSON.stringify(frame), o, "utf8");
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
