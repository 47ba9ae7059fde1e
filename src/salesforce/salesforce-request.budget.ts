import { SalesforceError, SalesforceErrorCode } from './salesforce.errors';
import { ApiUsage, RequestPriority } from './salesforce.types';
import {
  AdaptiveConcurrencyLimit,
  ConcurrencyLimitOptions,
  PriorityRequestLimiter,
  RequestOutcome,
} from './salesforce-concurrency.limit';

export interface RequestBudgetOptions {
  /** Bounds of the adaptive in-flight limit (SALESFORCE_MIN_CONCURRENCY, SALESFORCE_MAX_CONCURRENCY). */
  minConcurrency: number;
  maxConcurrency: number;
  /** The limit while answers are long (SALESFORCE_LONG_REQUEST_CONCURRENCY). */
  longRequestConcurrency: number;
  /** Requests are cut off after this (SALESFORCE_REQUEST_TIMEOUT_MS). */
  requestTimeoutMs: number;
  /** Share of the current limit that background requests may hold at once. */
  backgroundShare: number;
  /** Background requests are refused while api-usage / limit is at or above this. */
  backgroundUsageCeiling: number;
  /** Pause of background requests after REQUEST_LIMIT_EXCEEDED; doubles while it repeats. */
  limitBackoffMs: number;
}

const MAX_LIMIT_PAUSE_MS = 60 * 60_000;
const LIVE_QUEUE = 100_000;
/**
 * Answers count as long from half of Salesforce's 20 s (or half our own timeout, when shorter): the limit
 * closes in on the 25 long requests before requests get there.
 */
const LONG_REQUEST_MS = 10_000;

export function concurrencyLimitOptions(options: RequestBudgetOptions): ConcurrencyLimitOptions {
  const floor = Math.min(options.minConcurrency, options.maxConcurrency);
  return {
    floor,
    ceiling: options.maxConcurrency,
    // Salesforce does not limit short requests, and a burst (a restart under load, a rush of calls) must not
    // wait for a cautious start: the limit starts at its ceiling. A request that runs long brings it down to
    // the long-request ceiling before it even answers (`requestRunningLong`).
    initial: options.maxConcurrency,
    latencyTolerance: 4,
    slowAnswerMs: 1_000,
    longRequestMs: Math.min(LONG_REQUEST_MS, options.requestTimeoutMs / 2),
    longRequestCeiling: options.longRequestConcurrency,
    baselineWindowMs: 60_000,
  };
}

/**
 * Overload signals lower the limit; any other answer from Salesforce is a healthy sample (it answered);
 * refusals of our own (a paused background request, a full queue) are no sample at all.
 */
export function outcomeOf(error: unknown): RequestOutcome | undefined {
  if (!(error instanceof SalesforceError)) return undefined;
  const { code, status } = error;
  if (code === SalesforceErrorCode.UNAVAILABLE || code === SalesforceErrorCode.TIMEOUT) return 'overloaded';
  if (status === undefined) return undefined;
  return code === SalesforceErrorCode.RATE_LIMITED ? 'overloaded' : 'healthy';
}

/**
 * Who may send a request to Salesforce now. An adaptive in-flight limit (`salesforce-concurrency.limit.ts`)
 * with live-call requests ahead of background ones; background requests are also refused while the org's
 * daily usage is near its limit, and for a growing pause after `REQUEST_LIMIT_EXCEEDED` — the outbox keeps
 * them and tries later. Limits are per org and per rolling 24 h, so this is driven by `Sforce-Limit-Info`,
 * not by a fixed rate.
 */
export class RequestBudget {
  private readonly limiter: PriorityRequestLimiter;
  private usage?: ApiUsage;
  private pausedUntil = 0;
  private limitStrikes = 0;

  constructor(
    private readonly options: RequestBudgetOptions,
    private readonly now: () => number = Date.now,
  ) {
    const backgroundQueue = Math.max(1, Math.floor(options.maxConcurrency * options.backgroundShare)) * 20;
    this.limiter = new PriorityRequestLimiter(
      new AdaptiveConcurrencyLimit(concurrencyLimitOptions(options), now),
      { backgroundShare: options.backgroundShare, liveQueue: LIVE_QUEUE, backgroundQueue },
      outcomeOf,
      now,
    );
  }

  async run<T>(priority: RequestPriority, fn: () => Promise<T>): Promise<T> {
    if (priority === 'live') return this.limiter.run(priority, fn);
    this.assertBackgroundAllowed();
    // Checked again once a slot is free: the pause may have begun while it waited.
    return this.limiter.run(priority, () => {
      this.assertBackgroundAllowed();
      return fn();
    });
  }

  /** The in-flight limit now, and the requests in flight and waiting (metrics, tests). */
  concurrency(): { limit: number; inFlight: number; waiting: number } {
    return {
      limit: this.limiter.limit.current,
      inFlight: this.limiter.requestsInFlight,
      waiting: this.limiter.requestsWaiting,
    };
  }

  recordUsage(used: number, limit: number): void {
    this.usage = { used, limit, observedAt: new Date(this.now()).toISOString() };
  }

  recordLimitExceeded(): void {
    this.limitStrikes += 1;
    const pause = Math.min(this.options.limitBackoffMs * 2 ** (this.limitStrikes - 1), MAX_LIMIT_PAUSE_MS);
    this.pausedUntil = this.now() + pause;
  }

  /**
   * A request went through. During a pause only live requests (or the outbox's probe) run, and one that
   * succeeds proves the limit no longer refuses us: the pause ends now instead of being sat out (it may have
   * grown to an hour). The strikes are kept until a pause passes without a new one, so a limit that keeps
   * coming back still pauses longer each time.
   */
  recordSuccess(): void {
    if (this.now() < this.pausedUntil) this.pausedUntil = 0;
    else if (this.limitStrikes > 0) this.limitStrikes = 0;
  }

  apiUsage(): ApiUsage | undefined {
    return this.usage;
  }

  /** Throws RATE_LIMITED while background requests are refused (limit pause, usage above the ceiling). */
  assertBackgroundAllowed(): void {
    if (this.now() < this.pausedUntil) {
      throw new SalesforceError(
        SalesforceErrorCode.RATE_LIMITED,
        'Salesforce background requests paused after REQUEST_LIMIT_EXCEEDED',
        true,
      );
    }
    const usage = this.usage;
    if (usage && usage.limit > 0 && usage.used / usage.limit >= this.options.backgroundUsageCeiling) {
      throw new SalesforceError(
        SalesforceErrorCode.RATE_LIMITED,
        `Salesforce background requests paused: api usage ${usage.used}/${usage.limit} is at or above ${Math.round(
          this.options.backgroundUsageCeiling * 100,
        )}% of the daily limit`,
        true,
      );
    }
  }
}
