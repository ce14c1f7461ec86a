/**
 * The checks a rule passes before the alerts service runs it: its shape (`parseRule`), an
 * instrument the venue lists (when its list is known), a venue this core has, and, for a strategy
 * rule, a saved strategy of that name; a screen rule, a universe and columns its screen can use
 * (its venue is "screener", which no feed has). Each failure is a bad_request naming the field.
 */
import { parseRule } from "../../common/alerts/rule.ts";
import type { AlertRule } from "../../common/alerts/types.ts";
import { ApiError } from "../../common/api/index.ts";
import type { ScreenRules } from "./screen-rule.ts";
import type { AlertFeed, AlertStrategies } from "./service.ts";

/** Validates a rule for this core's feed and strategy library. */
export function checkRule(raw: unknown, feed: Pick<AlertFeed, "knownSymbol" | "venueProblem">, strategies: Pick<AlertStrategies, "exists"> | undefined, screens?: Pick<ScreenRules, "check">): AlertRule {
  let rule: AlertRule;
  try {
    rule = parseRule(raw, { knownSymbol: (v, s) => feed.knownSymbol(v, s) });
  } catch (err) {
    throw new ApiError("bad_request", (err as Error).message);
  }
  if (rule.condition.type === "screen") {
    if (!screens) throw new ApiError("bad_request", "rule.condition.type: screen alerts are not available here");
    screens.check(rule);
    return rule;
  }
  const venueProblem = feed.venueProblem(rule.venue);
  if (venueProblem) throw new ApiError("bad_request", `rule.venue: ${venueProblem}`);
  if (rule.condition.type === "strategy") {
    if (!strategies) throw new ApiError("bad_request", "rule.condition.type: strategy alerts are not available here");
    if (!strategies.exists(rule.condition.strategy)) throw new ApiError("bad_request", `rule.condition.strategy: no saved strategy named ${rule.condition.strategy}`);
  }
  return rule;
}
