import { Kysely, Migration, PostgresAdapter } from 'kysely';

/** Outbox, call state, tool results and Salesforce tokens. Types chosen to mean the same on both dialects. */
export const initialSchema: Migration = {
  async up(db: Kysely<unknown>): Promise<void> {
    const postgres = db.getExecutor().adapter instanceof PostgresAdapter;
    // Epoch milliseconds overflow a 32-bit INTEGER on PostgreSQL; SQLite's INTEGER is 64-bit already.
    const epochMs = postgres ? 'bigint' : 'integer';

    await db.schema
      .createTable('deliveries')
      .addColumn('seq', postgres ? 'bigint' : 'integer', (column) =>
        postgres ? column.primaryKey().generatedByDefaultAsIdentity() : column.primaryKey().autoIncrement(),
      )
      .addColumn('id', 'text', (column) => column.notNull().unique())
      .addColumn('kind', 'text', (column) => column.notNull())
      .addColumn('target', 'text', (column) => column.notNull())
      .addColumn('idempotency_key', 'text', (column) => column.notNull().unique())
      .addColumn('call_id', 'text')
      .addColumn('payload', 'text', (column) => column.notNull())
      .addColumn('status', 'text', (column) => column.notNull())
      .addColumn('attempts', 'integer', (column) => column.notNull().defaultTo(0))
      .addColumn('unsent_failures', 'integer', (column) => column.notNull().defaultTo(0))
      .addColumn('in_doubt', 'integer', (column) => column.notNull().defaultTo(0))
      .addColumn('next_attempt_at', epochMs, (column) => column.notNull())
      .addColumn('lease_owner', 'text')
      .addColumn('lease_until', epochMs)
      .addColumn('last_error', 'text')
      .addColumn('last_error_code', 'text')
      .addColumn('result', 'text')
      .addColumn('created_at', epochMs, (column) => column.notNull())
      .addColumn('updated_at', epochMs, (column) => column.notNull())
      .addColumn('completed_at', epochMs)
      .execute();
    // Claims scan pending rows by due time; health counts rows per status and finds the oldest pending.
    await db.schema
      .createIndex('deliveries_status_due')
      .on('deliveries')
      .columns(['status', 'next_attempt_at'])
      .execute();
    await db.schema
      .createIndex('deliveries_status_created')
      .on('deliveries')
      .columns(['status', 'created_at'])
      .execute();
    // Per-call ordering looks up earlier pending rows of the same call.
    await db.schema
      .createIndex('deliveries_call')
      .on('deliveries')
      .columns(['call_id', 'target', 'seq'])
      .execute();

    await db.schema
      .createTable('calls')
      .addColumn('id', 'text', (column) => column.primaryKey())
      .addColumn('caller_number', 'text')
      .addColumn('identity_kind', 'text', (column) => column.notNull().defaultTo('unknown'))
      .addColumn('contact_id', 'text')
      .addColumn('account_id', 'text')
      .addColumn('first_name', 'text')
      .addColumn('twilio_call_sid', 'text')
      .addColumn('status', 'text', (column) => column.notNull())
      .addColumn('started_at', epochMs)
      .addColumn('ended_at', epochMs)
      .addColumn('ended_reason', 'text')
      .addColumn('cases_created', 'text', (column) => column.notNull().defaultTo('[]'))
      .addColumn('transfer', 'text')
      .addColumn('report_received_at', epochMs)
      .addColumn('updated_at', epochMs, (column) => column.notNull())
      .addColumn('created_at', epochMs, (column) => column.notNull())
      .execute();
    await db.schema
      .createIndex('calls_status_updated')
      .on('calls')
      .columns(['status', 'updated_at'])
      .execute();

    await db.schema
      .createTable('tool_results')
      .addColumn('tool_call_id', 'text', (column) => column.primaryKey())
      .addColumn('call_id', 'text')
      .addColumn('tool_name', 'text', (column) => column.notNull())
      .addColumn('result', 'text', (column) => column.notNull())
      .addColumn('is_error', 'integer', (column) => column.notNull().defaultTo(0))
      .addColumn('created_at', epochMs, (column) => column.notNull())
      .execute();
    await db.schema.createIndex('tool_results_call').on('tool_results').column('call_id').execute();

    await db.schema
      .createTable('salesforce_tokens')
      .addColumn('name', 'text', (column) => column.primaryKey())
      .addColumn('refresh_token', 'text', (column) => column.notNull())
      .addColumn('updated_at', epochMs, (column) => column.notNull())
      .execute();
  },

  async down(db: Kysely<unknown>): Promise<void> {
    for (const table of ['salesforce_tokens', 'tool_results', 'calls', 'deliveries']) {
      await db.schema.dropTable(table).ifExists().execute();
    }
  },
};
