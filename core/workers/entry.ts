/** Finds the strategy host entry: the TypeScript source in a checkout, the bundle in a package. */
import fs from "node:fs";
import { fileURLToPath } from "node:url";

/** Absolute path of the worker entry script. */
export function defaultWorkerEntry(): string {
  const candidates = [
    new URL("../../worker/host.ts", import.meta.url),
    new URL("../worker/host.js", import.meta.url),
    new URL("./worker/host.js", import.meta.url),
  ];
  for (const candidate of candidates) {
    const file = fileURLToPath(candidate);
    if (fs.existsSync(file)) return file;
  }
  throw new Error("strategy host entry not found (worker/host.ts or worker/host.js)");
}

/**
 * V8 flags of the strategy workers (also applied to the benchmark's plain-JS peer, so the two run
 * the same compiler and heap settings):
 * - TurboFan's default budget of 920 bytecode bytes inlined into one function is used up by the
 *   bar loop before the strategy's `onBar` gets its indicators' `update` inlined, and every double
 *   that then crosses a call is boxed — measured ~90 bytes allocated per bar for the SMA(10/30)
 *   template with the default, ~28 with 3000, and ~15 % less CPU for the run;
 * - a fresh isolate's young generation starts at 1 MB and grows slowly, so a single backtest (a new
 *   isolate each) scavenged 12–17 times per 1M bars, each copying the run's live orders and trades
 *   again (26–68 ms); starting at 8 MB: 3–10 times (8–27 ms). Memory: at most ~16 MB more per isolate.
 */
export const WORKER_V8_FLAGS = ["--max-inlined-bytecode-size-cumulative=3000", "--min-semi-space-size=8"];

/** Node flags every worker runs with: isolated-vm needs `--no-node-snapshot`; {@link WORKER_V8_FLAGS}. */
export const WORKER_EXEC_ARGV = ["--no-node-snapshot", ...WORKER_V8_FLAGS];

/**
 * What pins a worker's clock zone and locale: strategies see UTC and en-US whatever the host's
 * `TZ`, `LANG` or `LC_*` (V8 and ICU read them when the process starts), so `Date#getHours`,
 * `toString`, `toLocaleString` and the `Intl` defaults give the same results everywhere.
 */
export const PINNED_LOCALE_ENV = { TZ: "UTC", LANG: "en_US.UTF-8", LC_ALL: "en_US.UTF-8" } as const;

/**
 * Environment of a worker process: the parent's with {@link PINNED_LOCALE_ENV} (and no
 * `LANGUAGE`), plus glibc's `malloc.hugetlb=1` tunable on Linux,
 * so the large shared buffers bars are read into are backed by transparent huge pages (glibc
 * advises them for its mmap'd chunks; the system default is "madvise"). A fresh 48 MB buffer then
 * costs ~24 page faults instead of ~12,000 — measured 8–12 ms instead of ~200 ms on this machine's
 * VM, where a page fault is expensive. Other systems ignore the variable.
 */
export function workerEnv(base: NodeJS.ProcessEnv = process.env): NodeJS.ProcessEnv {
  const { LANGUAGE: _language, ...rest } = base;
  const pinned: NodeJS.ProcessEnv = { ...rest, ...PINNED_LOCALE_ENV };
  if (process.platform !== "linux") return pinned;
  const tunables = base.GLIBC_TUNABLES?.split(":").filter((t) => t !== "" && !t.startsWith("glibc.malloc.hugetlb=")) ?? [];
  return { ...pinned, GLIBC_TUNABLES: [...tunables, "glibc.malloc.hugetlb=1"].join(":") };
}
