/**
 * Bounds a strategy's source before any compiler sees it: its size, and how deeply its brackets,
 * braces, parentheses and template substitutions nest. Deep nesting overflows esbuild's stack (a
 * Go fatal error that kills its service) and the TypeScript compiler's; no real strategy comes
 * near the limits. The depth scan is one linear pass that skips strings, comments, template text
 * and (by a previous-token heuristic) regular expression literals.
 */
import type { CompileDiagnostic } from "../../common/strategy/errors.ts";

/** Limits on a strategy's source text. */
export interface SourceLimits {
  /** Largest source in UTF-8 bytes. */
  maxBytes: number;
  /** Deepest nesting of `(`, `[`, `{` and `${`. */
  maxNestingDepth: number;
}

/** 1 MB of source, 256 levels of nesting. */
export const DEFAULT_SOURCE_LIMITS: SourceLimits = { maxBytes: 1024 * 1024, maxNestingDepth: 256 };

const OPENERS = new Set(["(", "[", "{"]);
const CLOSERS = new Set([")", "]", "}"]);
/** Words after which a `/` starts a regular expression, not a division. */
const REGEX_AFTER_WORD = new Set(["return", "typeof", "case", "do", "else", "in", "of", "new", "delete", "void", "throw", "yield", "await", "instanceof"]);
const WORD_CHAR = /[\w$]/;

/** Index just past a quoted string starting at `i` (stops at the line's end if unterminated). */
function skipQuoted(src: string, i: number): number {
  const quote = src[i];
  for (let j = i + 1; j < src.length; j++) {
    const c = src[j];
    if (c === "\\") j++;
    else if (c === quote || c === "\n") return j + 1;
  }
  return src.length;
}

/** Index just past a regular expression literal starting at `i`. */
function skipRegex(src: string, i: number): number {
  let inClass = false;
  for (let j = i + 1; j < src.length; j++) {
    const c = src[j];
    if (c === "\\") j++;
    else if (c === "\n") return j;
    else if (c === "[") inClass = true;
    else if (c === "]") inClass = false;
    else if (c === "/" && !inClass) return j + 1;
  }
  return src.length;
}

/** Index of the `` ` `` ending template text at `i`, or of the `$` of a `${` in it. */
function skipTemplateText(src: string, i: number): number {
  for (let j = i; j < src.length; j++) {
    const c = src[j];
    if (c === "\\") j++;
    else if (c === "`" || (c === "$" && src[j + 1] === "{")) return j;
  }
  return src.length;
}

/** Whether a `/` at `i` starts a regular expression, judged by the code before it. */
function slashStartsRegex(src: string, i: number): boolean {
  let j = i - 1;
  while (j >= 0 && /\s/.test(src[j]!)) j--;
  if (j < 0) return true;
  const prev = src[j]!;
  if (prev === ")" || prev === "]" || prev === "}") return false;
  if (!WORD_CHAR.test(prev)) return true;
  let start = j;
  while (start > 0 && WORD_CHAR.test(src[start - 1]!)) start--;
  return REGEX_AFTER_WORD.has(src.slice(start, j + 1));
}

/** 1-based line and column of index `i`. */
function positionOf(src: string, i: number): { line: number; column: number } {
  const before = src.slice(0, i);
  const lineStart = before.lastIndexOf("\n") + 1;
  return { line: before.split("\n").length, column: i - lineStart + 1 };
}

/** Index where the nesting first goes deeper than `max`, or -1. */
export function nestingExceededAt(src: string, max: number): number {
  const stack: string[] = [];
  let i = 0;
  while (i < src.length) {
    const c = src[i]!;
    const next = src[i + 1];
    if (c === '"' || c === "'") i = skipQuoted(src, i);
    else if (c === "/" && next === "/") i = src.indexOf("\n", i) < 0 ? src.length : src.indexOf("\n", i);
    else if (c === "/" && next === "*") i = src.indexOf("*/", i + 2) < 0 ? src.length : src.indexOf("*/", i + 2) + 2;
    else if (c === "/") i = slashStartsRegex(src, i) ? skipRegex(src, i) : i + 1;
    else if (c === "`" || (c === "}" && stack.at(-1) === "${")) {
      if (c === "}") stack.pop();
      const end = skipTemplateText(src, i + 1);
      if (src[end] === "$") {
        stack.push("${");
        if (stack.length > max) return end;
        i = end + 2;
      } else i = end + 1;
    } else {
      if (OPENERS.has(c)) {
        stack.push(c);
        if (stack.length > max) return i;
      } else if (CLOSERS.has(c)) stack.pop();
      i++;
    }
  }
  return -1;
}

/** "1 MB (1,048,576 bytes)", or the bytes alone when not a whole number of MB. */
const sizeText = (bytes: number) => {
  const mb = bytes / (1024 * 1024);
  return Number.isInteger(mb) ? `${mb} MB (${bytes.toLocaleString("en-US")} bytes)` : `${bytes.toLocaleString("en-US")} bytes`;
};

/** The first limit `source` breaks, as a diagnostic with its position; null when within them. */
export function checkSourceLimits(source: string, filename: string, limits: Partial<SourceLimits> = {}): CompileDiagnostic | null {
  const { maxBytes, maxNestingDepth } = { ...DEFAULT_SOURCE_LIMITS, ...limits };
  const bytes = Buffer.byteLength(source, "utf8");
  if (bytes > maxBytes) {
    return { file: filename, line: 1, column: 1, message: `the strategy is ${sizeText(bytes)}; the limit is ${sizeText(maxBytes)}` };
  }
  const at = nestingExceededAt(source, maxNestingDepth);
  if (at < 0) return null;
  const message = `brackets, braces and parentheses nest more than ${maxNestingDepth} levels deep (the limit)`;
  return { file: filename, ...positionOf(source, at), message };
}
