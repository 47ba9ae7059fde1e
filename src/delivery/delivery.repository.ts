import { Injectable } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { ExpressionBuilder, RawBuilder, sql, UpdateObject } from 'kysely';
import { Database, dialectOf } from '../store/database.factory';
import { DatabaseSchema, DeliveryRow, NewDeliveryRow } from '../store/database.types';
import { InjectDatabase } from '../store/store.tokens';
import {
  DeliveryBacklog,
  DeliveryInput,
  DeliveryKind,
  DeliveryRecord,
  DeliveryStatus,
} from './delivery.types';

/** A write to commit: what was submitted, and the target its handler writes to. */
export type NewDelivery = DeliveryInput & { target: string };

/** The end of one attempt, as written back to its row. */
export type AttemptRecord =
  | { type: 'succeeded' | 'skipped'; row: DeliveryRow; result: unknown; followUps: NewDelivery[] }
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
  kind?: string;
  limit: number;
  offset: number;
}

/** All SQL of the outbox. One query text serves both dialects except the row locks PostgreSQL needs. */
@Injectable()
export class DeliveryRepository {
  constructor(@InjectDatabase() private readonly db: Database) {}

  /**
   * Commits a new row, or leaves the existing row of that idempotency key untouched; `inserted` says which.
   * With `lease`, a new row is inserted leased to that owner (its first attempt counted), for a caller who runs
   * it at once: no worker of any replica takes it meanwhile, and the claim costs no second statement.
   */
  async insert(
    delivery: NewDelivery,
    now: number,
    db: Database = this.db,
    lease?: { owner: string; leaseMs: number },
  ): Promise<{ row: DeliveryRow; inserted: boolean }> {
    const inserted = await db
      .insertInto('deliveries')
      .values({
        ...newRow(delivery, now),
        ...(lease ? { lease_owner: lease.owner, lease_until: now + lease.leaseMs, attempts: 1 } : {}),
      })
      .onConflict((c) => c.column('idempotency_key').doNothing())
      .returningAll()
      .executeTakeFirst();
    if (inserted) return { row: inserted, inserted: true };
    const row = await this.findByKey(delivery.idempotencyKey, db);
    if (!row) throw new Error('Delivery row vanished right after insert');
    return { row, inserted: false };
  }

  findById(id: string): Promise<DeliveryRow | undefined> {
    return this.db.selectFrom('deliveries').selectAll().where('id', '=', id).executeTakeFirst();
  }

