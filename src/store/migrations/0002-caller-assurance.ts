import { Kysely, Migration, PostgresAdapter } from 'kysely';

/**
 * How sure we are of who is calling (issue 11): the number on file that one-time codes and change notices go
 * to, when a code was sent, how many codes were tried, and when the caller was verified. Additive only: rows
 * written before it read as "recognised at most, never verified".
 */
export const callerAssurance: Migration = {
  async up(db: Kysely<unknown>): Promise<void> {
    const postgres = db.getExecutor().adapter instanceof PostgresAdapter;
    const epochMs = postgres ? 'bigint' : 'integer';
    // One column per statement: SQLite's ALTER TABLE adds one at a time.
    await db.schema.alterTable('calls').addColumn('on_file_number', 'text').execute();
    await db.schema.alterTable('calls').addColumn('verification_sent_at', epochMs).execute();
    await db.schema
      .alterTable('calls')
      .addColumn('verification_attempts', 'integer', (column) => column.notNull().defaultTo(0))
      .execute();
    await db.schema.alterTable('calls').addColumn('verified_at', epochMs).execute();
  },

  async down(db: Kysely<unknown>): Promise<void> {
    for (const column of ['verified_at', 'verification_attempts', 'verification_sent_at', 'on_file_number']) {
      await db.schema.alterTable('calls').dropColumn(column).execute();
    }
  },
};
