import { registerAs } from '@nestjs/config';
import { IsOptional, Matches } from 'class-validator';
import { EnvFlag, EnvInt, loadEnvironment } from '../config/config.util';

export type StoreLocation =
  { dialect: 'sqlite'; file: string } | { dialect: 'postgres'; connectionString: string };

export class StoreEnvironment {
  /** unset → SQLite file ./data/voice-crm.db; `sqlite:PATH`, `sqlite::memory:` or `postgres://…`. */
  @IsOptional()
  @Matches(/^(sqlite:.+|postgres(ql)?:\/\/.+)$/, {
    message: 'DATABASE_URL must be sqlite:PATH, sqlite::memory: or postgres://…',
  })
  DATABASE_URL?: string;

  /**
   * PostgreSQL connections per replica. 30: with 10, the bench's paced load (10,000 calls over three replicas)
   * queued tool calls for the pool for seconds. Replicas × this must stay under the server's max_connections
   * (100 by default) with room for migrations and operators, or go through a pooler.
   */
  @EnvInt({ min: 1, max: 200 })
  DATABASE_POOL_MAX: number = 30;

  /** How long a SQLite write waits for another process's lock before failing. */
  @EnvInt({ min: 0, max: 60_000 })
  SQLITE_BUSY_TIMEOUT_MS: number = 5000;

  /** Refuse to start on a store that holds no data yet (missing SQLite file, unmigrated PostgreSQL schema).
   * Without it a missing SQLite file is still refused when its `.initialized` marker shows it existed. */
  @EnvFlag()
  STORE_REQUIRE_EXISTING: boolean = false;

  /** Delivered outbox rows (with their payloads: transcripts, descriptions), finished calls and stored tool
   * answers are deleted this many days after they were last touched. Pending rows and dead letters are kept. */
  @EnvInt({ min: 1, max: 3650 })
  STORE_RETENTION_DAYS: number = 7;

  /** How often the retention job runs. */
  @EnvInt({ min: 1, max: 1440 })
  STORE_RETENTION_INTERVAL_MINUTES: number = 60;
}

export function parseDatabaseUrl(url: string | undefined): StoreLocation {
  if (!url) return { dialect: 'sqlite', file: './data/voice-crm.db' };
  if (url.startsWith('sqlite:')) return { dialect: 'sqlite', file: url.slice('sqlite:'.length) };
  return { dialect: 'postgres', connectionString: url };
}

export const storeConfig = registerAs('store', () => {
  const env = loadEnvironment(StoreEnvironment, process.env);
  return {
    location: parseDatabaseUrl(env.DATABASE_URL),
    poolMax: env.DATABASE_POOL_MAX,
    busyTimeoutMs: env.SQLITE_BUSY_TIMEOUT_MS,
    requireExisting: env.STORE_REQUIRE_EXISTING,
    retentionMs: env.STORE_RETENTION_DAYS * 86_400_000,
    retentionIntervalMs: env.STORE_RETENTION_INTERVAL_MINUTES * 60_000,
  };
});
export type StoreConfig = ReturnType<typeof storeConfig>;
