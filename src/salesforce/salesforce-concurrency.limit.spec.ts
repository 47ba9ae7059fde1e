import { SalesforceError, SalesforceErrorCode } from './salesforce.errors';
import {
  AdaptiveConcurrencyLimit,
  ConcurrencyLimitOptions,
  PriorityRequestLimiter,
} from './salesforce-concurrency.limit';
import { outcomeOf } from './salesforce-request.budget';

const OPTIONS: ConcurrencyLimitOptions = {
  floor: 2,
  ceiling: 40,
  initial: 10,
  latencyTolerance: 4,
  slowAnswerMs: 1_000,
  longRequestMs: 5_000,
  longRequestCeiling: 8,
  baselineWindowMs: 60_000,
};

function controller(options: Partial<ConcurrencyLimitOptions> = {}) {
  const clock = { now: 0 };
  const limit = new AdaptiveConcurrencyLimit({ ...OPTIONS, ...options }, () => clock.now);
  /** One round trip: as many answers as the limit allows, each `latencyMs` long. */
  const round = (latencyMs: number, outcome: 'healthy' | 'overloaded' = 'healthy', limited = true) => {
    clock.now += latencyMs;
    for (let i = limit.current; i > 0; i -= 1) limit.record(latencyMs, outcome, limited);
  };
  return { limit, clock, round };
}

describe('AdaptiveConcurrencyLimit', () => {
  it('should double per round of healthy answers until Salesforce first signals overload', () => {
    const { limit, round } = controller({ initial: 4 });
    round(50);
    expect(limit.current).toBe(8);
    round(50);
    expect(limit.current).toBe(16);
  });

  it('should then allow about one more request per round while the limit holds requests back', () => {
    const { limit, round } = controller({ initial: 20 });
    round(50, 'overloaded');
    expect(limit.current).toBe(10);
    for (let i = 0; i < 5; i += 1) round(50);
    expect(limit.current).toBeGreaterThanOrEqual(14);
    expect(limit.current).toBeLessThanOrEqual(15);
  });

  it('should not grow while fewer requests are in flight than it allows', () => {
    const { limit, round } = controller();
    for (let i = 0; i < 20; i += 1) round(50, 'healthy', false);
    expect(limit.current).toBe(10);
  });

  it('should never grow above its ceiling', () => {
    const { limit, round } = controller();
    for (let i = 0; i < 500; i += 1) round(50);
    expect(limit.current).toBe(40);
  });

  it('should halve on an overload signal, once for a whole round of failures', () => {
    const { limit, round } = controller({ initial: 20 });
    round(50, 'healthy', false);
    const before = limit.current;
    round(50, 'overloaded');
    expect(limit.current).toBe(Math.floor(before / 2));
  });

  it('should keep backing off while overload goes on, but never below its floor', () => {
    const { limit, round } = controller({ initial: 40 });
    for (let i = 0; i < 20; i += 1) round(50, 'overloaded');
    expect(limit.current).toBe(2);
  });

  it('should keep the live limit but shrink the background share when answers are far slower than lately', () => {
    const { limit, round } = controller({ initial: 20 });
    round(100, 'healthy', false);
    round(100, 'healthy', false);
    const healthy = limit.current;
    expect(limit.backgroundFactor).toBe(1);

    round(2_000);
    expect(limit.current).toBe(healthy);
    // Once per round trip, however many slow answers the round brought.
    expect(limit.backgroundFactor).toBeCloseTo(0.9);
    for (let i = 0; i < 40; i += 1) round(2_000);
    expect(limit.current).toBe(healthy);
    expect(limit.backgroundFactor).toBeCloseTo(0.1);

    // Answers that are quick again give the share back, a tenth per round.
    for (let i = 0; i < 5; i += 1) round(100, 'healthy', false);
    expect(limit.backgroundFactor).toBeCloseTo(0.6);
    for (let i = 0; i < 10; i += 1) round(100, 'healthy', false);
    expect(limit.backgroundFactor).toBe(1);
  });

  it('should not count a slower answer as congestion while it stays under a second', () => {
    const { limit, round } = controller({ initial: 20 });
    round(40, 'healthy', false);
    const healthy = limit.current;
    round(900, 'healthy', false);
    expect(limit.current).toBeGreaterThanOrEqual(healthy);
    expect(limit.backgroundFactor).toBe(1);
  });

  it('should drop to the long-request ceiling once a request has run long, before it answers', () => {
    const { limit } = controller({ initial: 40 });
    limit.requestRunningLong(4_999);
    expect(limit.current).toBe(40);
    limit.requestRunningLong(5_000);
    expect(limit.current).toBe(8);
  });

  it('should hold at most the long-request ceiling while answers take long', () => {
    const { limit, round } = controller({ initial: 30 });
    for (let i = 0; i < 10; i += 1) round(6_000);
    expect(limit.current).toBeLessThanOrEqual(8);
    expect(limit.current).toBeGreaterThanOrEqual(2);
  });
});

