/**
 * The kinds of write the outbox carries. The outbox itself knows none: each module that owns a kind declares
 * it here by module augmentation (its payload and its result) and provides a `@DeliveryHandler` for it, e.g.
 *
 *   declare module '../delivery/delivery.types' {
 *     interface DeliveryKinds { 'salesforce.case.comment': { payload: {…}; result: { id: string } } }
 *   }
 */
// eslint-disable-next-line @typescript-eslint/no-empty-object-type -- filled by module augmentation
export interface DeliveryKinds {}

export type DeliveryKind = Extract<keyof DeliveryKinds, string>;

type Shape<K extends DeliveryKind> = DeliveryKinds[K] extends { payload: unknown; result: unknown }
  ? DeliveryKinds[K]
  : never;
export type DeliveryPayload<K extends DeliveryKind> = Shape<K>['payload'];
export type DeliveryResult<K extends DeliveryKind> = Shape<K>['result'];

export type DeliveryStatus = 'pending' | 'succeeded' | 'dead' | 'skipped';
export const DELIVERY_STATUSES = [
  'pending',
  'succeeded',
  'dead',
  'skipped',
] as const satisfies readonly DeliveryStatus[];

/** Who waits for the attempt: a caller on the line (inline, first in line for the target) or nobody. */
export type DeliveryPriority = 'live' | 'background';

export type DeliveryInput = {
  [K in DeliveryKind]: {
    kind: K;
    /** Unique per write: the tool call id for tool writes, the call id for end-of-call writes. */
    idempotencyKey: string;
    /** Rows of one call run in submission order, per target. */
    callId?: string;
    payload: DeliveryPayload<K>;
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
    payload: DeliveryPayload<K>;
    result: DeliveryResult<K> | null;
  };
}[DeliveryKind];

export type DeliveryRecordOf<K extends DeliveryKind> = Extract<DeliveryRecord, { kind: K }>;

export type DeliveryOutcome<Result> =
  | { status: 'succeeded'; result: Result }
  /** Not done yet: it failed retryably or the budget ran out; the worker finishes it. */
  | { status: 'pending'; reason: string }
  /** Refused: `code` is the failure's code (e.g. `DUPLICATES_DETECTED`), for the answer the caller hears. */
  | { status: 'dead'; reason: string; code?: string };

/** A submitted row; `alreadySubmitted` when its idempotency key had a row already (returned unchanged). */
export type DeliverySubmission<K extends DeliveryKind> = DeliveryRecordOf<K> & { alreadySubmitted: boolean };

export interface DeliveryBacklog {
  pending: number;
  oldestPendingAgeSeconds: number;
  deadLetters: number;
}
