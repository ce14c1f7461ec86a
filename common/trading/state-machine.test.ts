import { describe, expect, it } from "vitest";
import { seededRandom } from "../random.ts";
import {
  IllegalTransition,
  ORDER_EVENT_KINDS,
  ORDER_STATUSES,
  ORDER_TRANSITIONS,
  TERMINAL_STATUSES,
  applyOrderEvent,
  type MachineOrder,
  type OrderEvent,
  type OrderStatus,
} from "./state-machine.ts";

/** A random event: any kind, fills of a random share of the order (sometimes too much). */
function randomEvent(rand: () => number, order: MachineOrder): OrderEvent {
  const kind = ORDER_EVENT_KINDS[Math.floor(rand() * ORDER_EVENT_KINDS.length)]!;
  if (kind !== "fill") return { kind };
  const left = order.size - order.filledSize;
  const r = rand();
  // Mostly legal sizes: the whole remainder, or a part of it; sometimes an overfill.
  const size = r < 0.3 ? left : r < 0.9 ? left * (0.1 + 0.8 * rand()) : left + order.size;
  return { kind: "fill", size };
}

describe("order state machine", () => {
  it("a seeded random walk: legal events move by the table, illegal ones are refused and change nothing", () => {
    const rand = seededRandom(21);
    const seen = new Set<OrderStatus>();
    const used = new Set<string>();
    for (let walk = 0; walk < 3000; walk++) {
      const order: MachineOrder = { status: "new", size: 1 + Math.floor(rand() * 10), filledSize: 0 };
      for (let step = 0; step < 12; step++) {
        seen.add(order.status);
        const before = { ...order };
        const event = randomEvent(rand, order);
        const allowed = ORDER_TRANSITIONS[before.status][event.kind];
        const overfill = event.kind === "fill" && before.filledSize + event.size > before.size * (1 + 1e-9);
        let threw: unknown = null;
        try {
          applyOrderEvent(order, event);
        } catch (e) {
          threw = e;
        }
        if (allowed === undefined || overfill) {
          expect(threw).toBeInstanceOf(allowed === undefined ? IllegalTransition : RangeError);
          expect(order).toEqual(before);
          continue;
        }
        expect(threw).toBeNull();
        used.add(`${before.status}:${event.kind}`);
        if (event.kind === "fill") {
          expect(order.filledSize).toBeGreaterThan(before.filledSize);
          expect(order.status).toBe(order.filledSize === order.size ? "filled" : "partially_filled");
        } else {
          expect(order.status).toBe(allowed);
          expect(order.filledSize).toBe(before.filledSize);
        }
        expect(order.filledSize).toBeLessThanOrEqual(order.size);
        if (order.status === "partially_filled") expect(order.filledSize).toBeGreaterThan(0);
        if (TERMINAL_STATUSES.has(order.status)) break;
      }
      seen.add(order.status);
    }
    expect([...seen].sort()).toEqual([...ORDER_STATUSES].sort());
    const legal = ORDER_STATUSES.flatMap((s) => Object.keys(ORDER_TRANSITIONS[s]).map((k) => `${s}:${k}`));
    expect([...used].sort()).toEqual(legal.sort());
  });

  it("terminal statuses accept no event at all", () => {
    for (const status of TERMINAL_STATUSES) {
      for (const kind of ORDER_EVENT_KINDS) {
        const order: MachineOrder = { status, size: 1, filledSize: status === "filled" ? 1 : 0 };
        const event: OrderEvent = kind === "fill" ? { kind, size: 0.5 } : { kind };
        expect(() => applyOrderEvent(order, event)).toThrow(IllegalTransition);
      }
    }
  });

  it("a duplicated fill that would overfill is refused; an unknown order recovers with the venue's answer", () => {
    const order: MachineOrder = { status: "new", size: 2, filledSize: 0 };
    applyOrderEvent(order, { kind: "submit" });
    applyOrderEvent(order, { kind: "lost" });
    expect(order.status).toBe("unknown");
    applyOrderEvent(order, { kind: "fill", size: 1.5 });
    expect(order.status).toBe("partially_filled");
    expect(() => applyOrderEvent(order, { kind: "fill", size: 1.5 })).toThrow(/overfill/);
    applyOrderEvent(order, { kind: "fill", size: 0.5 });
    expect(order).toEqual({ status: "filled", size: 2, filledSize: 2 });
  });
});
