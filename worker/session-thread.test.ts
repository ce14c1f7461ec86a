import { describe, expect, it } from "vitest";
import { INFLIGHT_SLOTS, InflightSlots } from "./session-thread.ts";

describe("the session thread's in-flight slots", () => {
  it("the main thread sees what runs, takes only what it picks, each once, and a left slot is free again", () => {
    const buffer = new SharedArrayBuffer(InflightSlots.bytes());
    const thread = new InflightSlots(buffer);
    const main = new InflightSlots(buffer);
    const a = thread.enter({ id: 7, dueBy: 1000, limitMb: 64 });
    thread.enter({ id: 8, dueBy: 0, limitMb: 64 });
    const seen: number[] = [];
    expect(main.list((r) => (seen.push(r.id), false))).toEqual([]);
    expect(seen).toEqual([7, 8]);
    expect(main.list((r) => r.dueBy !== 0 && r.dueBy < 2000)).toEqual([{ id: 7, dueBy: 1000, limitMb: 64 }]);
    expect(main.list(() => true)).toEqual([{ id: 8, dueBy: 0, limitMb: 64 }]);
    thread.leave(a);
    expect(main.list(() => true)).toEqual([]);
  });

  it("says when no slot is free", () => {
    const slots = new InflightSlots(new SharedArrayBuffer(InflightSlots.bytes()));
    for (let i = 1; i <= INFLIGHT_SLOTS; i++) expect(slots.enter({ id: i, dueBy: 0, limitMb: 1 })).toBeGreaterThanOrEqual(0);
    expect(slots.enter({ id: 999, dueBy: 0, limitMb: 1 })).toBe(-1);
  });
});
