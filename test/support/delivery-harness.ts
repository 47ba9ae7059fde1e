import { Registry } from 'prom-client';
import { CallerIdentityService } from '../../src/calls/caller-identity.service';
import { callsConfig } from '../../src/calls/calls.config';
import { CallsRepository } from '../../src/calls/calls.repository';
import { SensitiveDataMasker } from '../../src/calls/sensitive-data.masker';
import { CALL_DELIVERY_HANDLERS } from '../../src/calls/deliveries';
import { CallLogDelivery } from '../../src/calls/deliveries/call-log.delivery';
import { CaseCreateDelivery } from '../../src/calls/deliveries/case-create.delivery';
import {
  CaseCommentDelivery,
  ContactUpdateDelivery,
  TranscriptDelivery,
} from '../../src/calls/deliveries/salesforce-writes.delivery';
import { SmsDelivery } from '../../src/calls/deliveries/sms.delivery';
import { PhoneNumbers } from '../../src/common/phone-numbers';
import { Clock } from '../../src/delivery/clock';
import { DeliveryHandlerRegistry } from '../../src/delivery/delivery-handler.registry';
import { DeliveryConfig, deliveryConfig } from '../../src/delivery/delivery.config';
import { DeliveryExecutor } from '../../src/delivery/delivery.executor';
import { DeliveryMetrics } from '../../src/delivery/delivery.metrics';
import { DeliveryRepository } from '../../src/delivery/delivery.repository';
import { DeliveryService } from '../../src/delivery/delivery.service';
import { DeliveryWorker } from '../../src/delivery/delivery.worker';
import { SalesforceClient } from '../../src/salesforce/salesforce.client';
import { Database } from '../../src/store/database.factory';
import { SmsSender } from '../../src/twilio/sms-sender';
import type { Dialect } from '../../src/store/database.factory';
import { useTestDatabase } from './test-database';
import { FakeSmsSender } from './fake-sms-sender';
import { FakeSalesforceClient } from './fake-salesforce.client';
import { FakeClock } from './fake-clock';

export interface DeliveryHarness {
  service: DeliveryService;
  worker: DeliveryWorker;
  executor: DeliveryExecutor;
  repository: DeliveryRepository;
  calls: CallsRepository;
  registry: Registry;
  config: DeliveryConfig;
}

/**
 * The real outbox classes and the call workflow's real delivery handlers, wired by hand around a database and
 * two ports — what DeliveryModule and CallsModule wire, minus Nest — for tests and child processes that want
 * to step the worker themselves.
 */
export function createDeliveryHarness(options: {
  db: Database;
  salesforce: SalesforceClient;
  sms: SmsSender;
  clock: Clock;
  config?: Partial<DeliveryConfig>;
}): DeliveryHarness {
  const { db, salesforce, sms, clock } = options;
  const config: DeliveryConfig = { ...deliveryConfig(), workerEnabled: false, ...options.config };
  const registry = new Registry();
  const calls = new CallsRepository(db);
  const identities = new CallerIdentityService(salesforce, new PhoneNumbers('US'), callsConfig());
  const masker = new SensitiveDataMasker(callsConfig());
  const handlers = new DeliveryHandlerRegistry();
  const built = [
    new CaseCreateDelivery(salesforce, calls, masker),
    new CaseCommentDelivery(salesforce, masker),
    new ContactUpdateDelivery(salesforce, masker),
    new CallLogDelivery(salesforce, calls, identities, masker),
    new TranscriptDelivery(salesforce, masker),
    new SmsDelivery(sms),
  ];
  if (built.length !== CALL_DELIVERY_HANDLERS.length)
    throw new Error('a call delivery handler is not wired here');
  for (const handler of built) handlers.register(handler);
  const repository = new DeliveryRepository(db);
  const metrics = new DeliveryMetrics(registry, repository, clock);
  const executor = new DeliveryExecutor(handlers, repository, clock, metrics, config);
  const service = new DeliveryService(repository, executor, clock, config, db);
  const worker = new DeliveryWorker(repository, executor, clock, config);
  return { service, worker, executor, repository, calls, registry, config };
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

/** What an outbox test works with: a fresh harness over the test database, rebuilt before each test. */
export class DeliveryWorld {
  clock!: FakeClock;
  salesforce!: FakeSalesforceClient;
  sms!: FakeSmsSender;
  outbox!: DeliveryHarness;

  constructor(readonly store: { readonly db: Database }) {}
}

/**
 * The test database of `dialect` and, before each test, a fake clock, the port fakes and an outbox harness with
 * short backoffs (1 s base, 60 s cap, 5 attempts).
 */
export function useDeliveryWorld(dialect: Dialect): DeliveryWorld {
  const store = useTestDatabase(dialect);
  const world = new DeliveryWorld(store);
  beforeEach(() => {
    world.clock = new FakeClock();
    world.salesforce = new FakeSalesforceClient();
    world.sms = new FakeSmsSender();
    world.outbox = createDeliveryHarness({
      db: store.db,
      salesforce: world.salesforce,
      sms: world.sms,
      clock: world.clock,
      config: { backoffBaseMs: 1000, backoffMaxMs: 60_000, maxAttempts: 5, giveUpAfterMs: 48 * 60 * 60_000 },
    });
  });
  return world;
}
