import { Injectable } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { ExpressionBuilder, sql, UpdateObject } from 'kysely';
import { Database, dialectOf } from '../store/database.factory';
import { DatabaseSchema, DeliveryRow, NewDeliveryRow } from '../store/database.types';
import { InjectDatabase } from '../store/store.tokens';
import {
  DeliveryBacklog,
  DeliveryInput,
  DeliveryKind,
  DeliveryRecord,
  DeliveryResults,
  DeliveryStatus,
  DeliveryTarget,
  targetOf,
} from './delivery.types';

/** The end of one attempt, as written back to its row. */
export type AttemptRecord =
  | { type: 'succeeded'; row: DeliveryRow; result: DeliveryResults[DeliveryKind]; followUps: DeliveryInput[] }
  | { type: 'skipped'; row: DeliveryRow; result: DeliveryResults[DeliveryKind] }
  | {
      type: 'retry';
      row: DeliveryRow;
      owner: string;
      code: string;
      reason: string;
      sent: boolean;
      nextAttemptAt: number;
    }
  | { type: 'dead'; row: DeliveryRow; owner: string; code: string; reason: string };

export interface DeliveryListFilter {
  status?: DeliveryStatus;
  kind?: DeliveryKind;
  limit: number;
  offset: number;
}

/** All SQL of the outbox. One query text serves both dialects except the row locks PostgreSQL needs. */
@Injectable()
export class DeliveryRepository {
  constructor(@InjectDatabase() private readonly db: Database) {}

  /** Commits a new row, or leaves the existing row of that idempotency key untouched. */
  async insert(input: DeliveryInput, now: number): Promise<DeliveryRow> {
    await this.db
      .insertInto('deliveries')
      .values(newRow(input, now))
      .onConflict((c) => c.column('idempotency_key').doNothing())
      .execute();
    const row = await this.findByKey(input.idempotencyKey);
    if (!row) throw new Error('Delivery row vanished right after insert');
    return row;
  }

  findById(id: string): Promise<DeliveryRow | undefined> {
    return this.db.selectFrom('deliveries').selectAll().where('id', '=', id).executeTakeFirst();
  }

  findByKey(idempotencyKey: string): Promise<DeliveryRow | undefined> {
    return this.db
      .selectFrom('deliveries')
      .selectAll()
      .where('idempotency_key', '=', idempotencyKey)
      .executeTakeFirst();
  }

  listForCall(callId: string): Promise<DeliveryRow[]> {
    return this.db
      .selectFrom('deliveries')
      .selectAll()
      .where('call_id', '=', callId)
      .orderBy('seq')
      .execute();
  }

  list(filter: DeliveryListFilter): Promise<DeliveryRow[]> {
    return this.db
      .selectFrom('deliveries')
      .selectAll()
      .$if(filter.status !== undefined, (qb) => qb.where('status', '=', filter.status as DeliveryStatus))
      .$if(filter.kind !== undefined, (qb) => qb.where('kind', '=', filter.kind as DeliveryKind))
      .orderBy('seq', 'desc')
      .limit(filter.limit)
      .offset(filter.offset)
      .execute();
  }

