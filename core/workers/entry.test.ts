import { describe, expect, it } from "vitest";
import { PINNED_LOCALE_ENV, workerEnv } from "./entry.ts";

describe("worker environment", () => {
  it.runIf(process.platform === "linux")("asks glibc for huge pages, keeping other tunables and the rest of the environment", () => {
    expect(workerEnv({ A: "1" })).toEqual({ A: "1", ...PINNED_LOCALE_ENV, GLIBC_TUNABLES: "glibc.malloc.hugetlb=1" });
    expect(workerEnv({ GLIBC_TUNABLES: "glibc.malloc.arena_max=2:glibc.malloc.hugetlb=0" }).GLIBC_TUNABLES).toBe("glibc.malloc.arena_max=2:glibc.malloc.hugetlb=1");
  });

  it("pins the time zone and locale whatever the parent's", () => {
    const env = workerEnv({ TZ: "Asia/Kolkata", LANG: "de_DE.UTF-8", LC_ALL: "de_DE.UTF-8", LANGUAGE: "de", A: "1" });
    expect(env).toMatchObject({ TZ: "UTC", LANG: "en_US.UTF-8", LC_ALL: "en_US.UTF-8", A: "1" });
    expect(env.LANGUAGE).toBeUndefined();
  });
});
