/**
 * CPU and wake-up rows of `npm run bench:trading` (figures, not a test; robust on a busy machine,
 * where wall-clock latency mostly measures the scheduler): 10 sandboxed sessions on the worker
 * pool take `bars` bars, all 10 steps of a bar at once, each bar after the last one's answers; per
 * bar, the CPU time of core and the workers (every thread, from /proc/PID/task/ *\/schedstat) and
 * their context switches (every thread's voluntary + involuntary, a thread wake-up each roughly),
 * for steps over the session channel (session thread) against steps over IPC (isolated-vm's
 * threads). Linux only (elsewhere no rows). Run alone with `node --no-node-snapshot bench/trading-cpu.ts`.
 */
import fs from "node:fs";
import { fileURLToPath } from "node:url";
import { silentLogger } from "../core/log.ts";
import { compileStrategy } from "../core/strategy/compile.ts";
import { resolveLimits } from "../core/strategy/runner.ts";
import { WorkerSessionHost } from "../core/trading/session-host.ts";
import { WORKER_EXEC_ARGV, defaultWorkerEntry } from "../core/workers/entry.ts";
import { WorkerPool } from "../core/workers/pool.ts";

/** The benchmark's strategy: two SMAs updated each bar, a buy or a sell every bar. */
export const BENCH_STRATEGY = `import { defineStrategy } from "workstation";
export default defineStrategy({
  params: {},
  setup: ({ ta }) => ({ fast: ta.sma(5), slow: ta.sma(20) }),
  onBar(bar, ctx, s) {
    s.fast.update(bar.close);
    s.slow.update(bar.close);
    if (ctx.barIndex % 2 === 0) ctx.buy(0.001);
    else ctx.sell(0.001);
  },
});
`;

/** CPU ns and context switches of every thread of `pid`. */
function threadsOf(pid: number): { cpuNs: number; switches: number } {
  let cpuNs = 0;
  let switches = 0;
  for (const tid of fs.readdirSync(`/proc/${pid}/task`)) {
    try {
      cpuNs += Number(fs.readFileSync(`/proc/${pid}/task/${tid}/schedstat`, "utf8").split(" ")[0]);
      const status = fs.readFileSync(`/proc/${pid}/task/${tid}/status`, "utf8");
      for (const m of status.matchAll(/ctxt_switches:\s+(\d+)/g)) switches += Number(m[1]);
    } catch {
      // the thread ended meanwhile
    }
  }
  return { cpuNs, switches };
}

/** Per-bar CPU (ms) and context switches of core and the workers over `bars` bars of 10 sessions. */
async function perBar(source: string, sessionChannel: boolean, bars: number): Promise<{ coreMs: number; workersMs: number; switches: number }> {
  const pool = new WorkerPool({ size: 2, entry: defaultWorkerEntry(), execArgv: WORKER_EXEC_ARGV, log: silentLogger(), sessionChannel });
  await pool.warmUp();
  const strategy = await compileStrategy(source, "bench.ts", {});
  const hosts = Array.from({ length: 10 }, (_, i) => new WorkerSessionHost(pool, { id: `s${i}`, strategy, symbol: "BTC/USD", cash: 1_000_000, params: {}, limits: resolveLimits(), historyBars: 10 }));
  for (const h of hosts) await h.start();
  const bar = (i: number) => ({ time: i * 1000, open: 50_000 + i, high: 50_001 + i, low: 49_999 + i, close: 50_000 + i, volume: 1 });
  for (let i = 0; i < 50; i++) await Promise.all(hosts.map((h) => h.step(bar(i), [], true)));
  const pids = pool.status().pids;
  const sum = () => pids.map(threadsOf).reduce((a, b) => ({ cpuNs: a.cpuNs + b.cpuNs, switches: a.switches + b.switches }));
  const core0 = threadsOf(process.pid);
  const w0 = sum();
  for (let i = 50; i < 50 + bars; i++) await Promise.all(hosts.map((h) => h.step(bar(i), [], true)));
  const core1 = threadsOf(process.pid);
  const w1 = sum();
  for (const h of hosts) await h.stop();
  await pool.shutdown();
  return { coreMs: (core1.cpuNs - core0.cpuNs) / 1e6 / bars, workersMs: (w1.cpuNs - w0.cpuNs) / 1e6 / bars, switches: (core1.switches - core0.switches + w1.switches - w0.switches) / bars };
}

/** The rows: both ways, interleaved over `rounds` rounds of `bars` bars. */
export async function cpuRows(source: string, bars = 300, rounds = 2): Promise<[string, string][]> {
  if (process.platform !== "linux") return [];
  const total = { channel: { coreMs: 0, workersMs: 0, switches: 0 }, ipc: { coreMs: 0, workersMs: 0, switches: 0 } };
  for (let r = 0; r < rounds; r++) {
    for (const way of r % 2 === 0 ? (["channel", "ipc"] as const) : (["ipc", "channel"] as const)) {
      const run = await perBar(source, way === "channel", bars);
      for (const k of ["coreMs", "workersMs", "switches"] as const) total[way][k] += run[k] / rounds;
    }
  }
  const { channel: c, ipc: i } = total;
  const ratio = (a: number, b: number) => `(${(a / b).toFixed(2)}x the IPC way)`;
  return [
    [`CPU per bar, 10 sessions, session channel: core + workers (${bars * rounds} bars)`, `${c.coreMs.toFixed(3)} + ${c.workersMs.toFixed(3)} ms ${ratio(c.coreMs + c.workersMs, i.coreMs + i.workersMs)}`],
    ["CPU per bar, 10 sessions, IPC: core + workers", `${i.coreMs.toFixed(3)} + ${i.workersMs.toFixed(3)} ms`],
    ["context switches per bar (all threads of core and workers), session channel", `${c.switches.toFixed(1)} ${ratio(c.switches, i.switches)}`],
    ["context switches per bar, IPC", i.switches.toFixed(1)],
  ];
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  for (const [name, v] of await cpuRows(BENCH_STRATEGY)) console.log(`${name}  ${v}`);
}