  /**
   * Leases up to `limit` due rows. Only the earliest pending row of each call and target is eligible, so the
   * writes of one call land in the order they were submitted. On PostgreSQL `FOR UPDATE SKIP LOCKED` lets
   * replicas claim side by side without ever taking the same row; SQLite runs the statement under its single
   * write lock. A row whose earlier attempt may have reached the target is flagged `in_doubt` (sticky).
   */
  async claimDue(options: {
    owner: string;
    now: number;
    leaseMs: number;
    limit: number;
    targets: DeliveryTarget[];
  }): Promise<DeliveryRow[]> {
    if (options.targets.length === 0) return [];
    const { owner, now, leaseMs, limit, targets } = options;
    const postgres = dialectOf(this.db) === 'postgres';
    const rows = await this.db
      .with('picked', (db) =>
        db
          .selectFrom('deliveries as d')
          .select('d.seq')
          .where('d.status', '=', 'pending')
          .where('d.next_attempt_at', '<=', now)
          .where((eb) => eb.or([eb('d.lease_until', 'is', null), eb('d.lease_until', '<=', now)]))
          .where('d.target', 'in', targets)
          .where((eb) =>
            eb.not(
              eb.exists(
                eb
                  .selectFrom('deliveries as p')
                  .select(sql.lit(1).as('one'))
                  .whereRef('p.call_id', '=', 'd.call_id')
                  .whereRef('p.target', '=', 'd.target')
                  .where('p.status', '=', 'pending')
                  .whereRef('p.seq', '<', 'd.seq'),
              ),
            ),
          )
          .orderBy('d.next_attempt_at')
          .orderBy('d.seq')
          .limit(limit)
          .$if(postgres, (qb) => qb.forUpdate().skipLocked()),
      )
      .updateTable('deliveries')
      .set((eb) => leaseColumns(eb, owner, now, leaseMs))
      .where('seq', 'in', (eb) => eb.selectFrom('picked').select('picked.seq'))
      .returningAll()
      .execute();
    return rows.sort((a, b) => a.seq - b.seq);
  }

  /** Leases one row for an inline attempt, whether due or not; undefined when it is finished or leased. */
  claimOne(id: string, owner: string, now: number, leaseMs: number): Promise<DeliveryRow | undefined> {
    return this.db
      .updateTable('deliveries')
      .set((eb) => leaseColumns(eb, owner, now, leaseMs))
      .where('id', '=', id)
      .where('status', '=', 'pending')
      .where((eb) => eb.or([eb('lease_until', 'is', null), eb('lease_until', '<=', now)]))
      .returningAll()
      .executeTakeFirst();
  }

  /**
   * Writes back the ends of attempts in one transaction (one fsync for a whole batch on SQLite). A success
   * is recorded even if the lease was lost meanwhile — the write did happen — and its follow-up rows are
   * committed with it. Failures are recorded only by the lease holder. Returns the rows actually updated.
   */
  async record(attempts: AttemptRecord[], now: number): Promise<Set<number>> {
    const applied = new Set<number>();
    if (attempts.length === 0) return applied;
    await this.db.transaction().execute(async (trx) => {
      for (const attempt of attempts) {
        const pending = trx
          .updateTable('deliveries')
          .where('seq', '=', attempt.row.seq)
          .where('status', '=', 'pending');
        let updated: bigint;
        switch (attempt.type) {
          case 'succeeded':
          case 'skipped':
            ({ numUpdatedRows: updated } = await pending
              .set({
                status: attempt.type,
                result: JSON.stringify(attempt.result),
                lease_owner: null,
                lease_until: null,
                updated_at: now,
                completed_at: now,
              })
              .executeTakeFirst());
            if (updated > 0n && attempt.type === 'succeeded') {
              for (const followUp of attempt.followUps) {
                await trx
                  .insertInto('deliveries')
                  .values(newRow(followUp, now))
                  .onConflict((c) => c.column('idempotency_key').doNothing())
                  .execute();
              }
            }
            break;
          case 'retry':
            ({ numUpdatedRows: updated } = await pending
              .where('lease_owner', '=', attempt.owner)
              .set((eb) => ({
                next_attempt_at: attempt.nextAttemptAt,
                lease_owner: null,
                lease_until: null,
                last_error: attempt.reason,
                last_error_code: attempt.code,
                unsent_failures: attempt.sent ? eb.ref('unsent_failures') : eb('unsent_failures', '+', 1),
                updated_at: now,
              }))
              .executeTakeFirst());
            break;
          case 'dead':
            ({ numUpdatedRows: updated } = await pending
              .where('lease_owner', '=', attempt.owner)
              .set({
                status: 'dead',
                lease_owner: null,
                lease_until: null,
                last_error: attempt.reason,
                last_error_code: attempt.code,
                updated_at: now,
                completed_at: now,
              })
              .executeTakeFirst());
            break;
        }
        if (updated > 0n) applied.add(attempt.row.seq);
      }
    });
    return applied;
  }

