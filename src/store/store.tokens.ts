import { Inject } from '@nestjs/common';

/** The `Kysely<DatabaseSchema>` instance of this app (SQLite or PostgreSQL). */
export const DATABASE = Symbol('DATABASE');
export const InjectDatabase = (): ParameterDecorator => Inject(DATABASE);
