import { registerAs } from '@nestjs/config';
import { IsOptional, Matches } from 'class-validator';
import { loadEnvironment } from '../config/config.util';

export type StoreLocation = { dialect: 'sqlite'; file: string } | { dialect: 'postgres'; connectionString: string };

export class StoreEnvironment {
  /** unset → SQLite file ./data/voice-crm.db; `sqlite:PATH`, `sqlite::memory:` or `postgres://…`. */
  @IsOptional()
  @Matches(/^(sqlite:.+|postgres(ql)?:\/\/.+)$/, {
    message: 'DATABASE_URL must be sqlite:PATH, sqlite::memory: or postgres://…',
  })
  DATABASE_URL?: string;
}

export function parseDatabaseUrl(url: string | undefined): StoreLocation {
  if (!url) return { dialect: 'sqlite', file: './data/voice-crm.db' };
  if (url.startsWith('sqlite:')) return { dialect: 'sqlite', file: url.slice('sqlite:'.length) };
  return { dialect: 'postgres', connectionString: url };
}

export const storeConfig = registerAs('store', () => {
  const env = loadEnvironment(StoreEnvironment, process.env);
  return { location: parseDatabaseUrl(env.DATABASE_URL) };
});
export type StoreConfig = ReturnType<typeof storeConfig>;
