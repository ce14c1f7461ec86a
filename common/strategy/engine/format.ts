/**
 * Formats `ctx.log` / `console.log` arguments into one line without trusting them: strings as
 * they are, other values through JSON where possible, anything that throws while being
 * described as its type name. Lines are cut at {@link MAX_LINE} characters.
 */

/** Longest log line kept, in characters. */
export const MAX_LINE = 2000;

function describe(value: unknown): string {
  switch (typeof value) {
    case "string":
      return value;
    case "number":
    case "boolean":
    case "undefined":
    case "bigint":
    case "symbol":
      return String(value);
    case "function":
      return "[function]";
    default:
      break;
  }
  try {
    if (value instanceof Error) return `${String(value.name)}: ${String(value.message)}`;
    const json = JSON.stringify(value, (_k, v: unknown) => (typeof v === "bigint" ? String(v) : v));
    return typeof json === "string" ? json.slice(0, MAX_LINE) : String(json);
  } catch {
    return "[object]";
  }
}

/** One log line from a list of arguments. */
export function formatLogArgs(args: readonly unknown[]): string {
  let line = "";
  for (let i = 0; i < args.length && line.length < MAX_LINE; i++) {
    let part: string;
    try {
      part = describe(args[i]);
    } catch {
      part = "[unprintable]";
    }
    line += (i === 0 ? "" : " ") + part;
  }
  return line.length > MAX_LINE ? `${line.slice(0, MAX_LINE)}…` : line;
}
