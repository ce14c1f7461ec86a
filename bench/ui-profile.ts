/**
 * Diagnosis for `bench:ui` (not part of its table): CPU-profiles the renderer's main thread while
 * the simulated venue pushes ~10k msgs/s into a live chart, book, tape and watchlist, and prints
 * where the time went — self time by function over the whole window, and for every stretch of
 * busy samples of at least `--stretch` ms (default 30), its length and the functions that filled
 * it. Optionally opens a symbol with `BENCH_UI_BARS` stored bars first and scrolls back through
 * it, as `bench:ui` does before its live window; with `--four`, profiles the four-chart grid of
 * `bench:ui`'s step 1b (drawings and indicators on every chart) instead of one chart.
 * Usage: `node --no-node-snapshot bench/ui-profile.ts [--seconds=20] [--stretch=30] [--history] [--four] [--stacks] [--after=0]`.
 */
import type { Page } from "playwright-core";
import { minuteBarsCsv, openSymbol } from "../e2e/ui-helpers.ts";
import { openBenchFourCharts } from "./ui-four.ts";
import { openBenchSession, wheelBack } from "./ui-session.ts";

const arg = (name: string): string | undefined => process.argv.find((a) => a.startsWith(`--${name}=`))?.slice(name.length + 3);
const SECONDS = Number(arg("seconds") ?? 20);
const STRETCH_MS = Number(arg("stretch") ?? 30);
const HISTORY = process.argv.includes("--history");
const FOUR = process.argv.includes("--four");
/** With `--stacks`, each busy stretch also lists its heaviest call paths (leaf ← callers, 6 deep). */
const STACKS = process.argv.includes("--stacks");
/** Stretches that start in the window's first `--after` seconds (opening the symbol) are listed but not broken down. */
const AFTER_S = Number(arg("after") ?? 0);
const BARS = Number(process.env.BENCH_UI_BARS ?? 200_000);
const RATE = Number(process.env.BENCH_UI_RATE ?? 6500);

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  children?: number[];
}
interface Profile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
}

/** Samples of a thread with nothing to do; "(program)" is native work outside JS (style, layout, paint) and counts as busy. */
const IDLE = new Set(["(idle)"]);

function label(n: ProfileNode): string {
  const file = n.callFrame.url.split("/").pop() ?? "";
  return `${n.callFrame.functionName || "(anonymous)"} ${file}${file ? `:${n.callFrame.lineNumber + 1}` : ""}`;
}

/** The time (ms) sample `i` stands for: the delta to the next sample (the last one's own). */
const sampleMs = (p: Profile, i: number): number => p.timeDeltas[i + 1 < p.timeDeltas.length ? i + 1 : i]! / 1000;

/** Self time (ms) per function over the samples `[from, to)`. */
function selfTimes(p: Profile, byId: Map<number, ProfileNode>, from: number, to: number): Map<string, number> {
  const out = new Map<string, number>();
  for (let i = from; i < to; i++) {
    const key = label(byId.get(p.samples[i]!)!);
    out.set(key, (out.get(key) ?? 0) + sampleMs(p, i));
  }
  return out;
}

/** Time (ms) per call path (leaf ← up to 5 callers) over the samples `[from, to)`. */
function pathTimes(p: Profile, byId: Map<number, ProfileNode>, parent: Map<number, number>, from: number, to: number): Map<string, number> {
  const out = new Map<string, number>();
  for (let i = from; i < to; i++) {
    const names: string[] = [];
    for (let id: number | undefined = p.samples[i]!; id !== undefined && names.length < 6; id = parent.get(id)) names.push(label(byId.get(id)!));
    const key = names.join(" ← ");
    out.set(key, (out.get(key) ?? 0) + sampleMs(p, i));
  }
  return out;
}

function top(m: Map<string, number>, n: number): string {
  return [...m].sort((a, b) => b[1] - a[1]).slice(0, n).map(([k, ms]) => `    ${ms.toFixed(1).padStart(7)} ms  ${k}`).join("\n");
}