  /** Gives back this owner's leases (shutdown): the rows become claimable at once, flagged in doubt. */
  async releaseLeases(owner: string, now: number): Promise<number> {
    const { numUpdatedRows } = await this.db
      .updateTable('deliveries')
      .set({ lease_owner: null, lease_until: null, updated_at: now })
      .where('lease_owner', '=', owner)
      .where('status', '=', 'pending')
      .executeTakeFirst();
    return Number(numUpdatedRows);
  }

  async backlog(now: number): Promise<DeliveryBacklog> {
    const pending = await this.db
      .selectFrom('deliveries')
      .select((eb) => [eb.fn.countAll<number>().as('count'), eb.fn.min('created_at').as('oldest')])
      .where('status', '=', 'pending')
      .executeTakeFirstOrThrow();
    const dead = await this.db
      .selectFrom('deliveries')
      .select((eb) => eb.fn.countAll<number>().as('count'))
      .where('status', '=', 'dead')
      .executeTakeFirstOrThrow();
    const oldest = pending.oldest === null ? null : Number(pending.oldest);
    return {
      pending: Number(pending.count),
      oldestPendingAgeSeconds: oldest === null ? 0 : Math.max(0, Math.floor((now - oldest) / 1000)),
      deadLetters: Number(dead.count),
    };
  }

  /** Puts dead letters back in the queue; an earlier doubt about them is kept. */
  async replay(where: { id: string } | 'all-dead', now: number): Promise<number> {
    const { numUpdatedRows } = await this.db
      .updateTable('deliveries')
      .set((eb) => ({
        status: 'pending',
        attempts: 0,
        unsent_failures: 0,
        in_doubt: eb
          .case()
          .when('attempts', '>', eb.ref('unsent_failures'))
          .then(1)
          .else(eb.ref('in_doubt'))
          .end(),
        next_attempt_at: now,
        lease_owner: null,
        lease_until: null,
        completed_at: null,
        updated_at: now,
      }))
      .where('status', '=', 'dead')
      .$if(where !== 'all-dead', (qb) => qb.where('id', '=', (where as { id: string }).id))
      .executeTakeFirst();
    return Number(numUpdatedRows);
  }
}

function newRow(input: DeliveryInput, now: number): NewDeliveryRow {
  return {
    id: randomUUID(),
    kind: input.kind,
    target: targetOf(input.kind),
    idempotency_key: input.idempotencyKey,
    call_id: input.callId ?? null,
    payload: JSON.stringify(input.payload),
    status: 'pending',
    attempts: 0,
    unsent_failures: 0,
    in_doubt: 0,
    next_attempt_at: now,
    created_at: now,
    updated_at: now,
  };
}

function leaseColumns(
  eb: ExpressionBuilder<DatabaseSchema, 'deliveries'>,
  owner: string,
  now: number,
  leaseMs: number,
): UpdateObject<DatabaseSchema, 'deliveries'> {
  return {
    lease_owner: owner,
    lease_until: now + leaseMs,
    attempts: eb('attempts', '+', 1),
    // SET expressions read the row as it was: an earlier attempt that did not end in a known refusal
    // (crash, timeout, lost response) may have reached the target.
    in_doubt: eb
      .case()
      .when('attempts', '>', eb.ref('unsent_failures'))
      .then(1)
      .else(eb.ref('in_doubt'))
      .end(),
    updated_at: now,
  };
}

export function toRecord(row: DeliveryRow): DeliveryRecord {
  return {
    id: row.id,
    kind: row.kind as DeliveryKind,
    idempotencyKey: row.idempotency_key,
    callId: row.call_id,
    payload: JSON.parse(row.payload) as DeliveryRecord['payload'],
    status: row.status,
    attempts: row.attempts,
    nextAttemptAt: new Date(row.next_attempt_at),
    lastError: row.last_error,
    lastErrorCode: row.last_error_code,
    result: row.result === null ? null : (JSON.parse(row.result) as DeliveryRecord['result']),
    createdAt: new Date(row.created_at),
    updatedAt: new Date(row.updated_at),
    completedAt: row.completed_at === null ? null : new Date(row.completed_at),
  } as DeliveryRecord;
}
