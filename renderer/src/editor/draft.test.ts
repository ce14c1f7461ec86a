import { describe, expect, it } from "vitest";
import type { StrategySummary } from "../../../common/api/ui.ts";
import { copyName, draftChanged, MAX_NAME_LENGTH, nameProblem } from "./draft.ts";

const templates = [{ source: "template A" }, { source: "template B" }];
const list: StrategySummary[] = [
  { id: 1, name: "Trend", updatedAt: 0, latestVersion: 2 },
  { id: 2, name: "Trend copy", updatedAt: 0, latestVersion: 1 },
];

describe("draftChanged", () => {
  it("compares an open strategy's draft with its saved source", () => {
    expect(draftChanged("code", { source: "code" }, templates)).toBe(false);
    expect(draftChanged("code\n", { source: "code" }, templates)).toBe(true);
    expect(draftChanged("template A", { source: "code" }, templates)).toBe(true);
  });

  it("treats an unsaved draft as changed unless it is an untouched template", () => {
    expect(draftChanged("template B", null, templates)).toBe(false);
    expect(draftChanged("template B // edited", null, templates)).toBe(true);
  });
});

describe("nameProblem", () => {
  it("accepts a free name and a strategy keeping its own name", () => {
    expect(nameProblem("Breakout", list, null)).toBeNull();
    expect(nameProblem("  Trend ", list, 1)).toBeNull();
  });

  it("explains an empty, too long or taken name", () => {
    expect(nameProblem("   ", list, null)).toBe("Enter a name");
    expect(nameProblem("x".repeat(MAX_NAME_LENGTH + 1), list, null)).toMatch(/at most 100 characters/);
    expect(nameProblem("x".repeat(MAX_NAME_LENGTH), list, null)).toBeNull();
    expect(nameProblem("Trend ", list, 2)).toBe('A strategy named "Trend" already exists');
    expect(nameProblem("Trend", list, null)).toBe('A strategy named "Trend" already exists');
  });
});

describe("copyName", () => {
  it("suggests the first free copy name", () => {
    expect(copyName("Breakout", list)).toBe("Breakout copy");
    expect(copyName("Trend", list)).toBe("Trend copy 2");
    const long = copyName("y".repeat(120), [{ id: 3, name: `${"y".repeat(95)} copy`, updatedAt: 0, latestVersion: 1 }]);
    expect(long.length).toBeLessThanOrEqual(MAX_NAME_LENGTH);
  });
});
