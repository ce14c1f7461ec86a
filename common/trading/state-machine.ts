/**
 * The order state machine every broker (simulated, paper, live) drives an order through:
 *
 *   new → submitted → accepted → partially_filled → filled
 *
 * plus the terminal `canceled`, `rejected` and `expired`, and `unknown`: the order was sent and its
 * outcome is not known yet (a timeout, a dropped connection); only the venue's answer (or a status
 * query) moves it on. A transition table lists every legal (state, event) pair; anything else is
 * refused with {@link IllegalTransition}, so a duplicated or out-of-order venue message can never
 * resurrect a filled order or fill a cancelled one. Fill events carry sizes: whether a fill leaves
 * the order partially filled or filled is decided by the filled size, not by the caller.
 */

/** Every order status. */
export type OrderStatus = "new" | "submitted" | "accepted" | "partially_filled" | "filled" | "canceled" | "rejected" | "expired" | "unknown";

/** Every status, in lifecycle order. */
export const ORDER_STATUSES: readonly OrderStatus[] = ["new", "submitted", "accepted", "partially_filled", "filled", "canceled", "rejected", "expired", "unknown"];

/** Statuses no event leaves. */
export const TERMINAL_STATUSES: ReadonlySet<OrderStatus> = new Set<OrderStatus>(["filled", "canceled", "rejected", "expired"]);

/** Statuses of an order that may still fill (counted as open). */
export const OPEN_STATUSES: ReadonlySet<OrderStatus> = new Set<OrderStatus>(["new", "submitted", "accepted", "partially_filled", "unknown"]);

/** What can happen to an order. */
export type OrderEventKind = "submit" | "accept" | "reject" | "fill" | "cancel" | "expire" | "lost";

/** Every event kind. */
export const ORDER_EVENT_KINDS: readonly OrderEventKind[] = ["submit", "accept", "reject", "fill", "cancel", "expire", "lost"];

/**
 * The transition table: for each status, the events it accepts and where they lead. `fill` leads
 * to `partially_filled` here; {@link applyOrderEvent} turns it into `filled` when the size is done.
 * - `submit`: the order left for the venue (written to the store first);
 * - `lost`: sent, but no answer in time: `unknown` until the venue's state is learned;
 * - `reject`: refused (by the risk gate while `new`, by the venue, or by a fill-time check such as
 *   the paper broker's cash check, which a backtest also applies when the order would fill);
 * - `cancel`/`expire`: the venue (or the paper broker) ended it; IOC remainders expire.
 */
export const ORDER_TRANSITIONS: Readonly<Record<OrderStatus, Partial<Record<OrderEventKind, OrderStatus>>>> = {
  new: { submit: "submitted", reject: "rejected", cancel: "canceled" },
  submitted: { accept: "accepted", reject: "rejected", fill: "partially_filled", cancel: "canceled", expire: "expired", lost: "unknown" },
  accepted: { reject: "rejected", fill: "partially_filled", cancel: "canceled", expire: "expired", lost: "unknown" },
  partially_filled: { fill: "partially_filled", cancel: "canceled", expire: "expired", lost: "unknown" },
  unknown: { accept: "accepted", reject: "rejected", fill: "partially_filled", cancel: "canceled", expire: "expired" },
  filled: {},
  canceled: {},
  rejected: {},
  expired: {},
};

/** An event the table refuses. */
export class IllegalTransition extends Error {
  readonly from: OrderStatus;
  readonly event: OrderEventKind;
  constructor(from: OrderStatus, event: OrderEventKind) {
    super(`order event "${event}" is not allowed in status "${from}"`);
    this.from = from;
    this.event = event;
  }
}

/** The order fields the machine reads and moves. */
export interface MachineOrder {
  status: OrderStatus;
  size: number;
  filledSize: number;
}

/** One event; `fill` carries its size. */
export type OrderEvent = { kind: Exclude<OrderEventKind, "fill"> } | { kind: "fill"; size: number };

/** Sizes within this fraction of the order size count as the whole order (float noise). */
const SIZE_EPSILON = 1e-9;

/** The status after `event`, or throws {@link IllegalTransition} (and a RangeError for a bad fill size). */
export function nextStatus(order: MachineOrder, event: OrderEvent): OrderStatus {
  const to = ORDER_TRANSITIONS[order.status][event.kind];
  if (to === undefined) throw new IllegalTransition(order.status, event.kind);
  if (event.kind !== "fill") return to;
  if (!Number.isFinite(event.size) || event.size <= 0) throw new RangeError(`a fill size must be above 0 (got ${event.size})`);
  const filled = order.filledSize + event.size;
  if (filled > order.size * (1 + SIZE_EPSILON)) throw new RangeError(`a fill of ${event.size} would overfill the order (${order.filledSize} of ${order.size} filled)`);
  return order.size - filled <= order.size * SIZE_EPSILON ? "filled" : "partially_filled";
}

/** Applies `event` to `order` in place (status and filled size); throws when the table refuses it. */
export function applyOrderEvent(order: MachineOrder, event: OrderEvent): OrderStatus {
  const to = nextStatus(order, event);
  if (event.kind === "fill") order.filledSize = to === "filled" ? order.size : order.filledSize + event.size;
  order.status = to;
  return to;
}

/** True when the order may still fill. */
export function isOpenStatus(status: OrderStatus): boolean {
  return OPEN_STATUSES.has(status);
}
