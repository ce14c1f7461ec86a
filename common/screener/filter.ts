/**
 * The `--filter` expression: comparisons of a column id with a number (`rsi_14 < 30`), joined by
 * `and` / `or` (`and` binds tighter), with parentheses for grouping. Operators: < <= > >= = == !=.
 * A comparison with a missing value (NaN, null, an error row) is false. Parsing names the first
 * problem and where it is.
 */

/** A parsed filter. */
export type FilterExpr =
  | { op: "and" | "or"; left: FilterExpr; right: FilterExpr }
  | { op: "cmp"; column: string; cmp: Comparison; value: number };

/** A comparison operator. */
export type Comparison = "<" | "<=" | ">" | ">=" | "=" | "!=";

type Token = { kind: "ident" | "number" | "op" | "lparen" | "rparen"; text: string; at: number };

const TOKEN = /\s*(?:(\()|(\))|(<=|>=|!=|==|<|>|=)|([-+]?(?:\d+\.?\d*|\.\d+)(?:e[-+]?\d+)?)|([A-Za-z_][A-Za-z0-9_]*))/y;

function tokenize(text: string): Token[] {
  const tokens: Token[] = [];
  TOKEN.lastIndex = 0;
  while (TOKEN.lastIndex < text.length) {
    const rest = text.slice(TOKEN.lastIndex);
    if (/^\s*$/.test(rest)) break;
    const at = TOKEN.lastIndex + (rest.length - rest.trimStart().length);
    const m = TOKEN.exec(text);
    if (!m) throw new Error(`filter: unexpected "${text[at] ?? ""}" at ${at + 1}`);
    const [, l, r, op, num, ident] = m;
    if (l) tokens.push({ kind: "lparen", text: l, at });
    else if (r) tokens.push({ kind: "rparen", text: r, at });
    else if (op) tokens.push({ kind: "op", text: op === "==" ? "=" : op, at });
    else if (num) tokens.push({ kind: "number", text: num, at });
    else tokens.push({ kind: "ident", text: ident!, at });
  }
  return tokens;
}

class Parser {
  private pos = 0;
  private readonly tokens: Token[];
  constructor(tokens: Token[]) {
    this.tokens = tokens;
  }

  parse(): FilterExpr {
    if (this.tokens.length === 0) throw new Error("filter: empty expression");
    const expr = this.or();
    const extra = this.tokens[this.pos];
    if (extra) throw new Error(`filter: unexpected "${extra.text}" at ${extra.at + 1} (join comparisons with and/or)`);
    return expr;
  }

  private word(w: string): boolean {
    const t = this.tokens[this.pos];
    if (t?.kind === "ident" && t.text.toLowerCase() === w) {
      this.pos++;
      return true;
    }
    return false;
  }

  private or(): FilterExpr {
    let left = this.and();
    while (this.word("or")) left = { op: "or", left, right: this.and() };
    return left;
  }

  private and(): FilterExpr {
    let left = this.atom();
    while (this.word("and")) left = { op: "and", left, right: this.atom() };
    return left;
  }

  private expect(kind: Token["kind"], what: string): Token {
    const t = this.tokens[this.pos];
    if (t?.kind !== kind) throw new Error(`filter: expected ${what} ${t ? `at ${t.at + 1}, got "${t.text}"` : "at the end"}`);
    this.pos++;
    return t;
  }

  private atom(): FilterExpr {
    if (this.tokens[this.pos]?.kind === "lparen") {
      this.pos++;
      const inner = this.or();
      this.expect("rparen", '")"');
      return inner;
    }
    const column = this.expect("ident", "a column id").text;
    if (column === "and" || column === "or") throw new Error(`filter: expected a column id before "${column}"`);
    const cmp = this.expect("op", "a comparison (< <= > >= = !=)").text as Comparison;
    const value = Number(this.expect("number", "a number").text);
    return { op: "cmp", column, cmp, value };
  }
}

/** Parses a filter expression; throws an Error naming the problem. */
export function parseFilter(text: string): FilterExpr {
  return new Parser(tokenize(text)).parse();
}

/** The column ids a filter reads. */
export function filterColumns(expr: FilterExpr): string[] {
  if (expr.op === "cmp") return [expr.column];
  return [...new Set([...filterColumns(expr.left), ...filterColumns(expr.right)])];
}

function compare(a: number, cmp: Comparison, b: number): boolean {
  switch (cmp) {
    case "<":
      return a < b;
    case "<=":
      return a <= b;
    case ">":
      return a > b;
    case ">=":
      return a >= b;
    case "=":
      return a === b;
    case "!=":
      return a !== b;
  }
}

/** True when `row` passes; a missing or non-numeric value fails its comparison. */
export function matchesFilter(expr: FilterExpr, row: Readonly<Record<string, unknown>>): boolean {
  if (expr.op !== "cmp") return expr.op === "and" ? matchesFilter(expr.left, row) && matchesFilter(expr.right, row) : matchesFilter(expr.left, row) || matchesFilter(expr.right, row);
  const v = row[expr.column];
  return typeof v === "number" && Number.isFinite(v) && compare(v, expr.cmp, expr.value);
}
