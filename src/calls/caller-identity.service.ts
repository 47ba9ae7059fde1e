import { Inject, Injectable, Logger } from '@nestjs/common';
import { PhoneNumbers } from '../common/phone-numbers';
import { SalesforceClient } from '../salesforce/salesforce.client';
import { CaseRecord } from '../salesforce/salesforce.types';
import { callsConfig, CallsConfig } from './calls.config';
import { CallerIdentity } from './calls.types';

export interface IdentifiedCaller {
  identity: CallerIdentity;
  openCases: CaseRecord[];
  /** False when the budget ran out or Salesforce failed: the call goes on without personalisation. */
  complete: boolean;
}

const UNKNOWN: CallerIdentity = { kind: 'unknown' };

/** Identifies the caller from their number within a time budget; never throws. */
@Injectable()
export class CallerIdentityService {
  private readonly logger = new Logger(CallerIdentityService.name);

  constructor(
    private readonly salesforce: SalesforceClient,
    private readonly phones: PhoneNumbers,
    @Inject(callsConfig.KEY) private readonly config: CallsConfig,
  ) {}

  /**
   * Looks the caller up. `withinBudget` settles by the configured budget (incomplete if Salesforce is slow or
   * down); `eventual` settles when the lookup itself ends, so a slow answer can still be kept for the call.
   */
  identify(callerNumber: string | undefined): {
    withinBudget: Promise<IdentifiedCaller>;
    eventual: Promise<IdentifiedCaller>;
  } {
    const e164 = this.phones.toE164(callerNumber);
    if (!e164) {
      const none = Promise.resolve({
        identity: { kind: 'unidentified' as const },
        openCases: [],
        complete: true,
      });
      return { withinBudget: none, eventual: none };
    }
    // Identification and the open-cases query are two round trips: when only the second misses the budget, the
    // caller is still greeted by name (without their cases).
    let identified: CallerIdentity | undefined;
    const eventual = this.lookup(e164, (identity) => (identified = identity)).catch((error: unknown) => {
      this.logger.warn(
        { event: 'caller_lookup_failed', code: (error as { code?: string }).code },
        'lookup failed',
      );
      return { identity: UNKNOWN, openCases: [], complete: false };
    });
    let timer: NodeJS.Timeout | undefined;
    const budget = new Promise<IdentifiedCaller>((resolve) => {
      timer = setTimeout(() => {
        this.logger.warn({ event: 'caller_lookup_over_budget' }, 'caller lookup ran out of time');
        resolve({ identity: identified ?? UNKNOWN, openCases: [], complete: false });
      }, this.config.callerLookupBudgetMs);
    });
    const withinBudget = Promise.race([eventual, budget]).finally(() => clearTimeout(timer));
    return { withinBudget, eventual };
  }

  private async lookup(
    e164: string,
    onIdentified: (identity: CallerIdentity) => void,
  ): Promise<IdentifiedCaller> {
    const match = await this.salesforce.findCallerByPhone(e164, 'live');
    switch (match.kind) {
      case 'identified': {
        const identity: CallerIdentity = {
          kind: 'identified',
          contactId: match.contact.id,
          accountId: match.contact.accountId ?? match.account?.id,
          firstName: match.contact.firstName,
        };
        onIdentified(identity);
        const openCases = await this.salesforce.listOpenCases({ contactId: match.contact.id }, 3, 'live');
        return { identity, openCases, complete: true };
      }
      case 'account':
        // The number belongs to an account, not to a person we know: no case details until identified.
        return { identity: { kind: 'account', accountId: match.account.id }, openCases: [], complete: true };
      case 'ambiguous':
        return { identity: { kind: 'ambiguous' }, openCases: [], complete: true };
      case 'unidentified':
        return { identity: { kind: 'unidentified' }, openCases: [], complete: true };
    }
  }
}
