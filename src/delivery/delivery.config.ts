import { registerAs } from '@nestjs/config';
import { EnvFlag, EnvInt, loadEnvironment } from '../config/config.util';

export class DeliveryEnvironment {
  /** Run the background worker in this process (turn off for replicas that only serve webhooks). */
  @EnvFlag()
  DELIVERY_WORKER_ENABLED: boolean = true;

  /** Pause between polls when the backlog is empty (a full batch polls again at once). */
  @EnvInt({ min: 10, max: 60_000 })
  DELIVERY_POLL_INTERVAL_MS: number = 1000;

  /** Rows claimed per poll; Tasks among them go 200 to a Salesforce call. */
  @EnvInt({ min: 1, max: 2000 })
  DELIVERY_BATCH_SIZE: number = 200;

  /** Single writes (cases, comments, SMS…) run at once per batch. */
  @EnvInt({ min: 1, max: 100 })
  DELIVERY_CONCURRENCY: number = 8;

  /** A claimed row is reclaimed by another worker after this long without its lease being renewed: its
   * worker renews it every third of this while the write runs, so only a dead (or stalled) worker loses it. */
  @EnvInt({ min: 3, max: 3600 })
  DELIVERY_LEASE_SECONDS: number = 15;

  @EnvInt({ min: 10 })
  DELIVERY_BACKOFF_BASE_MS: number = 1000;

  @EnvInt({ min: 100 })
  DELIVERY_BACKOFF_MAX_MS: number = 300_000;

  /** While a target waits after an outage or a rate limit, it is probed this often (one cheap request); a
   * success wakes its waiting rows at once instead of letting them sit out their backoff. */
  @EnvInt({ min: 100, max: 600_000 })
  DELIVERY_PROBE_INTERVAL_MS: number = 10_000;

  /** Attempts before a row that keeps failing for an unexplained reason becomes a dead letter. */
  @EnvInt({ min: 1 })
  DELIVERY_MAX_ATTEMPTS: number = 12;

  /** Outages and rate limits only wait; a row still failing this long after submission becomes a dead letter
   * (Salesforce API limits reset within 24 h). */
  @EnvInt({ min: 60 })
  DELIVERY_GIVE_UP_AFTER_SECONDS: number = 172_800;

  /** Readiness thresholds: above any of them `/health/ready` reports the outbox down. */
  @EnvInt({ min: 1 })
  DELIVERY_BACKLOG_MAX: number = 10_000;

  @EnvInt({ min: 1 })
  DELIVERY_OLDEST_PENDING_MAX_SECONDS: number = 3600;

  @EnvInt({ min: 0 })
  DELIVERY_DEAD_LETTERS_MAX: number = 100;

  /** How long shutdown waits for running writes before releasing their leases. */
  @EnvInt({ min: 0 })
  DELIVERY_SHUTDOWN_GRACE_MS: number = 5000;
}

export const deliveryConfig = registerAs('delivery', () => {
  const env = loadEnvironment(DeliveryEnvironment, process.env);
  return {
    workerEnabled: env.DELIVERY_WORKER_ENABLED,
    pollIntervalMs: env.DELIVERY_POLL_INTERVAL_MS,
    batchSize: env.DELIVERY_BATCH_SIZE,
    concurrency: env.DELIVERY_CONCURRENCY,
    leaseMs: env.DELIVERY_LEASE_SECONDS * 1000,
    backoffBaseMs: env.DELIVERY_BACKOFF_BASE_MS,
    backoffMaxMs: Math.max(env.DELIVERY_BACKOFF_MAX_MS, env.DELIVERY_BACKOFF_BASE_MS),
    maxAttempts: env.DELIVERY_MAX_ATTEMPTS,
    probeIntervalMs: env.DELIVERY_PROBE_INTERVAL_MS,
    giveUpAfterMs: env.DELIVERY_GIVE_UP_AFTER_SECONDS * 1000,
    backlogMax: env.DELIVERY_BACKLOG_MAX,
    oldestPendingMaxSeconds: env.DELIVERY_OLDEST_PENDING_MAX_SECONDS,
    deadLettersMax: env.DELIVERY_DEAD_LETTERS_MAX,
    shutdownGraceMs: env.DELIVERY_SHUTDOWN_GRACE_MS,
  };
});
export type DeliveryConfig = ReturnType<typeof deliveryConfig>;
