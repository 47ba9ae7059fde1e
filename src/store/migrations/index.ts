import { Kysely, Migration, MigrationProvider, Migrator, PostgresAdapter, sql } from 'kysely';
import { initialSchema } from './0001-initial-schema';
import { callerAssurance } from './0002-caller-assurance';
import { storeResilience } from './0003-store-resilience';

/** Every migration, in order. Names sort lexically: never rename or edit one that has shipped. */
const MIGRATIONS: Record<string, Migration> = {
  '0001-initial-schema': initialSchema,
  '0002-caller-assurance': callerAssurance,
  '0003-store-resilience': storeResilience,
};

/** In-code provider: migrations ship inside the bundle instead of being read from disk at run time. */
class InCodeMigrationProvider implements MigrationProvider {
  getMigrations(): Promise<Record<string, Migration>> {
    return Promise.resolve(MIGRATIONS);
  }
}

export class MigrationFailedError extends Error {
  constructor(migrationName: string | undefined, cause: unknown) {
    super(`Database migration ${migrationName ?? '(unknown)'} failed`, { cause });
    this.name = 'MigrationFailedError';
  }
}

/** The schema that holds the migration tables: the connection's own on PostgreSQL; none on SQLite. */
export async function migrationTableSchemaOf<Schema>(db: Kysely<Schema>): Promise<string | undefined> {
  if (!(db.getExecutor().adapter instanceof PostgresAdapter)) return undefined;
  return (await sql<{ schema: string }>`select current_schema() as schema`.execute(db)).rows[0]?.schema;
}

/**
 * Runs pending migrations. Kysely's migration lock lets several replicas start at once. On PostgreSQL the
 * migration tables are named in the connection's own schema: unqualified, Kysely's check for them looks in
 * every schema of the database, so a second deployment (or test) in another schema made it skip creating its
 * own and fail on `kysely_migration_lock`.
 */
export async function migrateToLatest<Schema>(db: Kysely<Schema>): Promise<string[]> {
  const migrationTableSchema = await migrationTableSchemaOf(db);
  const migrator = new Migrator({
    db: db as Kysely<unknown>,
    provider: new InCodeMigrationProvider(),
    ...(migrationTableSchema ? { migrationTableSchema } : {}),
  });
  const { error, results } = await migrator.migrateToLatest();
  if (error)
    throw new MigrationFailedError(
      results?.find((result) => result.status === 'Error')?.migrationName,
      error,
    );
  return (results ?? [])
    .filter((result) => result.status === 'Success')
    .map((result) => result.migrationName);
}
