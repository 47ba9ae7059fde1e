import { Kysely, Migration, MigrationProvider, Migrator } from 'kysely';
import { initialSchema } from './0001-initial-schema';
import { callerAssurance } from './0002-caller-assurance';

/** Every migration, in order. Names sort lexically: never rename or edit one that has shipped. */
const MIGRATIONS: Record<string, Migration> = {
  '0001-initial-schema': initialSchema,
  '0002-caller-assurance': callerAssurance,
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

/** Runs pending migrations. Kysely's migration lock lets several replicas start at once. */
export async function migrateToLatest<Schema>(db: Kysely<Schema>): Promise<string[]> {
  const migrator = new Migrator({ db: db as Kysely<unknown>, provider: new InCodeMigrationProvider() });
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
