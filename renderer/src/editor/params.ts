/**
 * Reads a strategy's default `params` from its source, so the backtest form can offer a field per
 * parameter without running the code. It finds the first `params:` property followed by an object
 * literal and reads `name: value` pairs whose values are number, boolean or string literals
 * (negative numbers and numeric separators included). Anything else (a computed value, a spread)
 * makes that entry unreadable; it is skipped, and the run uses the strategy's own default.
 */
import type { StrategyParams } from "../../../common/strategy/api.ts";

const START = /\bparams\s*:\s*\{/;
const ENTRY = /^\s*(?:(["'])([^"']+)\1|([A-Za-z_$][\w$]*))\s*:\s*(-?[\d_.]+(?:e[+-]?\d+)?|true|false|"[^"\\]*"|'[^'\\]*')\s*(?:,|$)/i;

function stripComments(src: string): string {
  return src.replace(/\/\*[\s\S]*?\*\//g, " ").replace(/(^|[^:])\/\/.*$/gm, "$1");
}

function literal(text: string): number | boolean | string | null {
  if (text === "true") return true;
  if (text === "false") return false;
  if (text.startsWith('"') || text.startsWith("'")) return text.slice(1, -1);
  const n = Number(text.replace(/_/g, ""));
  return Number.isFinite(n) ? n : null;
}

/** The body between the braces of the first `params: { … }`, or null. */
function paramsBody(src: string): string | null {
  const m = START.exec(src);
  if (!m) return null;
  let depth = 1;
  const from = m.index + m[0].length;
  for (let i = from; i < src.length; i++) {
    const ch = src[i];
    if (ch === "{") depth++;
    else if (ch === "}" && --depth === 0) return src.slice(from, i);
  }
  return null;
}

function splitTopLevel(body: string): string[] {
  const parts: string[] = [];
  let depth = 0, start = 0;
  for (let i = 0; i < body.length; i++) {
    const ch = body[i];
    if (ch === "{" || ch === "[" || ch === "(") depth++;
    else if (ch === "}" || ch === "]" || ch === ")") depth--;
    else if (ch === "," && depth === 0) {
      parts.push(body.slice(start, i));
      start = i + 1;
    }
  }
  parts.push(body.slice(start));
  return parts.filter((p) => p.trim() !== "");
}

/** The default params written in the source (readable entries only); null when none are found. */
export function extractParams(source: string): StrategyParams | null {
  const body = paramsBody(stripComments(source));
  if (body === null) return null;
  const out: StrategyParams = {};
  for (const part of splitTopLevel(body)) {
    const m = ENTRY.exec(part);
    if (!m) continue;
    const value = literal(m[4]!);
    if (value !== null) out[m[2] ?? m[3]!] = value;
  }
  return out;
}

/** Parses a form field back into the type of the default (numbers stay numbers). */
export function parseParam(text: string, like: number | boolean | string): number | boolean | string | null {
  if (typeof like === "boolean") return text === "true";
  if (typeof like === "number") {
    const n = Number(text);
    return text.trim() !== "" && Number.isFinite(n) ? n : null;
  }
  return text;
}

/** Expands a sweep range "start:stop:step" or a list "5,10,20" into values; null when invalid. */
export function parseRange(text: string, maxValues = 1000): number[] | null {
  const t = text.trim();
  const range = /^(-?[\d.]+)\s*:\s*(-?[\d.]+)\s*:\s*([\d.]+)$/.exec(t);
  if (range) {
    const [a, b, step] = [Number(range[1]), Number(range[2]), Number(range[3])];
    if (!(step > 0) || b < a || (b - a) / step + 1 > maxValues) return null;
    const out: number[] = [];
    for (let i = 0; a + i * step <= b + step * 1e-9; i++) out.push(Number((a + i * step).toPrecision(12)));
    return out;
  }
  const list = t.split(",").map((s) => Number(s.trim()));
  return list.length > 0 && list.length <= maxValues && list.every((n) => Number.isFinite(n)) && t !== "" ? list : null;
}
