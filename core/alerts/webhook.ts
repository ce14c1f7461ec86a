/**
 * Webhook delivery of alert fires: a JSON POST with `X-Workstation-Signature: sha256=<hex
 * HMAC-SHA256 of the raw body with the rule's secret>` (when the rule names a keychain secret) and
 * `X-Workstation-Idempotency-Key: <fire key>`, a 3 s timeout, retries with exponential backoff and,
 * after the last attempt, the dead-letter list (the delivery's `dead` status in the log). Deliveries
 * are read from the database, so a restart resumes them with the same key and body; sending runs off
 * the evaluation path, a few at a time and at most two per target, so a hanging or failing target
 * slows neither evaluation nor other rules' webhooks.
 */
import crypto from "node:crypto";
import type { AlertRule } from "../../common/alerts/types.ts";
import type { AlertDb, PendingDelivery } from "./alert-db.ts";

/** Deliveries in flight to one origin at most. */
const PER_ORIGIN = 2;

/** HTTP POST of a body; resolves with the status code or rejects (timeout, connection refused). */
export type WebhookPost = (url: string, body: string, headers: Record<string, string>, timeoutMs: number) => Promise<number>;

/** The platform `fetch` as a {@link WebhookPost}. */
export const fetchPost: WebhookPost = async (url, body, headers, timeoutMs) => {
  const res = await fetch(url, { method: "POST", body, headers, signal: AbortSignal.timeout(timeoutMs), redirect: "manual" });
  await res.body?.cancel();
  return res.status;
};

/** The signature header value of `body` with `secret`. */
export function signBody(body: string, secret: string): string {
  return `sha256=${crypto.createHmac("sha256", secret).update(body, "utf8").digest("hex")}`;
}

/** Options of a {@link WebhookDispatcher}. */
export interface WebhookOptions {
  db: AlertDb;
  rule: (id: string) => AlertRule | undefined;
  /** A keychain secret by name, or null when there is none. */
  secret: (name: string) => Promise<string | null>;
  post?: WebhookPost;
  now?: () => number;
  timeoutMs?: number;
  /** Attempts before the dead-letter list; default 6. */
  maxAttempts?: number;
  /** First retry delay, doubled each attempt; default 1,000 ms. */
  backoffMs?: number;
  /** Deliveries in flight at once; default 8. */
  concurrency?: number;
  onError?: (message: string) => void;
}

/** Sends pending webhook deliveries; call `kick()` when new ones are queued. */
export class WebhookDispatcher {
  private readonly o: Required<Omit<WebhookOptions, "onError">> & Pick<WebhookOptions, "onError">;
  private readonly inFlight = new Set<string>();
  /** Deliveries in flight per target origin: one slow target cannot take every slot. */
  private readonly perOrigin = new Map<string, number>();
  private timer: NodeJS.Timeout | null = null;
  private stopped = false;
  private idle: (() => void)[] = [];

  constructor(options: WebhookOptions) {
    const given = Object.fromEntries(Object.entries(options).filter(([, v]) => v !== undefined)) as WebhookOptions;
    this.o = { post: fetchPost, now: Date.now, timeoutMs: 3000, maxAttempts: 6, backoffMs: 1000, concurrency: 8, ...given };
  }

  /** Looks for due deliveries now (and schedules the next look). */
  kick(): void {
    if (this.stopped) return;
    try {
      for (const d of this.o.db.due("webhook", this.o.now(), 500)) {
        if (this.inFlight.size >= this.o.concurrency) break;
        const origin = this.originOf(d);
        if (this.inFlight.has(d.fire.key) || (this.perOrigin.get(origin) ?? 0) >= PER_ORIGIN) continue;
        this.send(d, origin);
      }
    } catch (err) {
      this.o.onError?.(`webhook queue unreadable: ${(err as Error).message}`);
    }
    this.schedule();
    if (this.inFlight.size === 0) for (const f of this.idle.splice(0)) f();
  }

  /** Resolves when nothing is in flight (tests). */
  settled(): Promise<void> {
    if (this.inFlight.size === 0) return Promise.resolve();
    return new Promise((resolve) => this.idle.push(resolve));
  }

  /** Stops scheduling; deliveries in flight finish on their own. */
  stop(): void {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
  }

  private schedule(): void {
    if (this.timer || this.stopped) return;
    this.timer = setTimeout(() => {
      this.timer = null;
      this.kick();
    }, Math.min(1000, this.o.backoffMs));
    this.timer.unref();
  }

  private originOf(d: PendingDelivery): string {
    const url = this.o.rule(d.fire.rule)?.deliver.webhook?.url;
    return url && URL.canParse(url) ? new URL(url).origin : "";
  }

  private send(d: PendingDelivery, origin: string): void {
    this.inFlight.add(d.fire.key);
    this.perOrigin.set(origin, (this.perOrigin.get(origin) ?? 0) + 1);
    void this.attempt(d).finally(() => {
      this.inFlight.delete(d.fire.key);
      const left = (this.perOrigin.get(origin) ?? 1) - 1;
      if (left > 0) this.perOrigin.set(origin, left);
      else this.perOrigin.delete(origin);
      this.kick();
    });
  }

  private async attempt(d: PendingDelivery): Promise<void> {
    const attempts = d.attempts + 1;
    const rule = this.o.rule(d.fire.rule);
    const hook = rule?.deliver.webhook;
    const fail = (error: string, retry: boolean): void => {
      const nextAt = retry && attempts < this.o.maxAttempts ? this.o.now() + this.o.backoffMs * 2 ** (attempts - 1) : null;
      this.o.db.failed(d.fire, "webhook", attempts, error, nextAt, this.o.now());
      if (nextAt === null) this.o.onError?.(`webhook of ${d.fire.key} dead-lettered: ${error}`);
    };
    if (!rule || !hook) return fail("the rule or its webhook was removed", false);
    const body = JSON.stringify({ key: d.fire.key, rule: rule.id, venue: rule.venue, symbol: rule.symbol, timeframe: rule.timeframe, time: d.fire.time, barTime: d.fire.barTime, value: d.fire.value, message: d.fire.message, lateMs: d.fire.lateMs });
    const headers: Record<string, string> = { "content-type": "application/json", "x-workstation-idempotency-key": d.fire.key };
    if (hook.secretKey !== undefined) {
      const secret = await this.o.secret(hook.secretKey).catch((err: unknown) => {
        fail(`keychain: ${(err as Error).message}`, true);
        return undefined;
      });
      if (secret === undefined) return;
      if (secret === null) return fail(`no secret named ${hook.secretKey} in the keychain`, true);
      headers["x-workstation-signature"] = signBody(body, secret);
    }
    try {
      const status = await this.o.post(hook.url, body, headers, this.o.timeoutMs);
      if (status >= 200 && status < 300) this.o.db.delivered(d.fire, "webhook", attempts, this.o.now());
      else fail(`HTTP ${status}`, status >= 500 || status === 408 || status === 429);
    } catch (err) {
      fail((err as Error).name === "TimeoutError" ? `no answer within ${this.o.timeoutMs} ms` : (err as Error).message, true);
    }
  }
}
