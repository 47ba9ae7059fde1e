import type {
  CompiledQuery,
  DatabaseConnection,
  Dialect,
  Driver,
  Kysely,
  QueryCompiler,
  QueryResult,
  TransactionSettings,
} from 'kysely';

/** U+FFFD, the character Unicode reserves for "a character that could not be represented". */
const REPLACEMENT = '\uFFFD';

function clean(value: unknown): unknown {
  return typeof value === 'string' && value.includes('\u0000')
    ? value.replaceAll('\u0000', REPLACEMENT)
    : value;
}

/** The query with NUL replaced in its bound strings; the same object when it has none (the usual case). */
function sanitized<R>(query: CompiledQuery<R>): CompiledQuery<R> {
  const { parameters } = query;
  for (let index = 0; index < parameters.length; index += 1) {
    if (clean(parameters[index]) !== parameters[index])
      return { ...query, parameters: parameters.map(clean) };
  }
  return query;
}

/** A connection that cleans every query's parameters before its driver's connection runs it. */
class SanitizingConnection implements DatabaseConnection {
  constructor(readonly inner: DatabaseConnection) {}

  executeQuery<R>(query: CompiledQuery): Promise<QueryResult<R>> {
    return this.inner.executeQuery<R>(sanitized(query));
  }

  streamQuery<R>(query: CompiledQuery, chunkSize?: number): AsyncIterableIterator<QueryResult<R>> {
    return this.inner.streamQuery<R>(sanitized(query), chunkSize);
  }
}

const innerOf = (connection: DatabaseConnection): DatabaseConnection =>
  connection instanceof SanitizingConnection ? connection.inner : connection;

function supported(step: Promise<void> | undefined, name: string): Promise<void> {
  return step ?? Promise.reject(new Error(`The database driver does not support ${name}`));
}

class SanitizingDriver implements Driver {
  constructor(private readonly inner: Driver) {}

  init(): Promise<void> {
    return this.inner.init();
  }

  async acquireConnection(): Promise<DatabaseConnection> {
    return new SanitizingConnection(await this.inner.acquireConnection());
  }

  beginTransaction(connection: DatabaseConnection, settings: TransactionSettings): Promise<void> {
    return this.inner.beginTransaction(innerOf(connection), settings);
  }

  commitTransaction(connection: DatabaseConnection): Promise<void> {
    return this.inner.commitTransaction(innerOf(connection));
  }

  rollbackTransaction(connection: DatabaseConnection): Promise<void> {
    return this.inner.rollbackTransaction(innerOf(connection));
  }

  savepoint(connection: DatabaseConnection, name: string, compile: QueryCompiler['compileQuery']) {
    return supported(this.inner.savepoint?.(innerOf(connection), name, compile), 'savepoint');
  }

  rollbackToSavepoint(connection: DatabaseConnection, name: string, compile: QueryCompiler['compileQuery']) {
    return supported(
      this.inner.rollbackToSavepoint?.(innerOf(connection), name, compile),
      'rollbackToSavepoint',
    );
  }

  releaseSavepoint(connection: DatabaseConnection, name: string, compile: QueryCompiler['compileQuery']) {
    return supported(this.inner.releaseSavepoint?.(innerOf(connection), name, compile), 'releaseSavepoint');
  }

  releaseConnection(connection: DatabaseConnection): Promise<void> {
    return this.inner.releaseConnection(innerOf(connection));
  }

  destroy(): Promise<void> {
    return this.inner.destroy();
  }
}

/**
 * PostgreSQL text cannot hold the NUL character (U+0000): a string with one is refused with "invalid byte
 * sequence" (SQLSTATE 22021), and SQLite's string functions stop at it. VAPI payloads are JSON, where
 * `\u0000` is legal, so any id, reason or transcript may carry one. Every bound string is stored with NUL
 * replaced by U+FFFD instead, on both dialects, so such a message is stored (and acknowledged) like any other.
 * JSON columns are unaffected: JSON.stringify already writes NUL as the six characters `\u0000`.
 *
 * Done on the compiled query's parameters, where every value from outside arrives (the queries' own text is
 * ours), rather than as a Kysely plugin: a plugin's `transformQuery` copies each query's whole operation tree,
 * which cost a few per cent of the event loop under a burst; this is a scan of the parameter list.
 */
export function withTextSanitizer(dialect: Dialect): Dialect {
  return {
    createAdapter: () => dialect.createAdapter(),
    createDriver: () => new SanitizingDriver(dialect.createDriver()),
    createQueryCompiler: () => dialect.createQueryCompiler(),
    // eslint-disable-next-line @typescript-eslint/no-explicit-any -- Dialect's own signature
    createIntrospector: (db: Kysely<any>) => dialect.createIntrospector(db),
  };
}
