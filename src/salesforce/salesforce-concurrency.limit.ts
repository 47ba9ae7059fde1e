import { SalesforceError, SalesforceErrorCode } from './salesforce.errors';
import { RequestPriority } from './salesforce.types';

/**
 * Salesforce has no limit on concurrent requests shorter than 20 seconds; it allows 25 per org that run 20 s or
 * longer, and answers the 26th with `403 REQUEST_LIMIT_EXCEEDED` ("ConcurrentRequests … Limit exceeded")
 * (Salesforce Developer Limits and Allocations Quick Reference, "API Request Limits and Allocations"). A
 * fixed cap is therefore either too low while Salesforce is fast or too high once it slows down. This one
 * adapts, AIMD as in TCP: until the first overload signal it doubles per round of healthy answers while the
 * limit is what holds requests back (slow start);
 * after that, one more per round; half as many after an overload signal (5xx, `UNABLE_TO_LOCK_ROW`, timeouts,
 * `REQUEST_LIMIT_EXCEEDED`); and, while answers take `longRequestMs` or more — or as soon as one request has been
 * in flight that long without an answer — never more than `longRequestCeiling`, below Salesforce's 25 so the
 * org's other integrations keep some room. At most one decrease per round trip, so a burst of failures from one
 * round counts once.
 *
 * Answers that are merely slow (much slower than the best seen lately, but short of `longRequestMs`) take a
 * tenth off the background share (`backgroundFactor`), not off the limit: Salesforce still answers, a short
 * request counts against no concurrency limit of its own, and a caller waiting on the line is served better by
 * a request sent now than by one queued here. The latency seen here also includes this process's own event
 * loop and CPU wait: under load that alone can make a healthy Salesforce look slow, and a live limit shrunk on
 * that account queues callers' requests past their budgets. Background writes can wait, so they make the room.
 */
export interface ConcurrencyLimitOptions {
  floor: number;
  ceiling: number;
  /** Where the limit starts (clamped between floor and ceiling). */
  initial: number;
  /** An answer this many times slower than the recent best counts as congestion… */
  latencyTolerance: number;
  /**
   * …when it also took this long: below it Salesforce is healthy whatever the ratio (our own event loop can
   * add that much under a burst).
   */
  slowAnswerMs: number;
  longRequestMs: number;
  longRequestCeiling: number;
  /** How long the best latency seen is remembered: the baseline follows a lasting change after two. */
  baselineWindowMs: number;
}

export type RequestOutcome = 'healthy' | 'overloaded';

const HARD_DECREASE = 0.5;
const SOFT_DECREASE = 0.9;
const SMOOTHING = 0.2;
/** The background share never shrinks below a tenth of itself (and a background request always has a slot). */
const MIN_BACKGROUND_FACTOR = 0.1;
/** A round of answers that are not slow gives back a tenth of the full background share. */
const BACKGROUND_RECOVERY_PER_ROUND = 0.1;

/** The limit and how it moves; no queues and no timers, so it can be driven sample by sample in tests. */
export class AdaptiveConcurrencyLimit {
  private value: number;
  private smoothedLatencyMs?: number;
  private previousWindowBest = Infinity;
  private windowBest = Infinity;
  private windowStartedAt: number;
  private lastDecreaseAt = -Infinity;
  private lastSlowAt = -Infinity;
  private slowStart = true;
  private background = 1;

  constructor(
    private readonly options: ConcurrencyLimitOptions,
    private readonly now: () => number = Date.now,
  ) {
    this.value = clamp(options.initial, options.floor, options.ceiling);
    this.windowStartedAt = now();
  }

  /** Requests that may be in flight at once now. */
  get current(): number {
    return Math.floor(this.value);
  }

  /** How much of their share background requests may use now (1: all of it; less while answers are slow). */
  get backgroundFactor(): number {
    return this.background;
  }

  /**
   * One finished request. `limited` says whether requests were waiting for a slot (or every slot was taken):
   * only then is a healthy answer a reason to allow more.
   */
  record(latencyMs: number, outcome: RequestOutcome, limited: boolean): void {
    const now = this.now();
    this.observeLatency(latencyMs, now);
    const { floor, ceiling, latencyTolerance, longRequestMs } = this.options;
    const smoothed = this.smoothedLatencyMs ?? latencyMs;
    const baseline = Math.min(this.previousWindowBest, this.windowBest);
    const slow = latencyMs >= this.options.slowAnswerMs && latencyMs > baseline * latencyTolerance;
    if (outcome === 'overloaded') {
      this.slowStart = false;
      this.decrease(HARD_DECREASE, now, smoothed);
    } else if (slow) {
      if (now - this.lastSlowAt >= smoothed) {
        this.lastSlowAt = now;
        this.background = Math.max(MIN_BACKGROUND_FACTOR, this.background * SOFT_DECREASE);
      }
    } else {
      this.background = Math.min(
        1,
        this.background + BACKGROUND_RECOVERY_PER_ROUND / Math.max(1, this.value),
      );
      if (limited) this.value = Math.min(ceiling, this.value + (this.slowStart ? 1 : 1 / this.value));
    }
    if (smoothed >= longRequestMs) this.capAtLongRequestCeiling();
    this.value = clamp(this.value, floor, ceiling);
  }

  /**
   * A request has been in flight for `longRequestMs` without an answer: Salesforce is slow now, before any
   * slow answer says so. The limit drops to the long-request ceiling at once, so no more long requests start
   * than Salesforce and the org's other integrations can bear.
   */
  requestRunningLong(ageMs: number): void {
    if (ageMs < this.options.longRequestMs) return;
    this.slowStart = false;
    this.capAtLongRequestCeiling();
  }

