/** Why a durable write (or read) did not happen. */
export enum StoreErrorCode {
  /** The database cannot be reached or dropped the connection (PostgreSQL restart, failover, reaper). */
  UNAVAILABLE = 'UNAVAILABLE',
  /** The database refuses writes (SQLite file or its directory read-only, PostgreSQL read-only standby). */
  READ_ONLY = 'READ_ONLY',
  /** No space left for the write. */
  DISK_FULL = 'DISK_FULL',
  /** Another process holds the SQLite write lock longer than SQLITE_BUSY_TIMEOUT_MS. */
  BUSY = 'BUSY',
  /** The database rejected a value (PostgreSQL data exception): retrying the same input cannot succeed. */
  BAD_INPUT = 'BAD_INPUT',
  UNKNOWN = 'UNKNOWN',
}

/**
 * The one error the store's callers see when a write did not become durable. `retryable` says whether the same
 * write may succeed later (everything but BAD_INPUT). The driver's message is kept only as the cause: it can
 * quote the value that was refused.
 */
export class StoreError extends Error {
  override readonly name = 'StoreError';

  constructor(
    readonly code: StoreErrorCode,
    options: { cause?: unknown } = {},
  ) {
    super(`Store ${code.toLowerCase().replace(/_/g, ' ')}`, options);
  }

  get retryable(): boolean {
    return this.code !== StoreErrorCode.BAD_INPUT;
  }

  /** Wraps a driver error (better-sqlite3, pg, or a socket error) once, by its code. */
  static from(error: unknown): StoreError {
    if (error instanceof StoreError) return error;
    return new StoreError(storeErrorCodeOf(error), { cause: error });
  }
}

/** PostgreSQL SQLSTATE classes and SQLite result codes, as the drivers report them in `error.code`. */
export function storeErrorCodeOf(error: unknown): StoreErrorCode {
  const code = typeof error === 'object' && error !== null ? (error as { code?: unknown }).code : undefined;
  const message = error instanceof Error ? error.message : '';
  if (typeof code === 'string') {
    if (code.startsWith('SQLITE_READONLY')) return StoreErrorCode.READ_ONLY;
    if (code === 'SQLITE_FULL') return StoreErrorCode.DISK_FULL;
    if (code.startsWith('SQLITE_BUSY') || code.startsWith('SQLITE_LOCKED')) return StoreErrorCode.BUSY;
    if (code.startsWith('SQLITE_IOERR') || code.startsWith('SQLITE_CANTOPEN')) {
      return StoreErrorCode.UNAVAILABLE;
    }
    // PostgreSQL: 53100 disk_full, 25006 read_only_sql_transaction, class 08 connection exceptions, 57P0x
    // operator intervention (admin shutdown, terminated backend), class 22 data exceptions.
    if (code === '53100') return StoreErrorCode.DISK_FULL;
    if (code === '25006') return StoreErrorCode.READ_ONLY;
    if (code.startsWith('08') || code.startsWith('57P') || code === '53300')
      return StoreErrorCode.UNAVAILABLE;
    if (code.startsWith('22')) return StoreErrorCode.BAD_INPUT;
    if (['ECONNREFUSED', 'ECONNRESET', 'EPIPE', 'ETIMEDOUT', 'ENOTFOUND', 'EAI_AGAIN'].includes(code)) {
      return StoreErrorCode.UNAVAILABLE;
    }
  }
  // pg reports a socket closed under it without a code.
  if (/Connection terminated|connection timeout|Client has encountered a connection error/i.test(message)) {
    return StoreErrorCode.UNAVAILABLE;
  }
  return StoreErrorCode.UNKNOWN;
}
