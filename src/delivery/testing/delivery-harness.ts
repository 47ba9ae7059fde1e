import { Registry } from 'prom-client';
import { SalesforceClient } from '../../salesforce/salesforce.client';
import { Database } from '../../store/database.factory';
import { SmsSender } from '../../twilio/sms-sender';
import { Clock } from '../clock';
import { DeliveryConfig, deliveryConfig } from '../delivery.config';
import { DeliveryExecutor } from '../delivery.executor';
import { DeliveryMetrics } from '../delivery.metrics';
import { DeliveryRepository } from '../delivery.repository';
import { DeliveryService } from '../delivery.service';
import { DeliveryWorker } from '../delivery.worker';

export interface DeliveryHarness {
  service: DeliveryService;
  worker: DeliveryWorker;
  executor: DeliveryExecutor;
  repository: DeliveryRepository;
  registry: Registry;
  config: DeliveryConfig;
}

/**
 * The real outbox classes wired by hand around a database and two ports — what DeliveryModule wires, minus
 * Nest — for tests and child processes that want to step the worker themselves.
 */
export function createDeliveryHarness(options: {
  db: Database;
  salesforce: SalesforceClient;
  sms: SmsSender;
  clock: Clock;
  config?: Partial<DeliveryConfig>;
}): DeliveryHarness {
  const config: DeliveryConfig = { ...deliveryConfig(), workerEnabled: false, ...options.config };
  const registry = new Registry();
  const repository = new DeliveryRepository(options.db);
  const metrics = new DeliveryMetrics(registry, repository, options.clock);
  const executor = new DeliveryExecutor(
    options.salesforce,
    options.sms,
    repository,
    options.clock,
    metrics,
    config,
  );
  const service = new DeliveryService(repository, executor, options.clock, config);
  const worker = new DeliveryWorker(repository, executor, options.clock, config);
  return { service, worker, executor, repository, registry, config };
}

/** Runs the worker until a poll claims nothing (or `maxPolls`); returns the rows claimed. */
export async function drainUntilIdle(worker: DeliveryWorker, maxPolls = 1000): Promise<number> {
  let total = 0;
  for (let poll = 0; poll < maxPolls; poll++) {
    const claimed = await worker.drainOnce();
    if (claimed === 0) return total;
    total += claimed;
  }
  return total;
}
