/**
 * Hardens the sandbox's global scope before strategy code runs (inside the isolate).
 *
 * - Removes what is not deterministic or not needed: WebAssembly, SharedArrayBuffer, Atomics,
 *   WeakRef, FinalizationRegistry, and RegExp's legacy statics (`RegExp.$1`, `input`,
 *   `lastMatch`, ...: realm state that every match rewrites and freezing does not stop, so one run
 *   of a sweep could read the last match of the one before).
 * - Makes time and randomness deterministic: `Math.random` is a seeded generator (mulberry32,
 *   reseeded before every run that shares the isolate), `Date.now()`, `new Date()` and
 *   `Intl.DateTimeFormat#format()` give the current bar's time.
 * - Routes `console.*` to the run's log.
 * - Freezes every intrinsic reachable from the global object and the hidden ones (generator,
 *   async, iterator and typed-array prototypes), and makes the global bindings read-only, so a
 *   strategy cannot change built-ins the engine relies on (prototype pollution) or replace
 *   `Error.prepareStackTrace`.
 * - Freezes the global object itself (it is the value of `globalThis`) and the prototypes of the
 *   engine objects a strategy is handed (indicators), so nothing a run does can outlive it: the runs of a sweep
 *   batch share one isolate (see docs/strategy-semantics.md) and each must see a pristine scope.
 */
import { seededRandom } from "../../random.ts";

const REMOVED = ["WebAssembly", "SharedArrayBuffer", "Atomics", "WeakRef", "FinalizationRegistry"];

function deterministicDate(now: () => number): DateConstructor {
  const RealDate = Date;
  function SandboxDate(this: unknown, ...args: unknown[]): unknown {
    if (!new.target) return new RealDate(now()).toString();
    return args.length === 0 ? new RealDate(now()) : Reflect.construct(RealDate, args, new.target);
  }
  Object.defineProperties(SandboxDate, {
    prototype: { value: RealDate.prototype },
    now: { value: () => now() },
    UTC: { value: RealDate.UTC },
    parse: { value: RealDate.parse },
  });
  Object.defineProperty(RealDate.prototype, "constructor", { value: SandboxDate });
  return SandboxDate as unknown as DateConstructor;
}

/**
 * Deletes RegExp's legacy static accessors (`input`, `$_`, `lastMatch`, `$&`, `lastParen`, `$+`,
 * `leftContext`, `rightContext`, `$1`–`$9`, ...): every string-keyed accessor of the constructor.
 */
function removeRegExpStatics(): void {
  for (const key of Reflect.ownKeys(RegExp)) {
    if (typeof key !== "string") continue;
    const d = Object.getOwnPropertyDescriptor(RegExp, key);
    if (d && !("value" in d) && !Reflect.deleteProperty(RegExp, key)) throw new Error(`the sandbox cannot remove RegExp.${key}`);
  }
}

function hiddenIntrinsics(): unknown[] {
  const iter = [][Symbol.iterator]();
  return [
    Object.getPrototypeOf(function* () {}),
    Object.getPrototypeOf(async function () {}),
    Object.getPrototypeOf(async function* () {}),
    Object.getPrototypeOf(Int8Array),
    iter,
    new Map().entries(),
    new Set().values(),
    ""[Symbol.iterator](),
    /x/[Symbol.matchAll](""),
    // Iterator helpers (ES2025; not in the ES2023 lib types).
    (Object.getPrototypeOf([].values()) as { map?: (f: (x: unknown) => unknown) => unknown }).map?.call([].values(), (x) => x),
  ];
}

/** Freezes `roots` and everything reachable from them (prototypes, properties, accessors). */
function deepFreeze(roots: unknown[]): void {
  const seen = new Set<unknown>();
  const stack = roots.slice();
  while (stack.length > 0) {
    const o = stack.pop();
    if (o === null || (typeof o !== "object" && typeof o !== "function") || seen.has(o)) continue;
    seen.add(o);
    Object.freeze(o);
    stack.push(Object.getPrototypeOf(o));
    for (const key of Reflect.ownKeys(o)) {
      const d = Object.getOwnPropertyDescriptor(o, key);
      if (!d) continue;
      if ("value" in d) stack.push(d.value);
      else stack.push(d.get, d.set);
    }
  }
}

/** Makes `Intl.DateTimeFormat` format the bar's time, not the wall clock, when called without a date. */
function pinIntlClock(now: () => number): void {
  const proto = Intl.DateTimeFormat.prototype;
  const formatGetter = Object.getOwnPropertyDescriptor(proto, "format")?.get;
  const formatToParts = proto.formatToParts;
  if (formatGetter) {
    Object.defineProperty(proto, "format", {
      configurable: true,
      get(this: Intl.DateTimeFormat) {
        const format = formatGetter.call(this) as (date?: Date | number) => string;
        return (date?: Date | number) => format(date === undefined ? now() : date);
      },
    });
  }
  Object.defineProperty(proto, "formatToParts", {
    configurable: true,
    writable: true,
    value(this: Intl.DateTimeFormat, date?: Date | number) {
      return formatToParts.call(this, date === undefined ? now() : date);
    },
  });
}

/**
 * Freezes the prototype chains of `samples` (instances of engine classes handed to strategies) and
 * of the objects they hold, without freezing the samples themselves.
 */
export function freezePrototypeChains(samples: object[]): void {
  const seen = new Set<object>();
  const stack: unknown[] = samples.slice();
  while (stack.length > 0) {
    const o = stack.pop();
    if (o === null || typeof o !== "object" || seen.has(o) || ArrayBuffer.isView(o)) continue;
    seen.add(o);
    deepFreeze([Object.getPrototypeOf(o)]);
    for (const key of Reflect.ownKeys(o)) {
      const d = Object.getOwnPropertyDescriptor(o, key);
      if (d && "value" in d) stack.push(d.value);
    }
  }
}

/**
 * Hardens the global scope; `now` is the bar clock, `log` receives console output, `samples` are
 * engine objects whose prototypes get frozen. Returns the function that reseeds `Math.random`.
 */
export function lockdown(seed: number, now: () => number, log: (args: unknown[]) => void, samples: object[] = []): (seed: number) => void {
  const g = globalThis as Record<string, unknown>;
  for (const name of REMOVED) delete g[name];
  removeRegExpStatics();
  let random = seededRandom(seed);
  Object.defineProperty(Math, "random", { value: () => random() });
  g.Date = deterministicDate(now);
  pinIntlClock(now);
  const write = (...args: unknown[]) => log(args);
  g.console = { log: write, info: write, warn: write, error: write, debug: write };
  const names = Reflect.ownKeys(globalThis);
  deepFreeze([...names.map((k) => g[k as string]), ...hiddenIntrinsics()]);
  freezePrototypeChains(samples);
  for (const name of names) {
    if (name === "globalThis") continue;
    Object.defineProperty(globalThis, name, { writable: false, configurable: false });
  }
  return (next: number) => {
    random = seededRandom(next);
  };
}
