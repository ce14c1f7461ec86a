import { describe, expect, it } from "vitest";
import { workerEnv } from "./entry.ts";

describe("worker environment", () => {
  it.runIf(process.platform === "linux")("asks glibc for huge pages, keeping other tunables and the rest of the environment", () => {
    expect(workerEnv({ A: "1" })).toEqual({ A: "1", GLIBC_TUNABLES: "glibc.malloc.hugetlb=1" });
    expect(workerEnv({ GLIBC_TUNABLES: "glibc.malloc.arena_max=2:glibc.malloc.hugetlb=0" }).GLIBC_TUNABLES).toBe("glibc.malloc.arena_max=2:glibc.malloc.hugetlb=1");
  });
});