  private capAtLongRequestCeiling(): void {
    const { floor, ceiling, longRequestCeiling } = this.options;
    this.value = clamp(Math.min(this.value, Math.max(floor, longRequestCeiling)), floor, ceiling);
  }

  private decrease(factor: number, now: number, smoothedLatencyMs: number): void {
    if (now - this.lastDecreaseAt < smoothedLatencyMs) return;
    this.lastDecreaseAt = now;
    this.value = Math.max(this.options.floor, this.value * factor);
  }

  private observeLatency(latencyMs: number, now: number): void {
    this.smoothedLatencyMs =
      this.smoothedLatencyMs === undefined
        ? latencyMs
        : this.smoothedLatencyMs + SMOOTHING * (latencyMs - this.smoothedLatencyMs);
    if (now - this.windowStartedAt >= this.options.baselineWindowMs) {
      this.previousWindowBest = this.windowBest;
      this.windowBest = Infinity;
      this.windowStartedAt = now;
    }
    this.windowBest = Math.min(this.windowBest, Math.max(1, latencyMs));
  }
}

function clamp(value: number, low: number, high: number): number {
  return Math.min(high, Math.max(low, value));
}

export interface PriorityLimiterOptions {
  /** Share of the current limit that background requests may hold at once (at least one slot). */
  backgroundShare: number;
  liveQueue: number;
  backgroundQueue: number;
}

interface Waiter {
  start: () => void;
  reject: (error: unknown) => void;
}

/**
 * Request slots under an adaptive limit, live-call requests first: a freed slot goes to the oldest waiting
 * live request; background requests get one only when no live request waits and fewer than their share are
 * in flight. When Salesforce signals overload, waiting background requests are turned away at once (the
 * outbox keeps them and tries later), and so are new ones while live requests wait.
 */
export class PriorityRequestLimiter {
  private inFlight = 0;
  private backgroundInFlight = 0;
  /** Start times of the requests in flight, oldest first (a Map keeps insertion order). */
  private readonly started = new Map<symbol, number>();
  private readonly live: Waiter[] = [];
  private readonly background: Waiter[] = [];

  constructor(
    readonly limit: AdaptiveConcurrencyLimit,
    private readonly options: PriorityLimiterOptions,
    private readonly classify: (error: unknown) => RequestOutcome | undefined,
    private readonly now: () => number = Date.now,
  ) {}

  get requestsInFlight(): number {
    return this.inFlight;
  }

  get requestsWaiting(): number {
    return this.live.length + this.background.length;
  }

  async run<T>(priority: RequestPriority, fn: () => Promise<T>): Promise<T> {
    await this.acquire(priority);
    const startedAt = this.now();
    const request = Symbol('request');
    this.started.set(request, startedAt);
    let outcome: RequestOutcome | undefined = 'healthy';
    try {
      return await fn();
    } catch (error) {
      outcome = this.classify(error);
      throw error;
    } finally {
      this.started.delete(request);
      const limited = this.requestsWaiting > 0 || this.inFlight >= this.limit.current;
      this.inFlight -= 1;
      if (priority === 'background') this.backgroundInFlight -= 1;
      // Failures that say nothing about Salesforce's load (a validation error, our own refusal) are no sample.
      if (outcome) this.limit.record(this.now() - startedAt, outcome, limited);
      if (outcome === 'overloaded') this.shedBackground();
      this.dispatch();
    }
  }

  private acquire(priority: RequestPriority): Promise<void> {
    if (this.canStart(priority)) {
      this.take(priority);
      return Promise.resolve();
    }
    const queue = priority === 'live' ? this.live : this.background;
    const capacity = priority === 'live' ? this.options.liveQueue : this.options.backgroundQueue;
    if (queue.length >= capacity || (priority === 'background' && this.live.length > 0)) {
      return Promise.reject(queueFull(priority));
    }
    return new Promise<void>((resolve, reject) => {
      queue.push({ start: () => (this.take(priority), resolve()), reject });
    });
  }

  private canStart(priority: RequestPriority): boolean {
    this.checkOldest();
    if (this.inFlight >= this.limit.current) return false;
    if (priority === 'live') return this.live.length === 0;
    return this.live.length === 0 && this.backgroundInFlight < this.backgroundSlots();
  }

  private take(priority: RequestPriority): void {
    this.inFlight += 1;
    if (priority === 'background') this.backgroundInFlight += 1;
  }

  /** The oldest request in flight tells whether Salesforce is slow right now (see `requestRunningLong`). */
  private checkOldest(): void {
    const oldest = this.started.values().next();
    if (!oldest.done) this.limit.requestRunningLong(this.now() - oldest.value);
  }

  private dispatch(): void {
    this.checkOldest();
    while (this.inFlight < this.limit.current) {
      const next =
        this.live.shift() ??
        (this.backgroundInFlight < this.backgroundSlots() ? this.background.shift() : undefined);
      if (!next) return;
      next.start();
    }
  }

  private shedBackground(): void {
    for (const waiter of this.background.splice(0)) waiter.reject(queueFull('background'));
  }

  private backgroundSlots(): number {
    const { current, backgroundFactor } = this.limit;
    return Math.max(1, Math.floor(current * this.options.backgroundShare * backgroundFactor));
  }
}

function queueFull(priority: RequestPriority): SalesforceError {
  return new SalesforceError(
    SalesforceErrorCode.RATE_LIMITED,
    `Salesforce ${priority} request queue is full`,
    true,
  );
}
