/** The hybrid logical clock and the per-field last-writer-wins merge with tombstones. */
import { describe, expect, it } from "vitest";
import { formatHlc, HybridClock, parseHlc } from "./hlc.ts";
import { conflictingFields, DELETED, fieldValues, isDeleted, mergeFields, type FieldMap } from "./merge.ts";

describe("hybrid logical clock", () => {
  it("is monotonic when the wall clock stalls or goes back, and passes remote times", () => {
    let now = 1000;
    const clock = new HybridClock("a", undefined, () => now);
    const t1 = clock.tick();
    now = 900;
    const t2 = clock.tick();
    expect(t2 > t1).toBe(true);
    clock.receive(formatHlc({ wall: 5000, counter: 7, node: "b" }));
    const t3 = clock.tick();
    expect(parseHlc(t3)).toEqual({ wall: 5000, counter: 8, node: "a" });
  });
});

describe("per-field last-writer-wins merge", () => {
  const a: FieldMap = { theme: { hlc: "2", value: "dark" }, tz: { hlc: "1", value: "UTC" } };
  const b: FieldMap = { theme: { hlc: "1", value: "light" }, tz: { hlc: "3", value: "Europe/Paris" } };

  it("takes the later write of each field, whatever the order", () => {
    expect(mergeFields(a, b)).toEqual(mergeFields(b, a));
    expect(fieldValues(mergeFields(a, b))).toEqual({ theme: "dark", tz: "Europe/Paris" });
    expect(conflictingFields({}, a, b).sort()).toEqual(["theme", "tz"]);
  });

  it("treats a later tombstone as a delete and a later write as a resurrection", () => {
    const dead = mergeFields(a, { [DELETED]: { hlc: "5", value: true } });
    expect(isDeleted(dead)).toBe(true);
    expect(isDeleted(mergeFields(dead, { theme: { hlc: "6", value: "dark" } }))).toBe(false);
  });
});
