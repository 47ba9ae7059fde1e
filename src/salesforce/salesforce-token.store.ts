/**
 * Where the refresh token of the `refresh_token` flow lives, and the lock that keeps two refreshes from ever
 * running at once. Salesforce may rotate refresh tokens: reusing a spent one revokes every token of the app
 * (help KB 005316711), so the load → refresh → save sequence must be exclusive across all replicas.
 *
 * A PostgreSQL implementation maps `withRefreshLock` onto `pg_advisory_lock` held on one connection for the
 * duration of `fn` (released in `finally`), and the two other methods onto one row.
 */
export abstract class SalesforceTokenStore {
  /** Runs `fn` while no other refresh (in this process or any other replica) runs. */
  abstract withRefreshLock<T>(fn: () => Promise<T>): Promise<T>;
  /** The current refresh token, or undefined when none has been saved yet (the configured one is used). */
  abstract loadRefreshToken(): Promise<string | undefined>;
  /** Called inside the lock with the rotated token, before the lock is released. */
  abstract saveRefreshToken(refreshToken: string): Promise<void>;
}

/** Single-replica default: a promise chain as the lock, the token in memory. */
export class InMemorySalesforceTokenStore extends SalesforceTokenStore {
  private tail: Promise<unknown> = Promise.resolve();

  constructor(private refreshToken?: string) {
    super();
  }

  withRefreshLock<T>(fn: () => Promise<T>): Promise<T> {
    const run = this.tail.then(fn, fn);
    this.tail = run.catch(() => undefined);
    return run;
  }

  loadRefreshToken(): Promise<string | undefined> {
    return Promise.resolve(this.refreshToken);
  }

  saveRefreshToken(refreshToken: string): Promise<void> {
    this.refreshToken = refreshToken;
    return Promise.resolve();
  }
}
