import { Inject, Injectable } from '@nestjs/common';
import { setTimeout as sleep } from 'node:timers/promises';
import { Clock } from './clock';
import { withinDeadline } from '../common/deadline';
import { deliveryConfig, DeliveryConfig } from './delivery.config';
import { DeliveryExecutor } from './delivery.executor';
import { DeliveryListFilter, DeliveryRepository, toRecord } from './delivery.repository';
import { Database } from '../store/database.factory';
import type { DeliveryRow } from '../store/database.types';
import { InjectDatabase } from '../store/store.tokens';
import {
  DeliveryBacklog,
  DeliveryInput,
  DeliveryOutcome,
  DeliveryRecord,
  DeliveryRecordOf,
  DeliveryResult,
  DeliverySubmission,
} from './delivery.types';

export class UnknownDeliveryError extends Error {
  constructor() {
    super('No delivery with this id');
    this.name = 'UnknownDeliveryError';
  }
}

/** How often an inline caller looks again at a row that another process is running. */
const SETTLE_POLL_MS = 100;

/**
 * The outbox's public face: commit a write durably, then try it at once within a budget, or leave it to the
 * worker. Everything here is safe to call repeatedly with the same idempotency key.
 */
@Injectable()
export class DeliveryService {
  /** Rows that `submit({ runNow })` inserted leased to this process, waiting for their `runInline`. */
  private readonly leasedForInline = new WeakMap<DeliveryRecord, DeliveryRow>();

  constructor(
    private readonly repository: DeliveryRepository,
    private readonly executor: DeliveryExecutor,
    private readonly clock: Clock,
    @Inject(deliveryConfig.KEY) private readonly config: DeliveryConfig,
    @InjectDatabase() private readonly db: Database,
  ) {}

  /**
   * Commits the row (durable when this resolves), or returns the existing row for that key unchanged
   * (`alreadySubmitted`). `alongWith` runs the caller's own writes in the same transaction, so that they and
   * the row are durable together or not at all (one commit, one fsync on SQLite). `runNow`: the caller passes
   * the submission to `runInline` next, so a new row is inserted leased to this process — otherwise a worker
   * (of any replica) polling the outbox could take it first and leave the caller waiting for it.
   */
  async submit<Input extends DeliveryInput>(
    input: Input,
    options: { alongWith?: (transaction: Database) => Promise<void>; runNow?: boolean } = {},
  ): Promise<DeliverySubmission<Input['kind']>> {
    const delivery = this.executor.newDelivery(input);
    const { alongWith, runNow } = options;
    const lease = runNow ? { owner: this.executor.owner, leaseMs: this.config.leaseMs } : undefined;
    const { row, inserted } = alongWith
      ? await this.db.transaction().execute(async (transaction) => {
          await alongWith(transaction);
          return this.repository.insert(delivery, this.clock.now(), transaction, lease);
        })
      : await this.repository.insert(delivery, this.clock.now(), this.db, lease);
    const submission = { ...(toRecord(row) as DeliveryRecordOf<Input['kind']>), alreadySubmitted: !inserted };
    if (lease && inserted) this.leasedForInline.set(submission, row);
    return submission;
  }

  /**
   * Runs the row now for a caller who is waiting. Past the budget the attempt keeps going in the background
   * and records its outcome (and follow-ups) when it ends; the caller hears `pending` and the worker takes
   * over if that attempt fails.
   */
  async runInline<Record extends DeliveryRecord>(
    record: Record,
    budgetMs: number,
  ): Promise<DeliveryOutcome<DeliveryResult<Record['kind']>>> {
    return (await this.runInlineOf(record, budgetMs)) as DeliveryOutcome<DeliveryResult<Record['kind']>>;
  }

  private async runInlineOf(record: DeliveryRecord, budgetMs: number): Promise<DeliveryOutcome<unknown>> {
    const deadline = Date.now() + budgetMs;
    const leased = this.leasedForInline.get(record);
    this.leasedForInline.delete(record);
    const row =
      leased ??
      (await this.repository.claimOne(record.id, this.executor.owner, this.clock.now(), this.config.leaseMs));
    if (!row) return this.awaitSettled(record.id, deadline);

    const attempt = this.executor.run([row], 'live').then((outcomes) => outcomes.get(row.seq));
    const outcome = await withinDeadline(attempt, deadline - Date.now(), () => undefined);
    return (
      outcome ?? {
        status: 'pending',
        reason: 'Still running when the budget ran out; the outbox will finish it',
      }
    );
  }

  async get(id: string): Promise<DeliveryRecord | undefined> {
    const row = await this.repository.findById(id);
    return row && toRecord(row);
  }

  async findByKey(idempotencyKey: string): Promise<DeliveryRecord | undefined> {
    const row = await this.repository.findByKey(idempotencyKey);
    return row && toRecord(row);
  }

  async listForCall(callId: string): Promise<DeliveryRecord[]> {
    return (await this.repository.listForCall(callId)).map(toRecord);
  }

  async list(filter: DeliveryListFilter): Promise<DeliveryRecord[]> {
    return (await this.repository.list(filter)).map(toRecord);
  }

  backlog(): Promise<DeliveryBacklog> {
    return this.repository.backlog(this.clock.now());
  }

  /** Puts one dead letter back in the queue; false when it is not a dead letter. */
  async replay(id: string): Promise<boolean> {
    return (await this.repository.replay({ id }, this.clock.now())) > 0;
  }

  /** Puts every dead letter back in the queue; returns how many. */
  replayAllDead(): Promise<number> {
    return this.repository.replay('all-dead', this.clock.now());
  }

  /** Retention: deletes up to `limit` rows delivered before `completedBefore`; returns how many. */
  pruneDelivered(completedBefore: number, limit: number): Promise<number> {
    return this.repository.pruneDelivered(completedBefore, limit);
  }

  /** Deletes one dead letter for good; false when it is not a dead letter. */
  async discard(id: string): Promise<boolean> {
    return (await this.repository.discardDead(id)) > 0;
  }

  /** The row is finished, or another process is running it: report its state, waiting within the budget. */
  private async awaitSettled(id: string, deadline: number): Promise<DeliveryOutcome<unknown>> {
    for (;;) {
      const record = await this.get(id);
      if (!record) throw new UnknownDeliveryError();
      switch (record.status) {
        case 'succeeded':
        case 'skipped':
          // Finished rows always carry their result; the guard only satisfies the type.
          if (record.result !== null) return { status: 'succeeded', result: record.result };
          break;
        case 'dead':
          return {
            status: 'dead',
            reason: record.lastError ?? 'Dead letter',
            code: record.lastErrorCode ?? undefined,
          };
        case 'pending':
          break;
      }
      const remaining = deadline - Date.now();
      if (remaining <= 0)
        return { status: 'pending', reason: record.lastError ?? 'Being delivered by another worker' };
      await sleep(Math.min(SETTLE_POLL_MS, remaining));
    }
  }
}
