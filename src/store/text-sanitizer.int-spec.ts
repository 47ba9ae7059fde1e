import { sql } from 'kysely';
import { useTestDatabase } from '../../test/support/test-database';
import { CallsRepository } from '../calls/calls.repository';

describe.each(['sqlite', 'postgres'] as const)('strings with NUL on %s', (dialect) => {
  const store = useTestDatabase(dialect);
  const NOW = 1_764_000_000_000;

  it('should store them with U+FFFD in place of NUL, in and out of transactions', async () => {
    const calls = new CallsRepository(store.db);
    await calls.record('call\u0000one', { endedReason: 'customer\u0000ended' }, NOW);
    await store.db
      .transaction()
      .execute((trx) => calls.record('call-two', { callerNumber: '+1415\u00005550100' }, NOW, trx));

    const rows = await store.db.selectFrom('calls').select(['id', 'ended_reason', 'caller_number']).execute();
    expect(rows.sort((a, b) => a.id.localeCompare(b.id))).toEqual([
      { id: 'call-two', ended_reason: null, caller_number: '+1415\uFFFD5550100' },
      { id: 'call\uFFFDone', ended_reason: 'customer\uFFFDended', caller_number: null },
    ]);
  });

  it('should clean the values of raw SQL too, and leave other parameters as they are', async () => {
    const { rows } = await sql<{
      text: string;
      number: number;
    }>`select ${'a\u0000b'} as text, ${42} as number`.execute(store.db);
    expect(rows).toEqual([{ text: 'a\uFFFDb', number: dialect === 'postgres' ? '42' : 42 }]);
  });
});
