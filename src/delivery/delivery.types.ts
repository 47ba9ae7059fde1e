import { ContactUpdate, CreatedCase, NewCallTask, NewCase } from '../salesforce/salesforce.types';

export interface CaseCreatePayload extends NewCase {
  /** Text the caller the case number once the case exists. `body` may contain `{caseNumber}`. */
  sms?: { to: string; body?: string };
  /**
   * The account number a caller gave while Salesforce could not be asked: resolved to `accountId` when the row
   * runs. An unknown number makes the row a dead letter with that reason.
   */
  accountNumber?: string;
}

/** What each kind of delivery carries. */
export interface DeliveryPayloads {
  'salesforce.case.create': CaseCreatePayload;
  'salesforce.case.comment': { caseId: string; body: string };
  'salesforce.contact.update': { contactId: string; fields: ContactUpdate };
  'salesforce.task.create': { task: NewCallTask; transcript?: { title: string; content: string } };
  /** Follow-up of a Task whose transcript was too long for its Description. */
  'salesforce.task.transcript': { taskId: string; title: string; content: string };
  'twilio.sms.send': { to: string; body: string };
}

/** What each kind of delivery stores once it has succeeded (or was skipped). */
export interface DeliveryResults {
  'salesforce.case.create': CreatedCase;
  'salesforce.case.comment': { id: string };
  'salesforce.contact.update': { updated: true };
  'salesforce.task.create': { id: string };
  'salesforce.task.transcript': { contentDocumentId: string };
  'twilio.sms.send': { sid: string; status: string } | { skipped: string };
}

export type DeliveryKind = keyof DeliveryPayloads;
export const DELIVERY_KINDS = [
  'salesforce.case.create',
  'salesforce.case.comment',
  'salesforce.contact.update',
  'salesforce.task.create',
  'salesforce.task.transcript',
  'twilio.sms.send',
] as const satisfies readonly DeliveryKind[];

export type DeliveryStatus = 'pending' | 'succeeded' | 'dead' | 'skipped';
export const DELIVERY_STATUSES = [
  'pending',
  'succeeded',
  'dead',
  'skipped',
] as const satisfies readonly DeliveryStatus[];

export type DeliveryTarget = 'salesforce' | 'twilio';

export type DeliveryInput = {
  [K in DeliveryKind]: {
    kind: K;
    /** Unique per write: the tool call id for tool writes, the call id for end-of-call writes. */
    idempotencyKey: string;
    callId?: string;
    payload: DeliveryPayloads[K];
  };
}[DeliveryKind];

interface DeliveryRecordBase {
  id: string;
  idempotencyKey: string;
  callId: string | null;
  status: DeliveryStatus;
  attempts: number;
  nextAttemptAt: Date;
  lastError: string | null;
  lastErrorCode: string | null;
  createdAt: Date;
  updatedAt: Date;
  completedAt: Date | null;
}

export type DeliveryRecord = {
  [K in DeliveryKind]: DeliveryRecordBase & {
    kind: K;
    payload: DeliveryPayloads[K];
    result: DeliveryResults[K] | null;
  };
}[DeliveryKind];

export type DeliveryRecordOf<K extends DeliveryKind> = Extract<DeliveryRecord, { kind: K }>;

export type DeliveryOutcome =
  | { status: 'succeeded'; result: DeliveryResults[DeliveryKind] }
  /** Not done yet: it failed retryably or the budget ran out; the worker finishes it. */
  | { status: 'pending'; reason: string }
  | { status: 'dead'; reason: string };

export interface DeliveryBacklog {
  pending: number;
  oldestPendingAgeSeconds: number;
  deadLetters: number;
}

export function targetOf(kind: DeliveryKind): DeliveryTarget {
  switch (kind) {
    case 'salesforce.case.create':
    case 'salesforce.case.comment':
    case 'salesforce.contact.update':
    case 'salesforce.task.create':
    case 'salesforce.task.transcript':
      return 'salesforce';
    case 'twilio.sms.send':
      return 'twilio';
  }
}
