/**
 * Escaping of text from outside the program (strategy logs, error messages, file contents, symbol
 * names) before it is shown on a terminal or in the UI: control characters become visible escapes,
 * so text cannot move the cursor, clear the screen, set a window title, write the clipboard (OSC 52),
 * fake an extra line, or reorder what is shown (bidi overrides).
 *
 * C0 controls become `\xHH` (`\n`, `\r` for line ends); DEL, C1 controls, the line and paragraph
 * separators and the bidi controls become `\uHHHH`. JSON.stringify leaves only the latter raw, so
 * escaping a JSON text keeps it valid JSON with the same value. Tabs are kept. Pure.
 */

/** Everything {@link escapeControls} replaces but C0: DEL, C1, LS/PS, bidi marks, embeddings, overrides, isolates. */
const WIDE = "\\u007f-\\u009f\\u061c\\u200e\\u200f\\u2028\\u2029\\u202a-\\u202e\\u2066-\\u2069";
const UNSAFE = new RegExp(`[\\u0000-\\u0008\\u000a-\\u001f${WIDE}]`, "g");
const UNSAFE_KEEP_NEWLINES = new RegExp(`[\\u0000-\\u0008\\u000b-\\u001f${WIDE}]`, "g");

function escapeOne(ch: string): string {
  if (ch === "\n") return "\\n";
  if (ch === "\r") return "\\r";
  const code = ch.charCodeAt(0);
  const hex = code.toString(16).padStart(code < 0x20 ? 2 : 4, "0");
  return code < 0x20 ? `\\x${hex}` : `\\u${hex}`;
}

/** Options of {@link escapeControls}. */
export interface EscapeOptions {
  /** Keep `\n` as a line break (for multi-line text whose lines are all the program's own). */
  keepNewlines?: boolean;
}

/** `text` with every control character written as a visible escape (see the file header). */
export function escapeControls(text: string, opts: EscapeOptions = {}): string {
  return text.replace(opts.keepNewlines === true ? UNSAFE_KEEP_NEWLINES : UNSAFE, escapeOne);
}
