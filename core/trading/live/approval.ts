/**
 * The approval gate of live trading: the first live deployment of a strategy version — its source
 * and parameters, on a venue, environment, account and symbol — must be approved by a person after
 * seeing a summary (venue, account, symbol, timeframe, risk limits) and a diff against the version
 * last approved; a changed strategy, or the same one pointed somewhere else, needs approval again.
 * Approvals are stored in the order layer's state (`live.approval.<strategy>`).
 */
import { createHash } from "node:crypto";
import type { RiskLimits } from "../risk.ts";
import type { TradingStore } from "../store.ts";

/** What is being deployed. */
export interface Deployment {
  strategy: string;
  source: string;
  params: Record<string, unknown>;
  venue: string;
  env: string;
  account: string;
  symbol: string;
  timeframe: string;
  limits: RiskLimits;
}

/** A stored approval. */
export interface Approval extends Deployment {
  version: string;
  approvedAt: number;
}

/** The version of a strategy: the first 12 hex of SHA-256 over its source and parameters. */
export function strategyVersion(source: string, params: Record<string, unknown>): string {
  return createHash("sha256").update(source).update("\u0000").update(JSON.stringify(params)).digest("hex").slice(0, 12);
}

const keyOf = (strategy: string) => `live.approval.${strategy}`;

/** The approval on record for a strategy, if any. */
export function lastApproval(store: TradingStore, strategy: string): Approval | undefined {
  return store.getState<Approval>(keyOf(strategy));
}

/** True when `d` is exactly what was approved last. */
export function isApproved(store: TradingStore, d: Deployment): boolean {
  const a = lastApproval(store, d.strategy);
  return a !== undefined && a.version === strategyVersion(d.source, d.params) && a.venue === d.venue && a.env === d.env && a.account === d.account && a.symbol === d.symbol && a.timeframe === d.timeframe;
}

/** Records the approval of `d`. */
export function approve(store: TradingStore, d: Deployment, now: number): Approval {
  const a: Approval = { ...d, version: strategyVersion(d.source, d.params), approvedAt: now };
  store.setState(keyOf(d.strategy), a);
  return a;
}

/** A line diff (`-` removed, `+` added, two spaces kept) from the longest common subsequence. */
export function lineDiff(before: string, after: string): string[] {
  const a = before.split("\n");
  const b = after.split("\n");
  const lcs: number[][] = Array.from({ length: a.length + 1 }, () => new Array<number>(b.length + 1).fill(0));
  for (let i = a.length - 1; i >= 0; i--) for (let j = b.length - 1; j >= 0; j--) lcs[i]![j] = a[i] === b[j] ? lcs[i + 1]![j + 1]! + 1 : Math.max(lcs[i + 1]![j]!, lcs[i]![j + 1]!);
  const out: string[] = [];
  let i = 0;
  let j = 0;
  while (i < a.length || j < b.length) {
    if (i < a.length && j < b.length && a[i] === b[j]) {
      out.push(`  ${a[i++]}`);
      j++;
    } else if (j < b.length && (i >= a.length || lcs[i]![j + 1]! >= lcs[i + 1]![j]!)) out.push(`+ ${b[j++]}`);
    else out.push(`- ${a[i++]}`);
  }
  return out;
}

const limitText = (x: number) => (Number.isFinite(x) ? String(x) : "none");

/** The summary a person approves: what, where, the risk limits, and what changed since the last approval. */
export function approvalSummary(store: TradingStore, d: Deployment): string[] {
  const last = lastApproval(store, d.strategy);
  const l = d.limits;
  const lines = [
    `LIVE deployment of ${d.strategy} version ${strategyVersion(d.source, d.params)}`,
    `  venue ${d.venue} (${d.env}), account ${d.account}, symbol ${d.symbol}, timeframe ${d.timeframe}`,
    `  params ${JSON.stringify(d.params)}`,
    `  risk limits: max order notional ${limitText(l.maxOrderNotional)}, max position ${limitText(l.maxPosition)}, max open orders ${limitText(l.maxOpenOrders)}, daily loss ${limitText(l.maxDailyLossLedger)} (strategy) / ${limitText(l.maxDailyLossAccount)} (account), price band ${l.priceBand * 100} %`,
  ];
  if (!last) return [...lines, "  no version of this strategy was approved before"];
  lines.push(`  last approved: version ${last.version} on ${last.venue} (${last.env}) ${last.symbol} ${last.timeframe}, ${new Date(last.approvedAt).toISOString()}`);
  const diff = approvalDiff(last, d);
  return [...lines, diff.length > 0 ? "  changes since the last approved version:" : "  the source is unchanged", ...diff.map((x) => `    ${x}`)];
}

/** The changed lines of `d` against the approval `last` (source lines, then params), `- old` / `+ new`. */
export function approvalDiff(last: Approval, d: Deployment): string[] {
  const diff = lineDiff(last.source, d.source).filter((x) => !x.startsWith("  "));
  if (JSON.stringify(last.params) !== JSON.stringify(d.params)) diff.push(`- params ${JSON.stringify(last.params)}`, `+ params ${JSON.stringify(d.params)}`);
  return diff;
}
