import { Kysely, Migration, PostgresAdapter, sql } from 'kysely';

/**
 * Issue 14. (1) Tool answers are keyed by call and tool call id: VAPI's tool call ids are unique within a call,
 * not across calls, and a second call reusing an id must not get the first caller's answer. A row stored
 * without a call id keeps '' as its call id. (2) `store_heartbeats`: the row readiness upserts to prove the
 * store takes writes. (3) An index for the retention job, which prunes finished deliveries by completion time.
 */
export const storeResilience: Migration = {
  async up(db: Kysely<unknown>): Promise<void> {
    const postgres = db.getExecutor().adapter instanceof PostgresAdapter;
    const epochMs = postgres ? 'bigint' : 'integer';
    await db.schema
      .createTable('tool_results_by_call')
      .addColumn('call_id', 'text', (column) => column.notNull())
      .addColumn('tool_call_id', 'text', (column) => column.notNull())
      .addColumn('tool_name', 'text', (column) => column.notNull())
      .addColumn('result', 'text', (column) => column.notNull())
      .addColumn('is_error', 'integer', (column) => column.notNull().defaultTo(0))
      .addColumn('created_at', epochMs, (column) => column.notNull())
      .addPrimaryKeyConstraint('tool_results_call_tool_call_pk', ['call_id', 'tool_call_id'])
      .execute();
    await sql`insert into tool_results_by_call (call_id, tool_call_id, tool_name, result, is_error, created_at)
      select coalesce(call_id, ''), tool_call_id, tool_name, result, is_error, created_at from tool_results`.execute(
      db,
    );
    await db.schema.dropTable('tool_results').execute();
    await db.schema.alterTable('tool_results_by_call').renameTo('tool_results').execute();
    await db.schema.createIndex('tool_results_created').on('tool_results').column('created_at').execute();

    await db.schema
      .createTable('store_heartbeats')
      .addColumn('name', 'text', (column) => column.primaryKey())
      .addColumn('beat_at', epochMs, (column) => column.notNull())
      .execute();

    await db.schema
      .createIndex('deliveries_status_completed')
      .on('deliveries')
      .columns(['status', 'completed_at'])
      .execute();
  },

  async down(db: Kysely<unknown>): Promise<void> {
    await db.schema.dropIndex('deliveries_status_completed').execute();
    await db.schema.dropTable('store_heartbeats').execute();
    await db.schema.dropIndex('tool_results_created').execute();
    await db.schema.alterTable('tool_results').renameTo('tool_results_by_call').execute();
    await db.schema
      .createTable('tool_results')
      .addColumn('tool_call_id', 'text', (column) => column.primaryKey())
      .addColumn('call_id', 'text')
      .addColumn('tool_name', 'text', (column) => column.notNull())
      .addColumn('result', 'text', (column) => column.notNull())
      .addColumn('is_error', 'integer', (column) => column.notNull().defaultTo(0))
      .addColumn('created_at', 'bigint', (column) => column.notNull())
      .execute();
    // The first answer of each tool call id wins, as it did before.
    await sql`insert into tool_results (tool_call_id, call_id, tool_name, result, is_error, created_at)
      select tool_call_id, nullif(call_id, ''), tool_name, result, is_error, min(created_at)
      from tool_results_by_call group by tool_call_id, call_id, tool_name, result, is_error
      on conflict (tool_call_id) do nothing`.execute(db);
    await db.schema.dropTable('tool_results_by_call').execute();
    await db.schema.createIndex('tool_results_call').on('tool_results').column('call_id').execute();
  },
};
