import { inspect } from 'node:util';

/** A step that did not behave: what was expected and what was found. Ends the demo with exit code 1. */
export class DemoFailure extends Error {
  constructor(
    readonly check: string,
    readonly expected: string,
    readonly found: string,
  ) {
    super(check);
  }
}

function show(value: unknown): string {
  return typeof value === 'string' ? value : inspect(value, { depth: 4, breakLength: 100 });
}

/** Counts passed checks; the first failed one throws. */
export class Checks {
  private passed = 0;
  private passedAtMark = 0;

  get total(): number {
    return this.passed;
  }

  /** Checks passed since the previous call. */
  sinceMark(): number {
    const count = this.passed - this.passedAtMark;
    this.passedAtMark = this.passed;
    return count;
  }

  that(check: string, ok: boolean, expected: string, found: unknown): void {
    if (!ok) throw new DemoFailure(check, expected, show(found));
    this.passed++;
  }

  equal<T>(check: string, found: T, expected: T): void {
    this.that(check, found === expected, show(expected), found);
  }

  /** Checks a spoken line and returns its named groups (e.g. the case number). */
  matches(check: string, found: string | undefined, pattern: RegExp): Record<string, string> {
    const match = found === undefined ? null : pattern.exec(found);
    this.that(check, match !== null, `text matching ${String(pattern)}`, found ?? '(nothing)');
    return { ...(match?.groups ?? {}) };
  }
}

/**
 * Polls until `probe` returns a value, or fails after `timeoutMs` describing the last state seen, so that
 * every wait of the demo is bounded.
 */
export async function waitFor<T>(
  check: string,
  expected: string,
  probe: () => Promise<{ value?: T; seen: unknown }>,
  timeoutMs: number,
  intervalMs = 100,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let seen: unknown = 'nothing yet';
  for (;;) {
    try {
      const result = await probe();
      if (result.value !== undefined) return result.value;
      seen = result.seen;
    } catch (error) {
      seen = error instanceof Error ? error.message : error;
    }
    if (Date.now() >= deadline) {
      throw new DemoFailure(`${check} (waited ${(timeoutMs / 1000).toFixed(0)} s)`, expected, show(seen));
    }
    await new Promise((resolve) => setTimeout(resolve, intervalMs));
  }
}
