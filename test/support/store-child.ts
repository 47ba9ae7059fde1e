/**
 * A process that only writes to the store, for the connection-loss tests: `WRITERS` concurrent loops each upsert
 * a heartbeat row and print `wrote` or `failed <code>` per write, until killed.
 */
import { createDatabase } from '../../src/store/database.factory';
import { StoreError } from '../../src/store/store.errors';
import { parseDatabaseUrl } from '../../src/store/store.config';

async function main(): Promise<void> {
  const db = await createDatabase(parseDatabaseUrl(process.env.DATABASE_URL), { poolMax: 4 });
  process.stdout.write('ready\n');
  const writers = Number(process.env.WRITERS ?? 4);
  await Promise.all(
    Array.from({ length: writers }, async (_unused, writer) => {
      for (;;) {
        const now = Date.now();
        try {
          await db
            .insertInto('store_heartbeats')
            .values({ name: `writer-${writer}`, beat_at: now })
            .onConflict((conflict) => conflict.column('name').doUpdateSet({ beat_at: now }))
            .execute();
          process.stdout.write('wrote\n');
        } catch (error) {
          process.stdout.write(`failed ${StoreError.from(error).code}\n`);
        }
        await new Promise((resolve) => setTimeout(resolve, 10));
      }
    }),
  );
}

void main();
