/**
 * Sequence tracking: each message must carry the number after the previous one. The first number
 * seen (after construction or `reset`, i.e. a new connection) sets the baseline.
 */

/** The result of checking one sequence number. */
export type SequenceCheck = { ok: true } | { ok: false; expected: number; got: number };

const OK: SequenceCheck = { ok: true };

/** Tracks one increasing sequence (per connection or per symbol). */
export class SequenceTracker {
  private next: number | null = null;

  /** Checks `got` and moves the expectation to `got + 1` either way. */
  check(got: number): SequenceCheck {
    const expected = this.next;
    this.next = got + 1;
    if (expected === null || got === expected) return OK;
    return { ok: false, expected, got };
  }

  /** Forgets the baseline (new connection). */
  reset(): void {
    this.next = null;
  }

  /** The next expected number, or null before the first message. */
  get expected(): number | null {
    return this.next;
  }
}
