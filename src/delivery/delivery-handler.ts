import { applyDecorators, Injectable, SetMetadata } from '@nestjs/common';
import type {
  DeliveryInput,
  DeliveryKind,
  DeliveryPayload,
  DeliveryPriority,
  DeliveryResult,
} from './delivery.types';
import type { FailureVerdict } from './retry-policy';

/** One attempt at one row, as its handler sees it. */
export interface DeliveryAttempt<K extends DeliveryKind> {
  payload: DeliveryPayload<K>;
  /**
   * An earlier attempt may have reached the target without us seeing the answer (crash, timeout, lost
   * response): the handler must check whether the write landed before it writes again.
   */
  inDoubt: boolean;
  priority: DeliveryPriority;
  idempotencyKey: string;
  callId: string | null;
}

export interface DeliverySuccess<K extends DeliveryKind> {
  result: DeliveryResult<K>;
  /** Rows committed in the same transaction as this success (e.g. the SMS after a case exists). */
  followUps?: DeliveryInput[];
  /** Recorded as `skipped` rather than `succeeded`: nothing was sent, on purpose. */
  skipped?: boolean;
}

/** A per-record refusal inside a batch whose request itself went through. */
export interface DeliveryRefusal {
  failure: FailureVerdict;
}

interface HandlerBase<K extends DeliveryKind> {
  readonly kind: K;
  /**
   * The external system the write goes to. Rows of one call run in order per target, and an outage of a
   * target pauses the worker's rows for it.
   */
  readonly target: string;
  /** How a thrown failure is treated: wait out, retry, or dead letter. */
  classify(error: unknown): FailureVerdict;
  /**
   * One cheap request to the target that resolves once it takes requests again (after an outage or a rate
   * limit). While a target waits, the worker calls the probe of one of its handlers every
   * DELIVERY_PROBE_INTERVAL_MS, and a success wakes the waiting rows instead of letting them sit out their
   * backoff. Optional: without one, the rows wait out their backoff.
   */
  probe?(): Promise<void>;
}

export interface SingleDeliveryHandler<K extends DeliveryKind> extends HandlerBase<K> {
  /** Performs the write; throws on failure. */
  deliver(attempt: DeliveryAttempt<K>): Promise<DeliverySuccess<K>>;
}

export interface BatchDeliveryHandler<K extends DeliveryKind> extends HandlerBase<K> {
  /** Rows per call of `deliverBatch`. */
  readonly batchSize: number;
  /**
   * Performs up to `batchSize` writes in one request; one outcome per attempt, in order. Throws when the
   * request as a whole failed.
   */
  deliverBatch(attempts: DeliveryAttempt<K>[]): Promise<(DeliverySuccess<K> | DeliveryRefusal)[]>;
}

export type DeliveryHandler<K extends DeliveryKind = DeliveryKind> =
  SingleDeliveryHandler<K> | BatchDeliveryHandler<K>;

export const DELIVERY_HANDLER_METADATA = Symbol('DELIVERY_HANDLER_METADATA');

/** Marks a provider as the handler of one delivery kind; the outbox discovers it at start-up. */
export const OutboxHandler = (): ClassDecorator =>
  applyDecorators(Injectable(), SetMetadata(DELIVERY_HANDLER_METADATA, true));

export function isBatchHandler<K extends DeliveryKind>(
  handler: DeliveryHandler<K>,
): handler is BatchDeliveryHandler<K> {
  return 'deliverBatch' in handler;
}
