/**
 * Diagnosis for `bench:ui`'s four-chart row (not part of its table): the same four-chart session
 * (`ui-four.ts`) on two checkouts, A and B, each with its own core and built renderer, run in
 * alternation (A B, B A, A B, …) so that both see the same load of a shared machine. Per window it
 * prints what the page's main thread did and what the chart canvases cost:
 * - the renderer main thread's CPU time per second and its most CPU in one task (a Chromium trace
 *   of task events, `ui-trace.ts`), and the CPU per second of all of Chromium's processes (/proc);
 * - long tasks (Long Tasks API): how many ≥ 50 ms, the longest;
 * - canvases: how many the page has, how many were painted per frame that painted any, and the
 *   canvas pixels painted per second (a painted canvas is a new bitmap for the compositor, copied
 *   on the main thread when compositing in software). A paint is a `getContext` call, which the
 *   charts' canvas library makes once per canvas per paint.
 * Usage: `node --no-node-snapshot bench/ui-ab.ts --a=<checkout> --b=<checkout> [--rounds=3] [--seconds=20] [--shot=<file.png>]`
 * (each checkout built with `electron-vite build`).
 */
import fs from "node:fs";
import type { Browser, Page } from "playwright-core";
import { openBenchFourCharts } from "./ui-four.ts";
import { openBenchSession } from "./ui-session.ts";
import { traceEvents, traceLongTasks } from "./ui-trace.ts";

const arg = (name: string): string | undefined => process.argv.find((a) => a.startsWith(`--${name}=`))?.slice(name.length + 3);
const ROOTS = { A: arg("a"), B: arg("b") };
const ROUNDS = Number(arg("rounds") ?? 3);
const SECONDS = Number(arg("seconds") ?? 20);
const RATE = Number(process.env.BENCH_UI_RATE ?? 6500);
/** With `--timeline`, each window also prints the renderer main thread's time by trace event (nested events overlap). */
const TIMELINE = process.argv.includes("--timeline");
/** With `--shot=<file.png>`, the last window's page is saved as a screenshot at its end. */
const SHOT = arg("shot");

/** What one window measured. */
interface Sample {
  mainCpuPerS: number;
  maxTaskCpu: number;
  chromeCpuPerS: number;
  long: number;
  longest: number;
  canvases: number;
  perFrame: number;
  paintedFramesPerS: number;
  mpxPerS: number;
}

/** Counts long tasks and canvas paints in the page from now on. */
async function startProbe(page: Page): Promise<void> {
  await page.evaluate(() => {
    const w = window as unknown as { __ab: { long: number; longest: number; paints: number; px: number; frames: number; canvasesPainted: number; t0: number } };
    w.__ab = { long: 0, longest: 0, paints: 0, px: 0, frames: 0, canvasesPainted: 0, t0: performance.now() };
    const seen = new Set<HTMLCanvasElement>();
    const proto = HTMLCanvasElement.prototype as unknown as { getContext(this: HTMLCanvasElement, ...a: unknown[]): unknown };
    const original = proto.getContext;
    proto.getContext = function (this: HTMLCanvasElement, ...a: unknown[]) {
      w.__ab.paints++;
      w.__ab.px += this.width * this.height;
      seen.add(this);
      return original.apply(this, a);
    };
    new PerformanceObserver((list) => {
      for (const e of list.getEntries()) {
        w.__ab.long++;
        w.__ab.longest = Math.max(w.__ab.longest, e.duration);
      }
    }).observe({ type: "longtask", buffered: false });
    const frame = (): void => {
      if (seen.size > 0) {
        w.__ab.frames++;
        w.__ab.canvasesPainted += seen.size;
        seen.clear();
      }
      requestAnimationFrame(frame);
    };
    requestAnimationFrame(frame);
  });
}

async function readProbe(page: Page): Promise<{ long: number; longest: number; canvases: number; perFrame: number; paintedFramesPerS: number; mpxPerS: number }> {
  return page.evaluate(() => {
    const p = (window as unknown as { __ab: { long: number; longest: number; px: number; frames: number; canvasesPainted: number; t0: number } }).__ab;
    const s = (performance.now() - p.t0) / 1000;
    return { long: p.long, longest: p.longest, canvases: document.querySelectorAll("canvas").length, perFrame: p.canvasesPainted / Math.max(1, p.frames), paintedFramesPerS: p.frames / s, mpxPerS: p.px / 1e6 / s };
  });
}

/** Fields of a /proc stat file after the command name, and the command name. */
function readStat(file: string): { name: string; fields: string[] } | null {
  try {
    const stat = fs.readFileSync(file, "utf8");
    const close = stat.lastIndexOf(")");
    return { name: stat.slice(stat.indexOf("(") + 1, close), fields: stat.slice(close + 2).split(" ") };
  } catch {
    return null; // The process or thread ended meanwhile.
  }
}

