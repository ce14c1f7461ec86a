/**
 * Venue timestamps → integer UTC milliseconds, floored, without `Date.parse` (whose handling of
 * more than three fraction digits is implementation-defined). RFC 3339 texts such as
 * `2023-09-25T07:49:37.708706Z` or Coinbase's nanosecond `...35.39625135Z` keep their first three
 * fraction digits; epoch numbers in µs or ns are cut to ms by dropping digits (flooring for times
 * after 1970).
 */

/** Days from 1970-01-01 to the given civil date (proleptic Gregorian). */
function daysFromCivil(y: number, m: number, d: number): number {
  const yy = m <= 2 ? y - 1 : y;
  const era = Math.floor(yy / 400);
  const yoe = yy - era * 400;
  const doy = Math.floor((153 * (m + (m > 2 ? -3 : 9)) + 2) / 5) + d - 1;
  const doe = yoe * 365 + Math.floor(yoe / 4) - Math.floor(yoe / 100) + doy;
  return era * 146097 + doe - 719468;
}

function num2(t: string, i: number): number {
  const a = t.charCodeAt(i) - 48;
  const b = t.charCodeAt(i + 1) - 48;
  return a >= 0 && a <= 9 && b >= 0 && b <= 9 ? a * 10 + b : -1;
}

/** The offset of a `Z` or `±hh:mm` zone at `i` (ending at `end`), in ms; null when malformed. */
function zoneOffsetMs(t: string, i: number, end: number): number | null {
  const z = t.charCodeAt(i);
  if ((z === 90 || z === 122) && i === end - 1) return 0;
  if ((z !== 43 && z !== 45) || i !== end - 6 || t.charCodeAt(i + 3) !== 58) return null;
  const oh = num2(t, i + 1);
  const om = num2(t, i + 4);
  if (oh < 0 || oh > 23 || om < 0 || om > 59) return null;
  return (z === 43 ? 1 : -1) * (oh * 60 + om) * 60_000;
}

/** The first 19 chars (`YYYY-MM-DDTHH:MM:SS`) of the last valid timestamp and their UTC ms. */
let headText = "";
let headMs = 0;

/** UTC ms of `YYYY-MM-DDTHH:MM:SS` (the 19 chars of `t` from `a`); null when malformed. */
function headMsOf(t: string, a: number): number | null {
  if (t.charCodeAt(a + 4) !== 45 || t.charCodeAt(a + 7) !== 45 || t.charCodeAt(a + 13) !== 58 || t.charCodeAt(a + 16) !== 58) return null;
  const sep = t.charCodeAt(a + 10);
  if (sep !== 84 && sep !== 116 && sep !== 32) return null;
  const c = num2(t, a);
  const y2 = num2(t, a + 2);
  const mo = num2(t, a + 5);
  const d = num2(t, a + 8);
  const h = num2(t, a + 11);
  const mi = num2(t, a + 14);
  const s = num2(t, a + 17);
  if (c < 0 || y2 < 0 || mo < 1 || mo > 12 || d < 1 || d > 31 || h < 0 || h > 23 || mi < 0 || mi > 59 || s < 0 || s > 60) return null;
  return daysFromCivil(c * 100 + y2, mo, d) * 86_400_000 + h * 3_600_000 + mi * 60_000 + s * 1000;
}

/**
 * UTC ms of an RFC 3339 timestamp (`Z` or `±hh:mm` offset), floored; null when malformed. The
 * timestamp is `t[start, end)` (the whole of `t` by default: a fast path reads it in place in its
 * frame). A feed's timestamps share their date and second for many messages in a row, so the
 * date-time part of the last valid one is remembered and reused when it repeats (it is all the
 * validation of those chars).
 */
export function parseIsoMs(t: string, start = 0, end = t.length): number | null {
  if (end - start < 20) return null;
  let base: number;
  if (headText !== "" && t.startsWith(headText, start)) base = headMs;
  else {
    const ms = headMsOf(t, start);
    if (ms === null) return null;
    base = ms;
    headText = t.slice(start, start + 19);
    headMs = ms;
  }
  let i = start + 19;
  let ms = 0;
  if (t.charCodeAt(i) === 46) {
    const first = ++i;
    let scale = 100;
    for (let c = t.charCodeAt(i); i < end && c >= 48 && c <= 57; c = t.charCodeAt(++i)) {
      ms += (c - 48) * scale;
      scale = scale >= 10 ? scale / 10 : 0;
    }
    if (i === first) return null;
  }
  const offset = zoneOffsetMs(t, i, end);
  if (offset === null) return null;
  return base + ms - offset;
}

/**
 * UTC ms of an epoch time given as digits: 13 digits are ms; 16 (µs) and 19 (ns) are cut to
 * their first 13 digits. Null for anything else.
 */
export function parseEpochMs(text: string): number | null {
  const n = text.length;
  if (n === 0 || (n > 13 && n !== 16 && n !== 19)) return null;
  let ms = 0;
  for (let i = 0; i < n; i++) {
    const d = text.charCodeAt(i) - 48;
    if (d < 0 || d > 9) return null;
    if (i < 13) ms = ms * 10 + d;
  }
  return ms;
}
