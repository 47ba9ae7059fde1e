import { Inject, Injectable, Logger } from '@nestjs/common';
import { withinDeadline } from '../common/deadline';
import { PhoneNumbers } from '../common/phone-numbers';
import { SalesforceClient } from '../salesforce/salesforce.client';
import { CallerMatch, CaseRecord, RequestPriority } from '../salesforce/salesforce.types';
import { callsConfig, CallsConfig } from './calls.config';
import { CallerIdentity, isIdentified } from './calls.types';

export interface IdentifiedCaller {
  identity: CallerIdentity;
  openCases: CaseRecord[];
  /** False when the budget ran out or Salesforce failed: the call goes on without personalisation. */
  complete: boolean;
}

const UNKNOWN: CallerIdentity = { kind: 'unknown' };
/** Open cases the assistant is told about. */
const OPEN_CASES_READ = 3;

/** Identifies the caller from their number within a time budget; never throws. */
@Injectable()
export class CallerIdentityService {
  private readonly logger = new Logger(CallerIdentityService.name);
  private readonly inFlight = new Map<string, Promise<IdentifiedCaller>>();

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
    const eventual = this.lookupOnce(e164);
    const withinBudget = withinDeadline(eventual, this.config.callerLookupBudgetMs, (): IdentifiedCaller => {
      this.logger.warn({ event: 'caller_lookup_over_budget' }, 'caller lookup ran out of time');
      return { identity: UNKNOWN, openCases: [], complete: false };
    });
    return { withinBudget, eventual };
  }

  /**
   * One Salesforce request per number at a time: a tool call that arrives while the assistant-request lookup
   * is still running (it ran out of budget) waits for that answer instead of asking again. Answers are kept
   * on the call row by the callers of `identify`, so this holds only lookups in flight.
   */
  private lookupOnce(e164: string): Promise<IdentifiedCaller> {
    const running = this.inFlight.get(e164);
    if (running) return running;
    const lookup = this.lookup(e164)
      .catch((error: unknown): IdentifiedCaller => {
        this.logger.warn(
          { event: 'caller_lookup_failed', code: (error as { code?: string }).code },
          'lookup failed',
        );
        return { identity: UNKNOWN, openCases: [], complete: false };
      })
      .finally(() => this.inFlight.delete(e164));
    this.inFlight.set(e164, lookup);
    return lookup;
  }

  /**
   * Who the caller is, asked of Salesforce now at `priority`, without a budget; throws when Salesforce cannot
   * answer. The worker uses it to name the contact on a call log when nobody identified the caller during
   * the call.
   */
  async resolve(callerNumber: string | undefined, priority: RequestPriority): Promise<CallerIdentity> {
    const e164 = this.phones.toE164(callerNumber);
    if (!e164) return { kind: 'unidentified' };
    return identityOf(await this.salesforce.findCallerByPhone(e164, priority));
  }

  /** The caller and their open cases: one request (`findCallerWithOpenCases`). */
  private async lookup(e164: string): Promise<IdentifiedCaller> {
    const found = await this.salesforce.findCallerWithOpenCases(e164, OPEN_CASES_READ, 'live');
    const identity = identityOf(found.match);
    return { identity, openCases: isIdentified(identity) ? found.openCases : [], complete: true };
  }
}

function identityOf(match: CallerMatch): CallerIdentity {
  switch (match.kind) {
    case 'identified':
      return {
        kind: 'identified',
        contactId: match.contact.id,
        accountId: match.contact.accountId ?? match.account?.id,
        firstName: match.contact.firstName,
        // Codes and notices go to a mobile when there is one: a landline cannot get a text.
        onFileNumber: match.contact.mobilePhone ?? match.contact.phone,
      };
    case 'account':
      // The number belongs to an account, not to a person we know: no case details until identified.
      return { kind: 'account', accountId: match.account.id };
    case 'ambiguous':
      return { kind: 'ambiguous' };
    case 'unidentified':
      return { kind: 'unidentified' };
  }
}
