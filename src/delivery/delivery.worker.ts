import {
  BeforeApplicationShutdown,
  Inject,
  Injectable,
  Logger,
  OnApplicationBootstrap,
} from '@nestjs/common';
import { setTimeout as sleep } from 'node:timers/promises';
import { Clock } from './clock';
import { deliveryConfig, DeliveryConfig } from './delivery.config';
import { DeliveryExecutor } from './delivery.executor';
import { DeliveryRepository } from './delivery.repository';

/**
 * Drains the outbox in the background: claims due rows under a lease, runs them through the shared executor,
 * and polls again at once while there is more. On shutdown it stops claiming, lets running attempts finish
 * within a grace period, and gives back the leases of whatever is still running so another replica can take
 * over without waiting for the lease to expire.
 */
/** The longest pause between polls while the store keeps failing. */
const POLL_BACKOFF_MAX_MS = 30_000;

@Injectable()
export class DeliveryWorker implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger = new Logger(DeliveryWorker.name);
  private running = false;
  private loop?: Promise<void>;
  private wake?: () => void;

  constructor(
    private readonly repository: DeliveryRepository,
    private readonly executor: DeliveryExecutor,
    private readonly clock: Clock,
    @Inject(deliveryConfig.KEY) private readonly config: DeliveryConfig,
  ) {}

  onApplicationBootstrap(): void {
    if (this.config.workerEnabled) this.start();
  }

  start(): void {
    if (this.running) return;
    this.running = true;
    this.loop = this.pollUntilStopped();
  }

  /**
   * Claims one batch and delivers it; returns how many rows it claimed. Tests call this directly to step
   * the outbox while they move a fake clock.
   */
  async drainOnce(): Promise<number> {
    await this.executor.probeOutages();
    const targets = this.executor.availableTargets();
    const rows = await this.repository.claimDue({
      owner: this.executor.owner,
      now: this.clock.now(),
      leaseMs: this.config.leaseMs,
      limit: this.config.batchSize,
      targets,
    });
    if (rows.length > 0) await this.executor.run(rows, 'background');
    else if (this.executor.draining)
      this.executor.noteBacklogDrained((await this.repository.backlog(this.clock.now())).pending);
    return rows.length;
  }

  // Runs before the store's onApplicationShutdown closes the connections.
  async beforeApplicationShutdown(): Promise<void> {
    this.running = false;
    this.wake?.();
    // The loop ends after its current batch; inline attempts may still run. Both waits share one grace period.
    const startedAt = Date.now();
    await Promise.race([this.loop, sleep(this.config.shutdownGraceMs, undefined, { ref: false })]);
    const remaining = Math.max(0, this.config.shutdownGraceMs - (Date.now() - startedAt));
    const settled = await this.executor.settle(remaining);
    const released = await this.repository.releaseLeases(this.executor.owner, this.clock.now());
    if (!settled || released > 0) this.logger.warn(`Shutdown released ${released} leased deliveries`);
  }

  /**
   * On a single-process store (SQLite) the leases left by a killed earlier run of this service are given back
   * before the first poll, so what it had accepted is delivered within seconds of the restart rather than
   * after DELIVERY_LEASE_SECONDS. PostgreSQL replicas wait the lease out: a lease there may be a live replica's.
   */
  async reclaimAtStart(): Promise<number> {
    if (!this.repository.singleProcess) return 0;
    const reclaimed = await this.repository.reclaimForeignLeases(this.executor.owner, this.clock.now());
    if (reclaimed > 0) {
      this.logger.warn(
        { event: 'delivery_leases_reclaimed', count: reclaimed },
        `Reclaimed ${reclaimed} deliveries leased by an earlier run of this service`,
      );
    }
    return reclaimed;
  }

  private async pollUntilStopped(): Promise<void> {
    let reclaimed = false;
    let failures = 0;
    while (this.running) {
      let claimed = 0;
      try {
        if (!reclaimed) reclaimed = (await this.reclaimAtStart()) >= 0;
        claimed = await this.drainOnce();
        if (failures > 0)
          this.logger.log({ event: 'delivery_poll_recovered', failures }, 'delivery poll works again');
        failures = 0;
      } catch (error) {
        failures += 1;
        this.logger.error(
          { event: 'delivery_poll_failed', code: (error as { code?: unknown }).code, failures },
          `Delivery poll failed: ${error instanceof Error ? error.name : 'unknown error'}`,
        );
      }
      // A store that keeps failing (connection lost, disk full) is polled less and less often, up to every 30 s.
      const wait =
        failures > 0
          ? Math.min(POLL_BACKOFF_MAX_MS, this.config.pollIntervalMs * 2 ** (failures - 1))
          : this.config.pollIntervalMs;
      if ((failures > 0 || claimed < this.config.batchSize) && this.running) await this.pause(wait);
    }
  }

  private pause(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const timer = setTimeout(done, ms);
      function done(): void {
        clearTimeout(timer);
        resolve();
      }
      this.wake = done;
    });
  }
}
