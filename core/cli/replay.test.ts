import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import type { CliIo } from "./command.ts";
import { runCli } from "./main.ts";

const ROOT = path.resolve(import.meta.dirname, "..", "..");
const fixture = (venue: string, file = "session.jsonl") => path.join(ROOT, "core", "venues", venue, "fixtures", file);

function capture(): CliIo & { stdout: string[]; stderr: string[] } {
  const stdout: string[] = [];
  const stderr: string[] = [];
  return { stdout, stderr, out: (l) => stdout.push(l), err: (l) => stderr.push(l), env: {} };
}

describe("workstation replay", () => {
  it.each(["kraken", "coinbase", "binance"])("prints the %s fixture's events as NDJSON, exit 0", async (venue) => {
    const io = capture();
    const code = await runCli(["replay", "--venue", venue, "--input", fixture(venue)], io);
    expect(code).toBe(0);
    const expected = readFileSync(fixture(venue, "expected.ndjson"), "utf8").trim().split("\n").map((l) => JSON.parse(l) as unknown);
    expect(io.stdout.map((l) => JSON.parse(l) as unknown)).toEqual(expected);
    expect(io.stderr.at(-1)).toMatch(new RegExp(`^${venue}: \\d+ frames`));
  });

  it("runs as a process: stdout carries only NDJSON", () => {
    const node = process.execPath;
    const r = spawnSync(node, ["--no-node-snapshot", path.join(ROOT, "core", "cli", "main.ts"), "replay", "--venue", "binance", "--input", fixture("binance")], { encoding: "utf8" });
    expect(r.status).toBe(0);
    const lines = r.stdout.trim().split("\n");
    expect(lines.length).toBe(readFileSync(fixture("binance", "expected.ndjson"), "utf8").trim().split("\n").length);
    for (const l of lines) expect(() => JSON.parse(l) as unknown).not.toThrow();
    expect(r.stderr).toContain("venue error");
  });

  it("skips bad recording lines and still exits 0", async () => {
    const dir = mkdtempSync(path.join(tmpdir(), "replay-"));
    const file = path.join(dir, "rec.jsonl");
    writeFileSync(file, ['not json', '{"t":1,"frame":"{\\"channel\\":\\"heartbeat\\"}"}', '{"t":2,"frame":"{oops"}', ""].join("\n"));
    const io = capture();
    expect(await runCli(["replay", "--venue", "kraken", "--input", file], io)).toBe(0);
    expect(io.stdout).toEqual(['{"type":"error","exchange":"kraken","reason":"malformed_frame"}']);
    expect(io.stderr[0]).toMatch(/line 1: skipped/);
  });

  it("exits 1 when the file cannot be read and 2 on bad arguments", async () => {
    expect(await runCli(["replay", "--venue", "kraken", "--input", "/nonexistent/x.jsonl"], capture())).toBe(1);
    expect(await runCli(["replay", "--venue", "ftx", "--input", "x"], capture())).toBe(2);
    expect(await runCli(["replay", "--input", "x"], capture())).toBe(2);
    expect(await runCli(["replay", "--venue", "kraken"], capture())).toBe(2);
  });
});
