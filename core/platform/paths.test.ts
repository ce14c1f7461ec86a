import { describe, expect, it } from "vitest";
import { resolveDataDir } from "./paths.ts";

describe("resolveDataDir", () => {
  it("prefers --data-dir, then WORKSTATION_DATA_DIR, then the OS location", () => {
    const env = { WORKSTATION_DATA_DIR: "/env/dir" };
    expect(resolveDataDir({ flag: "/flag/dir", env })).toBe("/flag/dir");
    expect(resolveDataDir({ env })).toBe("/env/dir");
    expect(resolveDataDir({ env: {}, platform: "linux", home: "/home/u" })).toBe("/home/u/.local/share/workstation");
  });

  it("honours an absolute XDG_DATA_HOME and ignores a relative one", () => {
    expect(resolveDataDir({ env: { XDG_DATA_HOME: "/x" }, platform: "linux", home: "/h" })).toBe("/x/workstation");
    expect(resolveDataDir({ env: { XDG_DATA_HOME: "rel" }, platform: "linux", home: "/h" })).toBe("/h/.local/share/workstation");
  });

  it("uses Application Support on macOS and APPDATA on Windows", () => {
    expect(resolveDataDir({ env: {}, platform: "darwin", home: "/Users/u" })).toBe("/Users/u/Library/Application Support/Workstation");
    expect(resolveDataDir({ env: { APPDATA: "C:/AppData" }, platform: "win32", home: "C:/u" })).toContain("Workstation");
  });
});
