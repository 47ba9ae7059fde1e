import { Injectable } from '@nestjs/common';
import { SalesforceClient } from '../salesforce/salesforce.client';
import { ReadinessCheck, ReadinessResult } from './readiness-check';

const SCHEMA_RECHECK_MS = 5 * 60_000;

/** Reports the OAuth token (valid / expiring / failed, seconds left, last error) and the org's API usage. */
@Injectable()
export class SalesforceTokenCheck implements ReadinessCheck {
  readonly key = 'salesforce' as const;
  private schema?: { problems: Promise<string[]>; checkedAt: number };

  constructor(private readonly salesforce: SalesforceClient) {}

  async check(): Promise<ReadinessResult> {
    // The first probe obtains a token and checks the org's schema; a clean result is kept, problems are
    // re-checked every few minutes so a fix in the org is noticed without a restart.
    if (!this.schema || Date.now() - this.schema.checkedAt > SCHEMA_RECHECK_MS) {
      const problems = this.salesforce.checkSchema().catch(() => {
        this.schema = undefined;
        return [] as string[];
      });
      this.schema = { problems, checkedAt: Date.now() };
      void problems.then((found) => {
        if (found.length === 0 && this.schema) this.schema.checkedAt = Number.POSITIVE_INFINITY;
      });
    }
    const schemaProblems = await this.schema.problems;
    const status = this.salesforce.tokenStatus();
    const usage = this.salesforce.apiUsage();
    return {
      up: (status.state === 'valid' || status.state === 'expiring') && schemaProblems.length === 0,
      details: {
        token: status.state,
        ...(status.secondsLeft !== undefined ? { secondsLeft: status.secondsLeft } : {}),
        ...(status.lastError ? { lastError: status.lastError } : {}),
        ...(schemaProblems.length > 0 ? { schemaProblems } : {}),
        ...(usage ? { apiUsage: usage.used, apiLimit: usage.limit } : {}),
      },
    };
  }
}
