import { Injectable } from '@nestjs/common';
import { Counter, Registry } from 'prom-client';
import { InjectMetricsRegistry } from '../metrics/metrics.tokens';
import { Database, sqliteCommitStatsOf } from './database.factory';
import { InjectDatabase } from './store.tokens';

/**
 * SQLite group commit, as counters read on each scrape: operations per COMMIT tells how much the grouping saves
 * (each COMMIT is one fsync on the event loop); failed COMMITs are writes that were answered 503.
 */
@Injectable()
export class StoreMetrics {
  constructor(@InjectMetricsRegistry() registry: Registry, @InjectDatabase() db: Database) {
    const stats = sqliteCommitStatsOf(db);
    if (!stats) return;
    const counter = (name: string, help: string, read: () => number) =>
      new Counter({
        name,
        help,
        registers: [registry],
        collect() {
          this.reset();
          this.inc(read());
        },
      });
    counter(
      'store_sqlite_operations_total',
      'Store operations that waited for a SQLite COMMIT',
      () => stats.operations,
    );
    counter(
      'store_sqlite_commits_total',
      'SQLite COMMITs (each one fsync), shared by the operations of a group',
      () => stats.commits,
    );
    counter(
      'store_sqlite_failed_commits_total',
      'SQLite COMMITs that failed; every operation of the group failed',
      () => stats.failedCommits,
    );
  }
}
