/** The password rules: length, and the shipped list of the 10,000 most common passwords. */
import fs from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { passwordProblem } from "./password-policy.ts";

const list = fs.readFileSync(path.join(import.meta.dirname, "common-passwords.txt"), "utf8").split("\n").filter((l) => l !== "");

describe("passwordProblem", () => {
  it("ships exactly 10,000 distinct lowercase common passwords with their licence", () => {
    expect(list).toHaveLength(10_000);
    expect(new Set(list).size).toBe(10_000);
    expect(list.every((p) => p === p.toLowerCase())).toBe(true);
    expect(list.slice(0, 3)).toEqual(["123456", "password", "12345678"]);
    expect(fs.readFileSync(path.join(import.meta.dirname, "common-passwords.LICENSE"), "utf8")).toContain("MIT License");
  });

  it("refuses a short password and an exact case-insensitive match of the list, and accepts others", () => {
    expect(passwordProblem("short-one")).toContain("at least 12 characters");
    expect(passwordProblem("QWERTY123456")).toContain("common passwords");
    expect(passwordProblem("1qaz2wsx3edc")).toContain("common passwords");
    expect(passwordProblem("qwerty123456!")).toBeNull();
    expect(passwordProblem("plover-umbrella-quartz-71")).toBeNull();
  });
});