  findByKey(idempotencyKey: string, db: Database = this.db): Promise<DeliveryRow | undefined> {
    return db
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
      .$if(filter.kind !== undefined, (qb) => qb.where('kind', '=', filter.kind as string))
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
    targets: string[];
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
   * Writes back the ends of attempts in one transaction (one fsync for a whole batch on SQLite): all outcomes
   * in one `UPDATE … FROM (VALUES …)` per chunk (one round trip instead of one per row on PostgreSQL), then
   * the follow-up rows of the applied successes in one INSERT. A success is recorded even if the lease was
   * lost meanwhile — the write did happen — and its follow-up rows are committed with it. Failures are
   * recorded only by the lease holder, so a reclaimed row's late failure is not applied by the wrong worker.
   * Returns the rows actually updated.
   */
  async record(attempts: AttemptRecord[], now: number): Promise<Set<number>> {
    const applied = new Set<number>();
    if (attempts.length === 0) return applied;
    // In seq order, so that two transactions recording overlapping rows tend to lock them in the same order.
    const ordered = [...attempts].sort((a, b) => a.row.seq - b.row.seq);
    const followUpRows = ordered.flatMap((attempt) =>
      attempt.type === 'succeeded' || attempt.type === 'skipped'
        ? attempt.followUps.map((followUp) => ({ parentSeq: attempt.row.seq, row: newRow(followUp, now) }))
        : [],
    );
    // One statement is atomic on its own: no BEGIN and COMMIT around it (two round trips on PostgreSQL, where
    // the follow-ups go in the same statement as a data-modifying CTE; SQLite has none, and no round trips).
    const single =
      ordered.length <= RECORD_CHUNK &&
      (followUpRows.length === 0 ||
        (dialectOf(this.db) === 'postgres' && followUpRows.length <= RECORD_CHUNK));
    if (single) {
      const { rows } = await recordStatement(ordered, now, followUpRows).execute(this.db);
      for (const { seq } of rows) applied.add(Number(seq));
      return applied;
    }
    await this.db.transaction().execute(async (trx) => {
      for (let start = 0; start < ordered.length; start += RECORD_CHUNK) {
        const { rows } = await recordStatement(ordered.slice(start, start + RECORD_CHUNK), now).execute(trx);
        for (const { seq } of rows) applied.add(Number(seq));
      }
      const followUps = followUpRows.filter(({ parentSeq }) => applied.has(parentSeq)).map(({ row }) => row);
      for (let start = 0; start < followUps.length; start += RECORD_CHUNK) {
        await trx
          .insertInto('deliveries')
          .values(followUps.slice(start, start + RECORD_CHUNK))
          .onConflict((c) => c.column('idempotency_key').doNothing())
          .execute();
      }
    });
    return applied;
  }

  /**
   * The lease heartbeat: pushes the leases of rows this owner is still working on to `now + leaseMs`, so a
   * lease only runs out when its worker died (or its process stalled for a whole lease). Returns the rows renewed.
   */
  async renewLeases(owner: string, seqs: number[], now: number, leaseMs: number): Promise<number> {
    if (seqs.length === 0) return 0;
    let renewed = 0;
    for (let start = 0; start < seqs.length; start += RECORD_CHUNK) {
      const { numUpdatedRows } = await this.db
        .updateTable('deliveries')
        .set({ lease_until: now + leaseMs })
        .where('lease_owner', '=', owner)
        .where('status', '=', 'pending')
        .where('seq', 'in', seqs.slice(start, start + RECORD_CHUNK))
        .executeTakeFirst();
      renewed += Number(numUpdatedRows);
    }
    return renewed;
  }

  /**
   * Start of a single-process store (SQLite): every lease held by another owner belongs to an earlier life of
   * this service that was killed, so it is given back at once instead of being waited out. The rows' earlier
   * attempts count as in doubt at their next claim (they may have reached the target), so they are checked
   * before they are written again.
   */
  async reclaimForeignLeases(owner: string, now: number): Promise<number> {
    const { numUpdatedRows } = await this.db
      .updateTable('deliveries')
      .set({ lease_owner: null, lease_until: null, updated_at: now })
      .where('status', '=', 'pending')
      .where('lease_owner', 'is not', null)
      .where('lease_owner', '!=', owner)
      .executeTakeFirst();
    return Number(numUpdatedRows);
  }

  /** True when only one process can use this store (SQLite): leases of other owners are of dead processes. */
  get singleProcess(): boolean {
    return dialectOf(this.db) === 'sqlite';
  }

  /**
   * An outage of `target` ended: its rows that wait (last failure one of `codes`, next attempt later) become due
   * now instead of sitting out a backoff that grew during the outage. Returns how many.
   */
  async wakeWaiting(target: string, codes: string[], now: number): Promise<number> {
    if (codes.length === 0) return 0;
    const { numUpdatedRows } = await this.db
      .updateTable('deliveries')
      .set({ next_attempt_at: now, updated_at: now })
      .where('status', '=', 'pending')
      .where('target', '=', target)
      .where('next_attempt_at', '>', now)
      .where('last_error_code', 'in', codes)
      .executeTakeFirst();
    return Number(numUpdatedRows);
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

  /** Deletes one dead letter for good (an operator decided it must not be written); 0 when it is not one. */
  async discardDead(id: string): Promise<number> {
    const { numDeletedRows } = await this.db
      .deleteFrom('deliveries')
      .where('id', '=', id)
      .where('status', '=', 'dead')
      .executeTakeFirst();
    return Number(numDeletedRows);
  }

  /**
   * Retention: deletes up to `limit` rows that were delivered (succeeded or skipped) before `completedBefore`,
   * with their payloads (transcripts, case descriptions). Pending rows and dead letters are never pruned. Returns
   * how many were deleted; callers repeat until fewer than `limit` come back, so no statement holds the write
   * lock for long.
   */
  async pruneDelivered(completedBefore: number, limit: number): Promise<number> {
    const { numDeletedRows } = await this.db
      .deleteFrom('deliveries')
      .where('seq', 'in', (eb) =>
        eb
          .selectFrom('deliveries')
          .select('seq')
          .where('status', 'in', ['succeeded', 'skipped'])
          .where('completed_at', '<', completedBefore)
          .limit(limit),
      )
      .executeTakeFirst();
    return Number(numDeletedRows);
  }

  /** Puts dead letters back in the queue; an earlier doubt about them is kept. */
  async replay(where: { id: string } | 'all-dead', now: number): Promise<number> {
    const { numUpdatedRows } = await this.db
      .updateTable('deliveries')
      .set((eb) => ({
        status: 'pending',
        attempts: 0,
        unsent_failures: 0,
        in_doubt: inDoubtAfterEarlierAttempts(eb),
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

/**
 * Rows per statement in `record`: 9 parameters an outcome and 15 a follow-up stay far below SQLite's 32,766
 * and PostgreSQL's 65,535 bind parameters, whatever DELIVERY_BATCH_SIZE is.
 */
const RECORD_CHUNK = 500;

/**
 * One UPDATE for many outcomes, valid on PostgreSQL and SQLite (≥ 3.35 for `UPDATE … FROM` with RETURNING).
 * Each VALUES row carries what its outcome changes; NULL means "keep the column". `owner` NULL (successes)
 * skips the lease check. Values are cast so PostgreSQL types the VALUES columns like the table's. The CTE's
 * row key is not called `seq`, so `RETURNING seq` names the table's column on both dialects. With `followUps`
 * (PostgreSQL only), the same statement inserts the follow-up rows of the outcomes it applied.
 */
function recordStatement(
  attempts: AttemptRecord[],
  now: number,
  followUps: { parentSeq: number; row: NewDeliveryRow }[] = [],
): RawBuilder<{ seq: number }> {
  const rows = attempts.map((attempt) => {
    const change = outcomeColumns(attempt, now);
    return sql`(${sql.join([
      cast(attempt.row.seq, 'bigint'),
      cast(change.status, 'text'),
      cast(change.result, 'text'),
      cast(change.owner, 'text'),
      cast(change.nextAttemptAt, 'bigint'),
      cast(change.lastError, 'text'),
      cast(change.lastErrorCode, 'text'),
      cast(change.unsentIncrement, 'integer'),
      cast(change.completedAt, 'bigint'),
    ])})`;
  });
  const outcomes = sql`v (row_seq, new_status, new_result, owner, new_next_attempt_at, new_last_error,
      new_last_error_code, unsent_increment, new_completed_at) as (values ${sql.join(rows)})`;
  const update = sql`update deliveries as d set
      status = v.new_status,
      result = coalesce(v.new_result, d.result),
      next_attempt_at = coalesce(v.new_next_attempt_at, d.next_attempt_at),
      lease_owner = null,
      lease_until = null,
      last_error = coalesce(v.new_last_error, d.last_error),
      last_error_code = coalesce(v.new_last_error_code, d.last_error_code),
      unsent_failures = d.unsent_failures + v.unsent_increment,
      updated_at = ${now},
      completed_at = coalesce(v.new_completed_at, d.completed_at)
    from v
    where d.seq = v.row_seq
      and d.status = 'pending'
      and (v.owner is null or d.lease_owner = v.owner)`;
  if (followUps.length === 0) return sql<{ seq: number }>`with ${outcomes} ${update} returning seq`;
  // PostgreSQL only: the follow-ups of the rows the update applied, inserted by the same statement, in order.
  const followUpValues = followUps.map(({ parentSeq, row }, ordinal) => {
    const values: [string | number | null, 'bigint' | 'integer' | 'text'][] = [
      [ordinal, 'integer'],
      [parentSeq, 'bigint'],
      ...FOLLOW_UP_COLUMNS.map(
        ([column, type]) => [row[column], type] as [string | number | null, typeof type],
      ),
    ];
    return sql`(${sql.join(values.map(([value, type]) => cast(value, type)))})`;
  });
  const columns = sql.raw(FOLLOW_UP_COLUMNS.map(([column]) => column).join(', '));
  return sql<{ seq: number }>`
    with ${outcomes},
    applied as (${update} returning d.seq as seq),
    f (ordinal, parent_seq, ${columns}) as (values ${sql.join(followUpValues)}),
    inserted as (
      insert into deliveries (${columns})
      select ${columns} from f where f.parent_seq in (select seq from applied) order by f.ordinal
      on conflict (idempotency_key) do nothing
    )
    select seq from applied`;
}

/** The columns of a follow-up row as `newRow` fills them, with their PostgreSQL types. */
const FOLLOW_UP_COLUMNS = [
  ['id', 'text'],
  ['kind', 'text'],
  ['target', 'text'],
  ['idempotency_key', 'text'],
  ['call_id', 'text'],
  ['payload', 'text'],
  ['status', 'text'],
  ['attempts', 'integer'],
  ['unsent_failures', 'integer'],
  ['in_doubt', 'integer'],
  ['next_attempt_at', 'bigint'],
  ['created_at', 'bigint'],
  ['updated_at', 'bigint'],
] as const satisfies readonly (readonly [keyof NewDeliveryRow, 'bigint' | 'integer' | 'text'])[];

function cast(value: string | number | null, type: 'bigint' | 'integer' | 'text'): RawBuilder<unknown> {
  return sql`cast(${value} as ${sql.raw(type)})`;
}

interface OutcomeColumns {
  status: DeliveryStatus;
  result: string | null;
  owner: string | null;
  nextAttemptAt: number | null;
  lastError: string | null;
  lastErrorCode: string | null;
  unsentIncrement: number;
  completedAt: number | null;
}

function outcomeColumns(attempt: AttemptRecord, now: number): OutcomeColumns {
  const keep = { result: null, owner: null, nextAttemptAt: null, lastError: null, lastErrorCode: null };
  switch (attempt.type) {
    case 'succeeded':
    case 'skipped':
      return {
        ...keep,
        status: attempt.type,
        result: JSON.stringify(attempt.result),
        unsentIncrement: 0,
        completedAt: now,
      };
    case 'retry':
      return {
        ...keep,
        status: 'pending',
        owner: attempt.owner,
        nextAttemptAt: attempt.nextAttemptAt,
        lastError: attempt.reason,
        lastErrorCode: attempt.code,
        unsentIncrement: attempt.sent ? 0 : 1,
        completedAt: null,
      };
    case 'dead':
      return {
        ...keep,
        status: 'dead',
        owner: attempt.owner,
        lastError: attempt.reason,
        lastErrorCode: attempt.code,
        unsentIncrement: 0,
        completedAt: now,
      };
  }
}

function newRow(input: NewDelivery, now: number): NewDeliveryRow {
  return {
    id: randomUUID(),
    kind: input.kind,
    target: input.target,
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

/**
 * 1 when an earlier attempt did not end in a known refusal (crash, timeout, lost response) and so may have
 * reached the target; SET expressions read the row as it was before the update.
 */
function inDoubtAfterEarlierAttempts(eb: ExpressionBuilder<DatabaseSchema, 'deliveries'>) {
  return eb.case().when('attempts', '>', eb.ref('unsent_failures')).then(1).else(eb.ref('in_doubt')).end();
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
    in_doubt: inDoubtAfterEarlierAttempts(eb),
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
