/**
 * Test helper: a list that records values and lets a test await the first moment a condition over
 * the list holds, driven by the pushes themselves (no polling, no sleeps).
 */

/** Records values; `until` resolves when `test(values)` becomes true. */
export class Recorder<T> {
  readonly values: T[] = [];
  private waiters: { test: (values: T[]) => boolean; resolve: () => void }[] = [];

  /** Adds a value and wakes waiters whose condition now holds. */
  push = (value: T): void => {
    this.values.push(value);
    this.waiters = this.waiters.filter((w) => {
      if (!w.test(this.values)) return true;
      w.resolve();
      return false;
    });
  };

  /** Resolves once `test(values)` is true (at once if it already is). */
  until(test: (values: T[]) => boolean): Promise<void> {
    if (test(this.values)) return Promise.resolve();
    return new Promise((resolve) => this.waiters.push({ test, resolve }));
  }

  /** Resolves once the last value equals `value`. */
  untilLast(value: T): Promise<void> {
    return this.until((v) => v.at(-1) === value);
  }

  /** Resolves once at least `n` values were recorded. */
  untilCount(n: number): Promise<void> {
    return this.until((v) => v.length >= n);
  }
}