/** CPU time (s) so far of this process' Chromium descendants, by thread name ("process/thread"). */
function chromeCpuByThread(): Map<string, number> {
  const procs = new Map<number, { ppid: number; name: string }>();
  for (const d of fs.readdirSync("/proc")) {
    const st = /^\d+$/.test(d) ? readStat(`/proc/${d}/stat`) : null;
    if (st) procs.set(Number(d), { ppid: Number(st.fields[1]), name: st.name });
  }
  const isOurs = (pid: number): boolean => {
    for (let p = procs.get(pid)?.ppid; p !== undefined && p > 1; p = procs.get(p)?.ppid) if (p === process.pid) return true;
    return false;
  };
  const out = new Map<string, number>();
  for (const [pid, proc] of procs) {
    if (!/chrom/i.test(proc.name) || !isOurs(pid)) continue;
    const kind = (fs.readFileSync(`/proc/${pid}/cmdline`, "utf8").match(/--type=([a-z-]+)/)?.[1] ?? "browser");
    for (const tid of fs.readdirSync(`/proc/${pid}/task`)) {
      const st = readStat(`/proc/${pid}/task/${tid}/stat`);
      if (!st) continue;
      const key = `${kind}/${st.name.replace(/\d+$/, "")}`;
      out.set(key, (out.get(key) ?? 0) + (Number(st.fields[11]) + Number(st.fields[12])) / 100);
    }
  }
  return out;
}

/** Traces `ms` of the timeline and prints the renderer main thread's CPU time (ms/s) by event name, the top 25. */
async function timeline(browser: Browser, ms: number): Promise<void> {
  const byName = new Map<string, Map<string, number>>();
  const mains = new Set<string>();
  await traceEvents(browser, ms, ["toplevel", "devtools.timeline", "disabled-by-default-devtools.timeline", "cc", "blink"], (e) => {
    const key = `${e.pid}:${e.tid}`;
    if (e.ph === "M" && e.name === "thread_name" && e.args?.name === "CrRendererMain") mains.add(key);
    if (e.ph !== "X") return;
    const m = byName.get(key) ?? new Map<string, number>();
    m.set(e.name, (m.get(e.name) ?? 0) + (e.tdur ?? e.dur ?? 0) / 1000);
    byName.set(key, m);
  });
  const runTask = (m: Map<string, number>): number => m.get("ThreadControllerImpl::RunTask") ?? 0;
  const busiest = [...mains].map((k) => byName.get(k) ?? new Map<string, number>()).sort((x, y) => runTask(y) - runTask(x))[0];
  const rows = [...(busiest ?? [])].sort((x, y) => y[1] - x[1]).slice(0, 25);
  process.stderr.write(`  main thread by event (ms/s):\n${rows.map(([n, t]) => `    ${((t * 1000) / ms).toFixed(1).padStart(7)}  ${n}`).join("\n")}\n`);
}

/** One window on checkout `root`. */
async function measure(root: string): Promise<Sample> {
  const { serve, browser, page, close } = await openBenchSession("ws-ui-ab-", RATE, null, root);
  try {
    await openBenchFourCharts({ serve, page });
    await page.mouse.move(5, 5);
    await page.waitForTimeout(3000);
    await startProbe(page);
    const cpu0 = chromeCpuByThread(), t0 = performance.now();
    const traced = await traceLongTasks(browser, SECONDS * 1000);
    const s = (performance.now() - t0) / 1000;
    const threads = [...chromeCpuByThread()].map(([k, v]) => [k, ((v - (cpu0.get(k) ?? 0)) * 1000) / s] as const).sort((a, b) => b[1] - a[1]);
    const p = await readProbe(page);
    if (TIMELINE) await timeline(browser, SECONDS * 1000);
    if (SHOT) await page.screenshot({ path: SHOT });
    process.stderr.write(`  by thread (ms/s): ${threads.slice(0, 8).map(([k, v]) => `${k} ${v.toFixed(0)}`).join(", ")}\n`);
    return { mainCpuPerS: traced.totalCpuMs / s, maxTaskCpu: traced.maxCpuMs, chromeCpuPerS: threads.reduce((a, [, v]) => a + v, 0), ...p };
  } finally {
    await close();
  }
}

function line(name: string, s: Sample): string {
  return `${name}  main CPU ${s.mainCpuPerS.toFixed(0)} ms/s, most in a task ${s.maxTaskCpu.toFixed(0)} ms, Chromium CPU ${s.chromeCpuPerS.toFixed(0)} ms/s | tasks ≥ 50 ms ${s.long}, longest ${s.longest.toFixed(0)} ms | canvases ${s.canvases}, painted per frame ${s.perFrame.toFixed(1)} in ${s.paintedFramesPerS.toFixed(1)} frames/s, ${s.mpxPerS.toFixed(1)} Mpx/s`;
}

const mean = (xs: number[]): number => xs.reduce((a, b) => a + b, 0) / xs.length;

async function main(): Promise<void> {
  if (!ROOTS.A || !ROOTS.B) throw new Error("usage: bench/ui-ab.ts --a=<checkout> --b=<checkout>");
  const all: Record<"A" | "B", Sample[]> = { A: [], B: [] };
  for (let r = 0; r < ROUNDS; r++) {
    for (const which of r % 2 === 0 ? (["A", "B"] as const) : (["B", "A"] as const)) {
      const s = await measure(ROOTS[which]!);
      all[which].push(s);
      console.log(line(`round ${r + 1} ${which}`, s));
    }
  }
  for (const which of ["A", "B"] as const) {
    const xs = all[which];
    const avg = Object.fromEntries(Object.keys(xs[0]!).map((k) => [k, mean(xs.map((x) => x[k as keyof Sample]))])) as unknown as Sample;
    console.log(line(`mean ${which} (${ROOTS[which]})`, avg));
  }
}

await main();
