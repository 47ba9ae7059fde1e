import type { CallIdentityKind } from '../store/database.types';

/** Who is calling, as far as Salesforce could tell. `ambiguous` and `account` are treated as unidentified. */
export interface CallerIdentity {
  kind: CallIdentityKind;
  contactId?: string;
  accountId?: string;
  firstName?: string;
}

export interface CreatedCaseRef {
  id: string;
  caseNumber: string;
}

export interface CallTransfer {
  number: string;
  at: string;
}

export interface CallState {
  id: string;
  callerNumber?: string;
  identity: CallerIdentity;
  twilioCallSid?: string;
  status: string;
  startedAt?: Date;
  endedAt?: Date;
  endedReason?: string;
  casesCreated: CreatedCaseRef[];
  transfer?: CallTransfer;
  reportReceivedAt?: Date;
}

/** True when tools may read and write this caller's own records. */
export function isIdentified(identity: CallerIdentity): identity is CallerIdentity & { contactId: string } {
  return identity.kind === 'identified' && identity.contactId !== undefined;
}
