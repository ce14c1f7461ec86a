/** For tests of paced rendering: a frame scheduler whose frames run when the test says. */

/** A scheduler whose queued callbacks run on `flush()`; `pending()` counts the waiting ones. */
export function manualFrames(): { schedule: (cb: () => void) => void; flush(): void; pending(): number } {
  let queue: Array<() => void> = [];
  return {
    schedule: (cb) => void queue.push(cb),
    flush: () => {
      const q = queue;
      queue = [];
      q.forEach((cb) => cb());
    },
    pending: () => queue.length,
  };
}
