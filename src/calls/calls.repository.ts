import { Injectable } from '@nestjs/common';
import { sql } from 'kysely';
import { Database, dialectOf } from '../store/database.factory';
import type { CallRow } from '../store/database.types';
import { InjectDatabase } from '../store/store.tokens';
import type { ToolCallResult } from '../vapi/vapi-responses';
import { CallerIdentity, CallState, CallTransfer, CreatedCaseRef } from './calls.types';

export interface CallFacts {
  callerNumber?: string;
  twilioCallSid?: string;
  status?: string;
  startedAt?: number;
  endedAt?: number;
  endedReason?: string;
}

function toState(row: CallRow): CallState {
  const optionalDate = (value: number | null) => (value === null ? undefined : new Date(Number(value)));
  return {
    id: row.id,
    callerNumber: row.caller_number ?? undefined,
    identity: {
      kind: row.identity_kind,
      contactId: row.contact_id ?? undefined,
      accountId: row.account_id ?? undefined,
      firstName: row.first_name ?? undefined,
      onFileNumber: row.on_file_number ?? undefined,
    },
    twilioCallSid: row.twilio_call_sid ?? undefined,
    status: row.status,
    startedAt: optionalDate(row.started_at),
    endedAt: optionalDate(row.ended_at),
    endedReason: row.ended_reason ?? undefined,
    casesCreated: JSON.parse(row.cases_created || '[]') as CreatedCaseRef[],
    transfer: row.transfer ? (JSON.parse(row.transfer) as CallTransfer) : undefined,
    reportReceivedAt: optionalDate(row.report_received_at),
    verification: {
      codeSentAt: optionalDate(row.verification_sent_at),
      attempts: row.verification_attempts,
      verifiedAt: optionalDate(row.verified_at),
    },
  };
}

/** A call's state in the store (one row per VAPI call id), and the stored answers of its tool calls. */
@Injectable()
export class CallsRepository {
  constructor(@InjectDatabase() private readonly db: Database) {}

  async get(callId: string): Promise<CallState | undefined> {
    const row = await this.getRow(callId);
    return row ? toState(row) : undefined;
  }

  /** The stored row as it is, for the operator view. */
  getRow(callId: string): Promise<CallRow | undefined> {
    return this.db.selectFrom('calls').selectAll().where('id', '=', callId).executeTakeFirst();
  }

  /**
   * Records what a message tells about the call. Events may arrive in any order and twice, so known values are
   * never overwritten with nothing, and an ended call never goes back to an earlier status.
   */
  async record(callId: string, facts: CallFacts, now: number, db: Database = this.db): Promise<void> {
    await db
      .insertInto('calls')
      .values({
        id: callId,
        caller_number: facts.callerNumber ?? null,
        identity_kind: 'unknown',
        twilio_call_sid: facts.twilioCallSid ?? null,
        status: facts.status ?? 'in-progress',
        started_at: facts.startedAt ?? null,
        ended_at: facts.endedAt ?? null,
        ended_reason: facts.endedReason ?? null,
        cases_created: '[]',
        created_at: now,
        updated_at: now,
      })
      .onConflict((conflict) =>
        conflict.column('id').doUpdateSet((eb) => ({
          caller_number: eb.fn.coalesce('calls.caller_number', 'excluded.caller_number'),
          twilio_call_sid: eb.fn.coalesce('calls.twilio_call_sid', 'excluded.twilio_call_sid'),
          started_at: eb.fn.coalesce('calls.started_at', 'excluded.started_at'),
          ended_at: eb.fn.coalesce('excluded.ended_at', 'calls.ended_at'),
          ended_reason: eb.fn.coalesce('excluded.ended_reason', 'calls.ended_reason'),
          status: facts.status
            ? eb
                .case()
                .when('calls.status', '=', 'ended')
                .then(eb.ref('calls.status'))
                .else(eb.ref('excluded.status'))
                .end()
            : eb.ref('calls.status'),
          updated_at: now,
        })),
      )
      .execute();
  }

  async saveIdentity(callId: string, identity: CallerIdentity, now: number): Promise<void> {
    await this.db
      .updateTable('calls')
      .set({
        identity_kind: identity.kind,
        contact_id: identity.contactId ?? null,
        account_id: identity.accountId ?? null,
        first_name: identity.firstName ?? null,
        on_file_number: identity.onFileNumber ?? null,
        updated_at: now,
      })
      .where('id', '=', callId)
      .execute();
  }

  async markCodeSent(callId: string, now: number): Promise<void> {
    await this.db
      .updateTable('calls')
      .set({ verification_sent_at: now, updated_at: now })
      .where('id', '=', callId)
      .execute();
  }

  /**
   * Takes one of the call's code attempts, atomically, so that codes checked at the same moment cannot get
   * past the limit: the attempt's number (1, 2, …), or undefined when none is left or the caller is verified.
   */
  async takeVerificationAttempt(callId: string, limit: number, now: number): Promise<number | undefined> {
    const row = await this.db
      .updateTable('calls')
      .set((eb) => ({ verification_attempts: eb('verification_attempts', '+', 1), updated_at: now }))
      .where('id', '=', callId)
      .where('verification_attempts', '<', limit)
      .where('verified_at', 'is', null)
      .returning('verification_attempts')
      .executeTakeFirst();
    return row ? Number(row.verification_attempts) : undefined;
  }

  /** Gives an attempt back: the code could not be checked at all (Verify unreachable), so it does not count. */
  async returnVerificationAttempt(callId: string, now: number): Promise<void> {
    await this.db
      .updateTable('calls')
      .set((eb) => ({ verification_attempts: eb('verification_attempts', '-', 1), updated_at: now }))
      .where('id', '=', callId)
      .where('verification_attempts', '>', 0)
      .execute();
  }

