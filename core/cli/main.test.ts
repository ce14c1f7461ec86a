import { describe, expect, it } from "vitest";
import { runCli } from "./main.ts";
import type { CliIo } from "./command.ts";
import { VERSION } from "../version.ts";

function capture(): CliIo & { stdout: string[]; stderr: string[] } {
  const stdout: string[] = [];
  const stderr: string[] = [];
  return { stdout, stderr, out: (l) => stdout.push(l), err: (l) => stderr.push(l), env: {} };
}

describe("workstation CLI", () => {
  it("prints the version on stdout", async () => {
    const io = capture();
    expect(await runCli(["--version"], io)).toBe(0);
    expect(io.stdout).toEqual([VERSION]);
  });

  it("lists commands in --help and explains each command's options", async () => {
    const io = capture();
    expect(await runCli(["--help"], io)).toBe(0);
    expect(io.stdout[0]).toContain("serve");
    const sub = capture();
    expect(await runCli(["serve", "--help"], sub)).toBe(0);
    expect(sub.stdout[0]).toContain("--port");
    expect(sub.stdout[0]).toContain("--data-dir");
  });

  it("answers an unknown command or bad option with one line on stderr and a non-zero exit", async () => {
    for (const argv of [["frobnicate"], ["serve", "--bogus"], ["serve", "--port", "http"], ["serve", "--port", "70000"]]) {
      const io = capture();
      expect(await runCli(argv, io)).toBe(2);
      expect(io.stderr).toHaveLength(1);
      expect(io.stdout).toEqual([]);
    }
  });
});
