import type { CallIdentityKind } from '../store/database.types';

/** Who is calling, as far as Salesforce could tell. `ambiguous` and `account` are treated as unidentified. */
export interface CallerIdentity {
  kind: CallIdentityKind;
  contactId?: string;
  accountId?: string;
  firstName?: string;
  /**
   * The identified contact's number on file (E.164; the mobile, else the phone): where one-time codes and
   * change notices go. Never a number the caller says.
   */
  onFileNumber?: string;
}

/**
 * How sure we are of who is calling. `recognised`: the caller ID matches exactly one Contact, which anyone can
 * fake. `verified`: the caller read back a one-time code texted to that Contact's number on file.
 */
export type CallerAssurance = 'unknown' | 'recognised' | 'verified';

/** Codes a caller may try in one call; then verification is locked for the rest of it. */
export const MAX_VERIFICATION_ATTEMPTS = 3;

export interface CallVerification {
  /** When a one-time code was last texted in this call. */
  codeSentAt?: Date;
  /** Codes tried in this call, right or wrong. */
  attempts: number;
  verifiedAt?: Date;
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
  verification: CallVerification;
}

/** True when tools may read and write this caller's own records. */
export function isIdentified(identity: CallerIdentity): identity is CallerIdentity & { contactId: string } {
  return identity.kind === 'identified' && identity.contactId !== undefined;
}

export function assuranceOf(identity: CallerIdentity, verification: CallVerification): CallerAssurance {
  if (!isIdentified(identity)) return 'unknown';
  return verification.verifiedAt ? 'verified' : 'recognised';
}

/** No more codes may be tried in this call. */
export function isVerificationLocked(verification: CallVerification): boolean {
  return !verification.verifiedAt && verification.attempts >= MAX_VERIFICATION_ATTEMPTS;
}
