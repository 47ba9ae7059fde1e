import { BulkheadPolicy, isBulkheadRejectedError } from 'cockatiel';
import { SalesforceError, SalesforceErrorCode } from './salesforce.errors';
import { ApiUsage, RequestPriority } from './salesforce.types';

export interface RequestBudgetOptions {
  maxConcurrency: number;
  /** Share of the concurrency that background requests may hold at once. */
  backgroundShare: number;
  /** Background requests are refused while api-usage / limit is at or above this. */
  backgroundUsageCeiling: number;
  /** Pause of background requests after REQUEST_LIMIT_EXCEEDED; doubles while it repeats. */
  limitBackoffMs: number;
}

const MAX_LIMIT_PAUSE_MS = 60 * 60_000;
const LIVE_QUEUE = 100_000;

/**
 * Two priorities over one pool of request slots (cockatiel bulkheads). Every request takes a slot of the
 * shared pool; background requests must first get one of the few background slots, so they can never hold
 * more than their share and live-call requests always find room. Background requests are also refused while
 * the org's daily usage is near its limit, and for a growing pause after `REQUEST_LIMIT_EXCEEDED` — the
 * outbox keeps them and tries later. Limits are per org and per rolling 24 h, so this is driven by
 * `Sforce-Limit-Info`, not by a fixed rate.
 */
export class RequestBudget {
  private readonly shared: BulkheadPolicy;
  private readonly background: BulkheadPolicy;
  private usage?: ApiUsage;
  private pausedUntil = 0;
  private limitStrikes = 0;

  constructor(
    private readonly options: RequestBudgetOptions,
    private readonly now: () => number = Date.now,
  ) {
    const backgroundSlots = Math.max(1, Math.floor(options.maxConcurrency * options.backgroundShare));
    this.shared = new BulkheadPolicy(options.maxConcurrency, LIVE_QUEUE);
    this.background = new BulkheadPolicy(backgroundSlots, backgroundSlots * 20);
  }

  async run<T>(priority: RequestPriority, fn: () => Promise<T>): Promise<T> {
    try {
      switch (priority) {
        case 'live':
          return await this.shared.execute(fn);
        case 'background':
          this.assertBackgroundAllowed();
          return await this.background.execute(() =>
            this.shared.execute(() => {
              this.assertBackgroundAllowed();
              return fn();
            }),
          );
      }
    } catch (error) {
      if (isBulkheadRejectedError(error)) {
        throw new SalesforceError(
          SalesforceErrorCode.RATE_LIMITED,
          `Salesforce ${priority} request queue is full`,
          true,
          {
            cause: error,
          },
        );
      }
      throw error;
    }
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
