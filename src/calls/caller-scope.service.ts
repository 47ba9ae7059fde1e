import { Injectable } from '@nestjs/common';
import { CaseRecord } from '../salesforce/salesforce.types';
import { ToolCallContext } from '../vapi/vapi-tool.decorator';
import { CallerIdentityService } from './caller-identity.service';
import { CallsRepository } from './calls.repository';
import {
  assuranceOf,
  CallerAssurance,
  CallerIdentity,
  CallVerification,
  CreatedCaseRef,
  isIdentified,
} from './calls.types';

export interface CallerScopeView {
  identity: CallerIdentity;
  casesCreatedInCall: CreatedCaseRef[];
  assurance: CallerAssurance;
  verification: CallVerification;
}

/**
 * Decides what a tool may touch for this call: the identified caller's own records, and cases opened during
 * this very call. The caller's number comes from the call (Twilio signalling), never from tool arguments.
 */
@Injectable()
export class CallerScope {
  constructor(
    private readonly calls: CallsRepository,
    private readonly identities: CallerIdentityService,
  ) {}

  async for(context: ToolCallContext): Promise<CallerScopeView> {
    const now = Date.now();
    if (!context.callId) {
      // Without a call id nothing can be kept between tool calls, a verification least of all.
      const { identity } = await this.identities.identify(context.customerNumber).eventual;
      const verification = { attempts: 0 };
      return {
        identity,
        casesCreatedInCall: [],
        assurance: assuranceOf(identity, verification),
        verification,
      };
    }
    let state = await this.calls.get(context.callId);
    if (!state) {
      await this.calls.record(
        context.callId,
        { callerNumber: context.customerNumber, twilioCallSid: context.twilioCallSid },
        now,
      );
      state = await this.calls.get(context.callId);
    }
    let identity = state?.identity ?? { kind: 'unknown' as const };
    if (identity.kind === 'unknown') {
      // assistant-request ran out of time (or never came): identify now, and keep the answer for the call.
      const found = await this.identities.identify(state?.callerNumber ?? context.customerNumber).eventual;
      identity = found.identity;
      if (found.complete) await this.calls.saveIdentity(context.callId, identity, now);
    }
    const verification = state?.verification ?? { attempts: 0 };
    return {
      identity,
      casesCreatedInCall: state?.casesCreated ?? [],
      assurance: assuranceOf(identity, verification),
      verification,
    };
  }

  /** A case is the caller's when it is their contact's, their account's without a contact, or opened in this call. */
  owns(scope: CallerScopeView, record: CaseRecord): boolean {
    if (scope.casesCreatedInCall.some((created) => created.id === record.id)) return true;
    const { identity } = scope;
    if (!isIdentified(identity)) return false;
    if (record.contactId) return record.contactId === identity.contactId;
    return identity.accountId !== undefined && record.accountId === identity.accountId;
  }
}
