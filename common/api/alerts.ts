/** The `alerts.*` part of the API map: rules (add, list, pause, remove), the fire log and live fires. */
import { z } from "zod";
import type { AlertRule, KeyedFire } from "../alerts/types.ts";
import { method, stream } from "./define.ts";

/** A stored rule with its state. */
export interface AlertRuleRow {
  rule: AlertRule;
  /** Why the rule is not firing (paused by the user, or by flood control), else null. */
  paused: string | null;
  /** A `once` rule that has fired. */
  firedOnce: boolean;
  /** Venue time of the first trade the rule was evaluated on; a catch-up starts there. */
  evaluatedFrom: number | null;
  /** Venue time up to which the rule's series has been evaluated. */
  evaluatedUntil: number | null;
  createdAt: number;
}

/** One delivery of a fire. */
export interface AlertDeliveryRow {
  channel: "desktop" | "webhook";
  status: "pending" | "delivered" | "dead";
  attempts: number;
  error: string | null;
}

/** A fire in the log: `lateMs` is set when it was found on catch-up after a restart or a sleep. */
export interface AlertLogEntry extends KeyedFire {
  lateMs: number | null;
  deliveries: AlertDeliveryRow[];
}

const id = z.string().min(1).max(64);

/** Requests and streams of alerts. */
export const alertsApi = {
  "alerts.add": method(z.object({ rule: z.unknown() })).returns<AlertRuleRow>(),
  "alerts.list": method(z.object({})).returns<AlertRuleRow[]>(),
  "alerts.remove": method(z.object({ id })).returns<{ removed: boolean }>(),
  "alerts.pause": method(z.object({ id, paused: z.boolean() })).returns<AlertRuleRow>(),
  "alerts.log": method(z.object({ rule: id.optional(), since: z.number().int().optional(), limit: z.number().int().min(1).max(10_000).default(200) })).returns<AlertLogEntry[]>(),
  "alerts.fires": stream(z.object({}), "batch").emits<AlertLogEntry>(),
};
