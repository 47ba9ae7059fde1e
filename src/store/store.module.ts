import { Global, Logger, Module, OnApplicationShutdown } from '@nestjs/common';
import { ConfigModule } from '@nestjs/config';
import { createDatabase, Database } from './database.factory';
import { DatabaseTokenStore } from './database-token-store';
import { storeConfig, StoreConfig } from './store.config';
import { StoreHealthIndicator } from './store.health';
import { StoreMetrics } from './store.metrics';
import { DATABASE, InjectDatabase } from './store.tokens';

/**
 * The durable store: opens SQLite or PostgreSQL from `DATABASE_URL`, runs migrations before anything else
 * starts, and closes the connections last on shutdown.
 */
@Global()
@Module({
  imports: [ConfigModule.forFeature(storeConfig)],
  providers: [
    {
      provide: DATABASE,
      inject: [storeConfig.KEY],
      useFactory: (config: StoreConfig): Promise<Database> =>
        createDatabase(config.location, {
          poolMax: config.poolMax,
          busyTimeoutMs: config.busyTimeoutMs,
          requireExisting: config.requireExisting,
        }),
    },
    StoreHealthIndicator,
    StoreMetrics,
    DatabaseTokenStore,
  ],
  exports: [DATABASE, StoreHealthIndicator, DatabaseTokenStore],
})
export class StoreModule implements OnApplicationShutdown {
  private readonly logger = new Logger(StoreModule.name);

  constructor(@InjectDatabase() private readonly db: Database) {}

  // Runs after every `beforeApplicationShutdown` hook, so the delivery worker has released its leases.
  async onApplicationShutdown(): Promise<void> {
    await this.db.destroy();
    this.logger.log('Store connections closed');
  }
}
