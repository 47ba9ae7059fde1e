import { Inject, Injectable } from '@nestjs/common';
import { setTimeout as sleep } from 'node:timers/promises';
import { Clock } from './clock';
import { deliveryConfig, DeliveryConfig } from './delivery.config';
import { DeliveryExecutor } from './delivery.executor';
import { DeliveryListFilter, DeliveryRepository, toRecord } from './delivery.repository';
import { DeliveryBacklog, DeliveryInput, DeliveryOutcome, DeliveryRecord } from './delivery.types';

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
  constructor(
    private readonly repository: DeliveryRepository,
    private readonly executor: DeliveryExecutor,
    private readonly clock: Clock,
    @Inject(deliveryConfig.KEY) private readonly config: DeliveryConfig,
  ) {}

  /** Commits the row (durable when this resolves), or returns the existing row for that key unchanged. */
  async submit(input: DeliveryInput): Promise<DeliveryRecord> {
    return toRecord(await this.repository.insert(input, this.clock.now()));
  }

  /**
   * Runs the row now for a caller who is waiting. Past the budget the attempt keeps going in the background
   * and records its outcome (and follow-ups) when it ends; the caller hears `pending` and the worker takes
   * over if that attempt fails.
   */
  async runInline(id: string, budgetMs: number): Promise<DeliveryOutcome> {
    const deadline = Date.now() + budgetMs;
    const row = await this.repository.claimOne(
      id,
      this.executor.owner,
      this.clock.now(),
      this.config.leaseMs,
    );
    if (!row) return this.awaitSettled(id, deadline);

    const attempt = this.executor.run([row], 'live').then((outcomes) => outcomes.get(row.seq));
    const budget = new AbortController();
    const expired = sleep(Math.max(0, deadline - Date.now()), undefined, { signal: budget.signal })
      .then(() => undefined)
      .catch(() => undefined);
    try {
      const outcome = await Promise.race([attempt, expired]);
      return (
        outcome ?? {
          status: 'pending',
          reason: 'Still running when the budget ran out; the outbox will finish it',
        }
      );
    } finally {
      budget.abort();
    }
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

  /** The row is finished, or another process is running it: report its state, waiting within the budget. */
  private async awaitSettled(id: string, deadline: number): Promise<DeliveryOutcome> {
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
          return { status: 'dead', reason: record.lastError ?? 'Dead letter' };
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
