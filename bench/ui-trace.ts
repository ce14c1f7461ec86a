/**
 * Attribution of long tasks for `bench:ui`: a Chromium trace of the task-level events only, read as
 * it streams in, keeping the tasks of 50 ms or more with their thread CPU time (`tdur`). A task
 * whose own thread ran for less than 50 ms of its wall time was long because its thread was not
 * running (descheduled by the OS or the VM's host), not because of the work in it.
 */
import type { Browser } from "playwright-core";

/** One long task of a renderer main thread: wall time and the thread's CPU time in it (ms). */
export interface TracedTask {
  wallMs: number;
  cpuMs: number;
}

/** What a traced window found on the busiest renderer main thread (the app's page). */
export interface TraceFindings {
  tasks: number;
  long: TracedTask[];
  /** Tasks whose own CPU time was a frame (16 ms) or more, whatever their wall time. */
  overFrame: number;
  /** The most CPU time any one task of that thread took (ms), whatever its wall time. */
  maxCpuMs: number;
  /** That thread's CPU time in all its tasks over the window (ms). */
  totalCpuMs: number;
}

/** A trace event as Chromium reports it (the fields read here). */
export interface TraceEvent {
  name: string;
  ph: string;
  pid: number;
  tid: number;
  dur?: number;
  tdur?: number;
  args?: { name?: string };
}

/** Traces the browser's `categories` for `ms` milliseconds, each event to `onEvent` as it streams in. */
export async function traceEvents(browser: Browser, ms: number, categories: string[], onEvent: (e: TraceEvent) => void): Promise<void> {
  const cdp = await browser.newBrowserCDPSession();
  cdp.on("Tracing.dataCollected", (chunk) => {
    // The protocol types say string maps; the events are JSON objects of this shape.
    for (const e of chunk.value as unknown as TraceEvent[]) onEvent(e);
  });
  const complete = new Promise<void>((resolve) => cdp.once("Tracing.tracingComplete", () => resolve()));
  await cdp.send("Tracing.start", { transferMode: "ReportEvents", traceConfig: { includedCategories: categories, excludedCategories: ["*"] } });
  await new Promise((resolve) => setTimeout(resolve, ms));
  await cdp.send("Tracing.end");
  await complete;
  await cdp.detach();
}

/** Traces the browser for `ms` milliseconds and returns the long tasks of the busiest renderer main thread. */
export async function traceLongTasks(browser: Browser, ms: number): Promise<TraceFindings> {
  const counts = new Map<string, number>();
  const overFrame = new Map<string, number>();
  const maxCpu = new Map<string, number>();
  const totalCpu = new Map<string, number>();
  const long = new Map<string, TracedTask[]>();
  const threadNames = new Map<string, string>();
  await traceEvents(browser, ms, ["toplevel"], (e) => {
    const key = `${e.pid}:${e.tid}`;
    if (e.ph === "M" && e.name === "thread_name") threadNames.set(key, e.args?.name ?? "");
    if (e.ph !== "X" || e.name !== "ThreadControllerImpl::RunTask") return;
    counts.set(key, (counts.get(key) ?? 0) + 1);
    if ((e.tdur ?? 0) >= 16_000) overFrame.set(key, (overFrame.get(key) ?? 0) + 1);
    maxCpu.set(key, Math.max(maxCpu.get(key) ?? 0, e.tdur ?? 0));
    totalCpu.set(key, (totalCpu.get(key) ?? 0) + (e.tdur ?? 0));
    if ((e.dur ?? 0) >= 50_000) long.set(key, [...(long.get(key) ?? []), { wallMs: e.dur! / 1000, cpuMs: (e.tdur ?? e.dur!) / 1000 }]);
  });
  const mains = [...counts].filter(([key]) => threadNames.get(key) === "CrRendererMain").sort((a, b) => b[1] - a[1]);
  const [busiest, tasks] = mains[0] ?? ["", 0];
  return { tasks, long: long.get(busiest) ?? [], overFrame: overFrame.get(busiest) ?? 0, maxCpuMs: (maxCpu.get(busiest) ?? 0) / 1000, totalCpuMs: (totalCpu.get(busiest) ?? 0) / 1000 };
}
