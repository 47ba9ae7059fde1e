import {
  BeforeApplicationShutdown,
  Inject,
  Injectable,
  Logger,
  OnApplicationBootstrap,
} from '@nestjs/common';
import { Clock } from '../delivery/clock';
import { DeliveryService } from '../delivery/delivery.service';
import { storeConfig, StoreConfig } from '../store/store.config';
import { CallsRepository } from './calls.repository';

/** Rows per DELETE: short statements, so webhooks never wait long for the write lock behind the job. */
const PRUNE_CHUNK = 1000;

export interface PruneCounts {
  deliveries: number;
  calls: number;
  toolResults: number;
}

/**
 * The local store keeps personal data (transcripts in the outbox payloads, callers' numbers and names, tool
 * answers) only as long as it is needed: every STORE_RETENTION_INTERVAL_MINUTES it deletes what is older than
 * STORE_RETENTION_DAYS — delivered outbox rows first, then finished calls, then tool answers. Pending writes and
 * dead letters (and the calls they belong to) stay until they are delivered, replayed or discarded. Salesforce
 * keeps the record of the call; this store is a buffer, not an archive.
 */
@Injectable()
export class RetentionService implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger = new Logger(RetentionService.name);
  private timer?: NodeJS.Timeout;
  private running?: Promise<PruneCounts | undefined>;

  constructor(
    private readonly deliveries: DeliveryService,
    private readonly calls: CallsRepository,
    private readonly clock: Clock,
    @Inject(storeConfig.KEY) private readonly config: StoreConfig,
  ) {}

  onApplicationBootstrap(): void {
    this.timer = setInterval(() => void this.runOnce(), this.config.retentionIntervalMs);
    this.timer.unref();
  }

  async beforeApplicationShutdown(): Promise<void> {
    clearInterval(this.timer);
    await this.running;
  }

  /** One pass (never two at once); undefined when a pass was already running or the store failed. */
  runOnce(): Promise<PruneCounts | undefined> {
    if (this.running) return Promise.resolve(undefined);
    this.running = this.prune()
      .catch((error: unknown) => {
        this.logger.warn(
          { event: 'retention_failed', code: (error as { code?: unknown }).code },
          'retention pass failed; the next pass tries again',
        );
        return undefined;
      })
      .finally(() => (this.running = undefined));
    return this.running;
  }

  private async prune(): Promise<PruneCounts> {
    const before = this.clock.now() - this.config.retentionMs;
    const counts: PruneCounts = {
      deliveries: await drain((limit) => this.deliveries.pruneDelivered(before, limit)),
      calls: await drain((limit) => this.calls.pruneCalls(before, limit)),
      toolResults: await this.calls.pruneToolResults(before),
    };
    if (counts.deliveries + counts.calls + counts.toolResults > 0) {
      this.logger.log({ event: 'retention_pruned', ...counts }, 'old rows pruned from the local store');
    }
    return counts;
  }
}

async function drain(pruneChunk: (limit: number) => Promise<number>): Promise<number> {
  let total = 0;
  for (;;) {
    const deleted = await pruneChunk(PRUNE_CHUNK);
    total += deleted;
    if (deleted < PRUNE_CHUNK) return total;
  }
}