describe('PriorityRequestLimiter', () => {
  function limiter(initial: number, backgroundShare = 0.3) {
    const clock = { now: 0 };
    const limit = new AdaptiveConcurrencyLimit(
      { ...OPTIONS, floor: 1, initial, ceiling: initial },
      () => clock.now,
    );
    return new PriorityRequestLimiter(
      limit,
      { backgroundShare, liveQueue: 100, backgroundQueue: 10 },
      outcomeOf,
      () => clock.now,
    );
  }

  function deferred() {
    let resolve!: () => void;
    let reject!: (error: unknown) => void;
    const promise = new Promise<void>((res, rej) => ((resolve = res), (reject = rej)));
    return { promise, resolve, reject };
  }

  const tick = () => new Promise((resolve) => setImmediate(resolve));

  /** `count` requests of `priority` that stay in flight until released; `started()` counts those that began. */
  function gated(subject: PriorityRequestLimiter, priority: 'live' | 'background', count: number) {
    const gates = Array.from({ length: count }, () => deferred());
    let started = 0;
    const runs = gates.map((gate) => subject.run(priority, () => ((started += 1), gate.promise)));
    return {
      started: () => started,
      release: async () => {
        gates.forEach((gate) => gate.resolve());
        await Promise.all(runs);
      },
    };
  }

  it('should give a freed slot to a waiting live request before an older background one', async () => {
    const subject = limiter(1, 1);
    const first = deferred();
    const started: string[] = [];
    const running = subject.run('live', () => first.promise);
    const record = (name: string) => () => Promise.resolve(void started.push(name));
    const background = subject.run('background', record('background'));
    const live = subject.run('live', record('live'));
    await tick();
    expect(started).toEqual([]);

    first.resolve();
    await running;
    await live;
    expect(started[0]).toBe('live');
    await background.catch(() => undefined);
  });

  it('should turn new background requests away while live requests wait', async () => {
    const subject = limiter(1);
    const first = deferred();
    const running = subject.run('live', () => first.promise);
    const live = subject.run('live', () => Promise.resolve());

    await expect(subject.run('background', () => Promise.resolve())).rejects.toMatchObject({
      code: SalesforceErrorCode.RATE_LIMITED,
      retryable: true,
    });
    first.resolve();
    await Promise.all([running, live]);
  });

  it('should keep background requests to their share of the limit', async () => {
    const subject = limiter(10, 0.3);
    const background = gated(subject, 'background', 5);
    await tick();
    expect(background.started()).toBe(3);
    expect(subject.requestsInFlight).toBe(3);
    // Live requests still find room.
    await subject.run('live', () => Promise.resolve());

    await background.release();
    expect(background.started()).toBe(5);
  });

  it('should give background requests fewer slots while answers are slow, and live requests all of them', async () => {
    const clock = { now: 0 };
    const limit = new AdaptiveConcurrencyLimit(
      { ...OPTIONS, floor: 1, initial: 20, ceiling: 20 },
      () => clock.now,
    );
    const subject = new PriorityRequestLimiter(
      limit,
      { backgroundShare: 0.5, liveQueue: 100, backgroundQueue: 100 },
      outcomeOf,
      () => clock.now,
    );
    // Quick answers set the baseline, then rounds of answers 30 times slower.
    const answer = (ms: number) => subject.run('live', () => Promise.resolve((clock.now += ms)));
    await answer(50);
    for (let round = 0; round < 7; round += 1) await answer(1_500);
    expect(limit.current).toBe(20);

    const background = gated(subject, 'background', 10);
    await tick();
    // 20 × 0.5 × 0.9^7 ≈ 4.8 of the 10 a healthy Salesforce would give them.
    expect(background.started()).toBe(4);
    const live = gated(subject, 'live', 16);
    await tick();
    expect(live.started()).toBe(16);

    await Promise.all([background.release(), live.release()]);
  });

  it('should start no more requests than the long-request ceiling once one has been in flight that long', async () => {
    const clock = { now: 0 };
    const limit = new AdaptiveConcurrencyLimit({ ...OPTIONS, initial: 40 }, () => clock.now);
    const subject = new PriorityRequestLimiter(
      limit,
      { backgroundShare: 0.3, liveQueue: 100, backgroundQueue: 10 },
      outcomeOf,
      () => clock.now,
    );
    const slow = deferred();
    const stuck = subject.run('live', () => slow.promise);
    const gates = Array.from({ length: 12 }, () => deferred());
    let started = 0;
    await tick();
    clock.now = 5_000;
    const later = gates.map((gate) =>
      subject.run('live', () => {
        started += 1;
        return gate.promise;
      }),
    );
    await tick();
    // The stuck request and 7 more: 8, the long-request ceiling, although the limit had been 40.
    expect(started).toBe(7);
    expect(subject.requestsInFlight).toBe(8);

    slow.resolve();
    gates.forEach((gate) => gate.resolve());
    await Promise.all([stuck, ...later]);
    expect(started).toBe(12);
  });

  it('should turn waiting background requests away when Salesforce signals overload', async () => {
    const subject = limiter(1, 1);
    const first = deferred();
    const running = subject.run('live', () => first.promise);
    const waiting = subject.run('background', () => Promise.resolve());

    first.reject(new SalesforceError(SalesforceErrorCode.UNAVAILABLE, 'down', true, { status: 503 }));
    await expect(running).rejects.toMatchObject({ code: SalesforceErrorCode.UNAVAILABLE });
    await expect(waiting).rejects.toMatchObject({ code: SalesforceErrorCode.RATE_LIMITED, retryable: true });
  });
});

describe('outcomeOf', () => {
  it.each([
    [new SalesforceError(SalesforceErrorCode.UNAVAILABLE, 'x', true, { status: 503 }), 'overloaded'],
    [
      new SalesforceError(SalesforceErrorCode.UNAVAILABLE, 'UNABLE_TO_LOCK_ROW', true, { status: 400 }),
      'overloaded',
    ],
    [new SalesforceError(SalesforceErrorCode.TIMEOUT, 'x', true), 'overloaded'],
    [new SalesforceError(SalesforceErrorCode.RATE_LIMITED, 'x', true, { status: 403 }), 'overloaded'],
    [new SalesforceError(SalesforceErrorCode.RATE_LIMITED, 'our own pause', true), undefined],
    [new SalesforceError(SalesforceErrorCode.VALIDATION, 'x', false, { status: 400 }), 'healthy'],
    [new Error('not from Salesforce'), undefined],
  ])('should read %p as %p', (error, outcome) => {
    expect(outcomeOf(error)).toBe(outcome);
  });
});
