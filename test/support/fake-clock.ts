import { Clock } from '../../src/delivery/clock';

/** A clock that only moves when told to. */
export class FakeClock extends Clock {
  constructor(private current = Date.UTC(2025, 4, 1, 10, 0, 0)) {
    super();
  }

  now(): number {
    return this.current;
  }

  advance(ms: number): void {
    this.current += ms;
  }
}
