import { describe, expect, it } from "vitest";
import { initialFormOpen, WIDE_SCREEN } from "./view.ts";

describe("initialFormOpen", () => {
  it("starts collapsed at 1366 px and open on a wide screen", () => {
    expect(initialFormOpen(null, 1366)).toBe(false);
    expect(initialFormOpen(null, WIDE_SCREEN)).toBe(true);
  });

  it("keeps the user's choice whatever the width", () => {
    expect(initialFormOpen("open", 1024)).toBe(true);
    expect(initialFormOpen("closed", 2560)).toBe(false);
    expect(initialFormOpen("junk", 1366)).toBe(false);
  });
});