  /** No attempts left for the rest of the call (Verify itself refused further checks). */
  async lockVerification(callId: string, limit: number, now: number): Promise<void> {
    await this.db
      .updateTable('calls')
      .set({ verification_attempts: limit, updated_at: now })
      .where('id', '=', callId)
      .where('verified_at', 'is', null)
      .execute();
  }

  async markVerified(callId: string, now: number): Promise<void> {
    await this.db
      .updateTable('calls')
      .set({ verified_at: now, updated_at: now })
      .where('id', '=', callId)
      .where('verified_at', 'is', null)
      .execute();
  }

  /**
   * Adds a case to the call's list once, in one statement: the list is extended inside the database, so cases
   * of one call created side by side (one message can carry several tool calls) are all kept without a lock
   * held across round trips, and a repeated case (a retried delivery) is left out.
   */
  async addCreatedCase(callId: string, created: CreatedCaseRef, now: number): Promise<void> {
    const entry = JSON.stringify({ id: created.id, caseNumber: created.caseNumber });
    const list = sql`coalesce(nullif(cases_created, ''), '[]')`;
    const statement =
      dialectOf(this.db) === 'postgres'
        ? sql`update calls set cases_created = (${list}::jsonb || jsonb_build_array(${entry}::jsonb))::text,
            updated_at = ${now}
            where id = ${callId} and not (${list}::jsonb @> jsonb_build_array(jsonb_build_object('id', ${created.id}::text)))`
        : sql`update calls set cases_created = json_insert(${list}, '$[#]', json(${entry})), updated_at = ${now}
            where id = ${callId}
              and not exists (select 1 from json_each(${list}) where json_extract(value, '$.id') = ${created.id})`;
    await statement.execute(this.db);
  }

  async setTransfer(callId: string, transfer: CallTransfer, now: number): Promise<void> {
    await this.db
      .updateTable('calls')
      .set({ transfer: JSON.stringify(transfer), updated_at: now })
      .where('id', '=', callId)
      .execute();
  }

  /** The call ended and its report (or what stands in for it) arrived; `db` may be a transaction. */
  async recordReport(
    callId: string,
    facts: Omit<CallFacts, 'status'>,
    now: number,
    db: Database = this.db,
  ): Promise<void> {
    await this.record(callId, { ...facts, status: 'ended' }, now, db);
    await db
      .updateTable('calls')
      .set({ report_received_at: now, updated_at: now })
      .where('id', '=', callId)
      .where('report_received_at', 'is', null)
      .execute();
  }

  /** Calls that ended before `endedBefore` and whose end-of-call report never arrived. */
  async findUnreported(endedBefore: number, limit: number): Promise<CallState[]> {
    const rows = await this.db
      .selectFrom('calls')
      .selectAll()
      .where('status', '=', 'ended')
      .where('report_received_at', 'is', null)
      .where('ended_at', '<=', endedBefore)
      .orderBy('ended_at')
      .limit(limit)
      .execute();
    return rows.map(toState);
  }

  async findToolResult(toolCallId: string, callId: string | undefined): Promise<ToolCallResult | undefined> {
    const row = await this.db
      .selectFrom('tool_results')
      .selectAll()
      .where('call_id', '=', callId ?? '')
      .where('tool_call_id', '=', toolCallId)
      .executeTakeFirst();
    if (!row) return undefined;
    return {
      toolCallId: row.tool_call_id,
      name: row.tool_name,
      ...(row.is_error ? { error: row.result } : { result: row.result }),
    };
  }

  /** The first answer wins: a concurrent duplicate does not overwrite it. */
  async saveToolResult(result: ToolCallResult, callId: string | undefined, now: number): Promise<void> {
    await this.db
      .insertInto('tool_results')
      .values({
        tool_call_id: result.toolCallId,
        call_id: callId ?? '',
        tool_name: result.name,
        result: result.error ?? result.result ?? '',
        is_error: result.error !== undefined ? 1 : 0,
        created_at: now,
      })
      .onConflict((conflict) => conflict.columns(['call_id', 'tool_call_id']).doNothing())
      .execute();
  }

  /**
   * Retention: deletes up to `limit` calls not touched since `before` whose writes are all finished — a call
   * with a pending write or a dead letter keeps its row, which the call log Task is built from.
   */
  async pruneCalls(before: number, limit: number): Promise<number> {
    const { numDeletedRows } = await this.db
      .deleteFrom('calls')
      .where('id', 'in', (eb) =>
        eb
          .selectFrom('calls as c')
          .select('c.id')
          .where('c.updated_at', '<', before)
          .where((inner) =>
            inner.not(
              inner.exists(
                inner
                  .selectFrom('deliveries as d')
                  .select('d.seq')
                  .whereRef('d.call_id', '=', 'c.id')
                  .where('d.status', 'in', ['pending', 'dead']),
              ),
            ),
          )
          .limit(limit),
      )
      .executeTakeFirst();
    return Number(numDeletedRows);
  }

  /**
   * Retention: deletes the tool answers given before `before`, in one statement — rows are small and indexed
   * by time, so even a busy week's answers go in a fraction of a second.
   */
  async pruneToolResults(before: number): Promise<number> {
    const { numDeletedRows } = await this.db
      .deleteFrom('tool_results')
      .where('created_at', '<', before)
      .executeTakeFirst();
    return Number(numDeletedRows);
  }
}
