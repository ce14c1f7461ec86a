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
