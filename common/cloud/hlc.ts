/**
 * A hybrid logical clock: wall-clock milliseconds, a counter for events within one millisecond (or
 * while the wall clock lags a remote one), and the node id as the tie-break. Timestamps encode as
 * fixed-width strings, so comparing two strings compares the clocks.
 */

/** One clock reading. */
export interface HlcTime {
  wall: number;
  counter: number;
  node: string;
}

/** Encodes a reading as a sortable string. */
export function formatHlc(t: HlcTime): string {
  return `${t.wall.toString().padStart(15, "0")}-${t.counter.toString().padStart(6, "0")}-${t.node}`;
}

/** Decodes a string from {@link formatHlc}; null when malformed. */
export function parseHlc(text: string): HlcTime | null {
  const m = /^(\d{15})-(\d{6})-([A-Za-z0-9_-]{1,64})$/.exec(text);
  return m ? { wall: Number(m[1]), counter: Number(m[2]), node: m[3]! } : null;
}

/** The clock of one device. */
export class HybridClock {
  private last: HlcTime;
  private readonly now: () => number;

  constructor(node: string, last?: string, now: () => number = Date.now) {
    this.now = now;
    this.last = (last ? parseHlc(last) : null) ?? { wall: 0, counter: 0, node };
    this.last = { ...this.last, node };
  }

  /** A new timestamp later than every one this clock issued or received. */
  tick(): string {
    const wall = Math.max(this.now(), this.last.wall);
    this.last = { wall, counter: wall === this.last.wall ? this.last.counter + 1 : 0, node: this.last.node };
    return formatHlc(this.last);
  }

  /** Moves the clock past a timestamp seen from another device. */
  receive(remote: string): void {
    const r = parseHlc(remote);
    if (!r) return;
    if (r.wall > this.last.wall || (r.wall === this.last.wall && r.counter > this.last.counter)) {
      this.last = { wall: r.wall, counter: r.counter, node: this.last.node };
    }
  }

  /** The latest reading, to persist. */
  current(): string {
    return formatHlc(this.last);
  }
}
