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

/** How a transfer was made: blind, or warm with a message or a summary for the human agent. */
export type TransferMode = 'blind' | 'warm-message' | 'warm-summary';

export interface CallTransfer {
  number: string;
  at: string;
  /** Absent on transfers recorded before warm transfers existed: those were blind. */
  mode?: TransferMode;
}

/**
 * Whether the human took the call, from the call's `endedReason` (OpenAPI `Call.endedReason`):
 * `assistant-forwarded-call` means connected; the forwarding and transfer failures mean not; any other reason
 * after a warm transfer means the caller came back to the assistant (the fallback plan keeps the call).
 */
export type TransferOutcome = 'answered' | 'not-answered' | 'unknown';

const TRANSFER_NOT_ANSWERED = new Set([
  'call.forwarding.operator-busy',
  'call.forwarding.no-answer',
  'call.in-progress.error-transfer-failed',
  'call.in-progress.error-warm-transfer-max-duration',
  'call.in-progress.error-warm-transfer-assistant-cancelled',
  'call.in-progress.error-warm-transfer-silence-timeout',
  'call.in-progress.error-warm-transfer-microphone-timeout',
  'customer-ended-call-before-warm-transfer',
  'customer-ended-call-after-warm-transfer-attempt',
  'customer-ended-call-during-transfer',
]);

export function transferOutcome(transfer: CallTransfer, endedReason: string | undefined): TransferOutcome {
  if (!endedReason) return 'unknown';
  if (endedReason === 'assistant-forwarded-call') return 'answered';
  if (TRANSFER_NOT_ANSWERED.has(endedReason)) return 'not-answered';
  // A blind transfer that did not connect ends the call with one of the reasons above; a warm one falls back.
  return transfer.mode === 'warm-message' || transfer.mode === 'warm-summary' ? 'not-answered' : 'unknown';
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

/** How Salesforce records (CaseComment, Task) name a transfer's mode and outcome; read by agents, not callers. */
export const TRANSFER_MODE_WORDS: Record<TransferMode, string> = {
  blind: 'blind transfer',
  'warm-message': 'warm transfer, agent briefed with a message',
  'warm-summary': 'warm transfer, agent briefed with a call summary',
};

export const TRANSFER_OUTCOME_WORDS: Record<TransferOutcome, string> = {
  answered: 'the human agent answered and took the call',
  'not-answered': 'the human agent did not answer; the caller stayed with the assistant',
  unknown: 'whether the human agent answered is not known',
};
