/**
 * The value rules a staged row must meet, as one SQL expression per layout: it yields the first
 * problem of a row as text (naming the column and the value) or NULL for a good row.
 *
 * Bars: every value a finite number, none negative, low <= high, open and close within
 * [low, high]. Trades: price finite and not negative, size finite and positive, a side column's
 * text one of the known words (empty means unknown and stays NULL). Missing values and times are
 * checked before these rules run, so the columns are not NULL here.
 */
import type { DetectedLayout } from "./layout.ts";

const BAR_VALUES = ["open", "high", "low", "close", "volume"] as const;

/** SQL text of a staged value for a message ("0.4", "inf", "nan"). */
function shown(column: string): string {
  return `CAST(CAST(${column} AS DOUBLE) AS VARCHAR)`;
}

/** A `WHEN … THEN message` arm; `parts` alternate literal text and SQL expressions. */
function arm(condition: string, ...parts: string[]): string {
  const text = parts.map((p, i) => (i % 2 === 0 ? `'${p.replaceAll("'", "''")}'` : p)).join(" || ");
  return `WHEN ${condition} THEN ${text}`;
}

function finite(column: string): string {
  return arm(`NOT isfinite(${column})`, `${column} is `, shown(column), ", not a finite number");
}

function barRules(): string[] {
  const arms = BAR_VALUES.map(finite);
  for (const k of BAR_VALUES) arms.push(arm(`${k} < 0`, `${k} `, shown(k), " is negative"));
  arms.push(arm("high < low", "high ", shown("high"), " is below low ", shown("low")));
  for (const k of ["open", "close"]) {
    arms.push(arm(`${k} < low OR ${k} > high`, `${k} `, shown(k), " is outside the bar's low..high (", shown("low"), "..", shown("high"), ")"));
  }
  return arms;
}

/** The side words a trades file may use (any case); see `sideExpr` in stage.ts. */
export const SIDE_WORDS = { buy: ["buy", "b", "bid"], sell: ["sell", "s", "ask"] } as const;

function tradeRules(layout: DetectedLayout): string[] {
  const arms = [finite("price"), finite("size")];
  arms.push(arm("price < 0", "price ", shown("price"), " is negative"));
  arms.push(arm("size <= 0", "size ", shown("size"), " is not positive"));
  const raw = "left(trim(side_raw), 40)";
  if (layout.columns.buyerMaker !== undefined) {
    arms.push(arm(`lower(${raw}) NOT IN ('true', 'false')`, 'is_buyer_maker "', raw, '" is not true or false'));
  } else if (layout.columns.side !== undefined) {
    const words = [...SIDE_WORDS.buy, ...SIDE_WORDS.sell].join("/");
    arms.push(arm(`side IS NULL AND ${raw} <> ''`, 'side "', raw, `" is not buy or sell (${words})`));
  }
  return arms;
}

/**
 * SQL over a staged table: the row's first value problem as text, or NULL. Trades need the
 * staged `side_raw` column when the layout has a side (see `projection`).
 */
export function valueProblem(layout: DetectedLayout): string {
  const arms = layout.kind === "trades" ? tradeRules(layout) : barRules();
  return `CASE ${arms.join(" ")} END`;
}