function report(p: Profile, seconds: number, startedAt: number): void {
  const byId = new Map(p.nodes.map((n) => [n.id, n]));
  const parent = new Map(p.nodes.flatMap((n) => (n.children ?? []).map((c) => [c, n.id] as const)));
  const busy = (i: number): boolean => !IDLE.has(byId.get(p.samples[i]!)!.callFrame.functionName);
  const all = selfTimes(p, byId, 0, p.samples.length);
  const total = [...all].filter(([k]) => !k.startsWith("(idle)")).reduce((a, [, ms]) => a + ms, 0);
  console.log(`main-thread time busy (JS, GC, native rendering work) over ${seconds.toFixed(0)} s: ${total.toFixed(0)} ms (${((total / (seconds * 1000)) * 100).toFixed(0)} % of one core)`);
  console.log(top(all, 30));
  let i = 0;
  const stretches: { at: number; ms: number; from: number; to: number }[] = [];
  let t = 0;
  while (i < p.samples.length) {
    if (!busy(i)) {
      t += p.timeDeltas[i]!;
      i++;
      continue;
    }
    const from = i, at = t;
    let ms = 0;
    while (i < p.samples.length && busy(i)) {
      ms += sampleMs(p, i);
      t += p.timeDeltas[i]!;
      i++;
    }
    if (ms >= STRETCH_MS) stretches.push({ at: at / 1000, ms, from, to: i });
  }
  console.log(`\nbusy stretches ≥ ${STRETCH_MS} ms: ${stretches.length}`);
  const second = (s: { at: number }): string => (((startedAt + s.at) % 60_000) / 1000).toFixed(1);
  console.log(`  all (start s, UTC second of the minute, ms): ${stretches.map((s) => `${(s.at / 1000).toFixed(1)}/${second(s)}/${s.ms.toFixed(0)}`).join(" ")}`);
  for (const s of stretches.filter((x) => x.at >= AFTER_S * 1000).sort((a, b) => b.ms - a.ms).slice(0, 8)) {
    console.log(`  at ${(s.at / 1000).toFixed(1)} s (UTC second ${second(s)}), ${s.ms.toFixed(0)} ms:\n${top(selfTimes(p, byId, s.from, s.to), 8)}`);
    if (STACKS) console.log(`   call paths:\n${top(pathTimes(p, byId, parent, s.from, s.to), 8)}`);
  }
}

async function scrollBack(page: Page): Promise<void> {
  await openSymbol(page, "BIG", "local", "BIG/USD");
  const box = (await page.locator(".chart-canvas").boundingBox())!;
  await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
  for (let i = 0; i < 200; i++) await wheelBack(page);
}

/** Runs `work` with the page's CPU profiler on and reports the profile under `title`. */
async function profiled(page: Page, title: string, work: () => Promise<unknown>): Promise<void> {
  const cdp = await page.context().newCDPSession(page);
  await cdp.send("Profiler.enable");
  await cdp.send("Profiler.setSamplingInterval", { interval: 200 });
  await cdp.send("Profiler.start");
  const startedAt = Date.now();
  const t0 = performance.now();
  await work();
  const { profile } = (await cdp.send("Profiler.stop")) as unknown as { profile: Profile };
  await cdp.detach();
  console.log(`\n== ${title}`);
  report(profile, (performance.now() - t0) / 1000, startedAt);
}

async function main(): Promise<void> {
  const session = await openBenchSession("ws-ui-profile-", RATE, HISTORY ? minuteBarsCsv(BARS, Date.now()) : null);
  const { page, close } = session;
  try {
    if (HISTORY) await profiled(page, `scroll-back through ${BARS} stored bars`, () => scrollBack(page));
    if (FOUR) {
      await openBenchFourCharts(session);
      await page.mouse.move(5, 5);
      await profiled(page, `live feed, four charts, ${SECONDS} s`, () => page.waitForTimeout(SECONDS * 1000));
      return;
    }
    await profiled(page, `live feed, ${SECONDS} s after opening BTC/USD`, async () => {
      await openSymbol(page, "BTC/USD", "simulated", "BTC/USD");
      await page.mouse.move(5, 5);
      await page.waitForTimeout(SECONDS * 1000);
    });
  } finally {
    await close();
  }
}

await main();
