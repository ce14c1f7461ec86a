/**
 * Alert message templates: `{{name}}` placeholders (spaces inside the braces allowed) filled from a
 * fire. An unknown placeholder is refused when the rule is added, naming it; order placeholders
 * exist only for strategy alerts.
 */

/** Placeholders every rule may use. */
export const BASE_PLACEHOLDERS = ["symbol", "venue", "close", "time", "interval", "value", "rule"] as const;
/** Extra placeholders of strategy alerts. */
export const ORDER_PLACEHOLDERS = ["order.side", "order.size", "order.price"] as const;

const PLACEHOLDER = /\{\{\s*([^{}]*?)\s*\}\}/g;

/** The names a template uses, in order of appearance. */
export function placeholders(template: string): string[] {
  return [...template.matchAll(PLACEHOLDER)].map((m) => m[1]!);
}

/** The first placeholder `template` uses that is not allowed, or null. */
export function unknownPlaceholder(template: string, strategy: boolean): string | null {
  const allowed = new Set<string>([...BASE_PLACEHOLDERS, ...(strategy ? ORDER_PLACEHOLDERS : [])]);
  return placeholders(template).find((name) => !allowed.has(name)) ?? null;
}

/** Fills a (validated) template; a name without a value renders empty. */
export function renderTemplate(template: string, values: Readonly<Record<string, string>>): string {
  return template.replace(PLACEHOLDER, (_m, name: string) => values[name] ?? "");
}

/** A template split once into its text and placeholders, so each fire fills it without a scan. */
export interface CompiledTemplate {
  /** The placeholder names it still asks for at render time. */
  readonly names: ReadonlySet<string>;
  /** Fills it; `value` is asked once per placeholder occurrence (a name without a value renders empty). */
  render(value: (name: string) => string | undefined): string;
}

/**
 * Compiles a (validated) template: renders as {@link renderTemplate} does. `fixed` gives the values
 * that are the same in every render (a rule's id, symbol, …): they are filled in now, and only the
 * other placeholders are asked for at render time. A live rule keeps its compiled template, so it
 * is kept small: flat text pieces and the names, the set of names made only when asked for.
 */
export function compileTemplate(template: string, fixed: (name: string) => string | undefined = () => undefined): CompiledTemplate {
  const text: string[] = [];
  const names: string[] = [];
  let parts: string[] = [];
  let at = 0;
  for (const m of template.matchAll(PLACEHOLDER)) {
    parts.push(template.slice(at, m.index));
    at = m.index + m[0].length;
    const value = fixed(m[1]!);
    if (value !== undefined) {
      parts.push(value);
      continue;
    }
    text.push(parts.join(""));
    names.push(m[1]!);
    parts = [];
  }
  parts.push(template.slice(at));
  text.push(parts.join(""));
  return new Compiled(text, names);
}

/** A compiled template: `text[0] name[0] text[1] … name[n-1] text[n]`. */
class Compiled implements CompiledTemplate {
  private readonly text: readonly string[];
  private readonly list: readonly string[];

  constructor(text: readonly string[], names: readonly string[]) {
    this.text = text;
    this.list = names;
  }

  get names(): ReadonlySet<string> {
    return new Set(this.list);
  }

  render(value: (name: string) => string | undefined): string {
    const text = this.text;
    const names = this.list;
    let out = text[0]!;
    for (let i = 0; i < names.length; i++) out += (value(names[i]!) ?? "") + text[i + 1]!;
    return out;
  }
}
