import {
  createDeliveryHarness,
  DeliveryHarness,
  drainUntilIdle,
  useDeliveryWorld,
} from '../../test/support/delivery-harness';
import { caseInput } from '../../test/support/delivery-inputs';
import { FakeClock } from '../../test/support/fake-clock';
import { FakeSalesforceClient } from '../../test/support/fake-salesforce.client';
import { FakeSmsSender } from '../../test/support/fake-sms-sender';
import { SystemClock } from './clock';

const MINUTE = 60_000;

/** Leases, their heartbeat, their reclaim at start, and the probe after an outage: how the outbox recovers. */
describe.each(['sqlite', 'postgres'] as const)('DeliveryService recovery on %s', (dialect) => {
  const world = useDeliveryWorld(dialect);
  const { store } = world;
  let clock: FakeClock;
  let salesforce: FakeSalesforceClient;
  let sms: FakeSmsSender;
  let outbox: DeliveryHarness;
  beforeEach(() => ({ clock, salesforce, sms, outbox } = world));

  it('should find the write of a crashed worker when its lease expires, instead of writing again', async () => {
    const record = await outbox.service.submit(caseInput('tool-1'));
    // Another process claims the row, gets the case created, and dies before recording it.
    const [claimed] = await outbox.repository.claimDue({
      owner: 'crashed',
      now: clock.now(),
      leaseMs: MINUTE,
      limit: 10,
      targets: ['salesforce'],
    });
    expect(claimed.id).toBe(record.id);
    await salesforce.createCase(caseInput('tool-1').payload as never);

    expect(await drainUntilIdle(outbox.worker)).toBe(0);
    clock.advance(MINUTE + 1);
    await drainUntilIdle(outbox.worker);

    expect(salesforce.writesOf('case')).toHaveLength(1);
    expect((await outbox.service.get(record.id))?.status).toBe('succeeded');
  });

  it('should renew the lease of a slow write, so that another worker does not take it over', async () => {
    let release!: () => void;
    salesforce.gate = new Promise((resolve) => (release = resolve));
    const record = await outbox.service.submit(caseInput('tool-1'));
    expect((await outbox.service.runInline(record, 20)).status).toBe('pending');
    const other = createDeliveryHarness({ db: store.db, salesforce, sms, clock });

    // Longer than a lease, with the heartbeat beating meanwhile: the row is still this worker's.
    clock.advance(outbox.config.leaseMs - 1000);
    expect(await outbox.executor.renewLeases()).toBe(1);
    clock.advance(2000);
    expect(await other.worker.drainOnce()).toBe(0);

    release();
    salesforce.gate = undefined;
    await outbox.executor.settle(5000);
    expect(await outbox.executor.renewLeases()).toBe(0);
    expect(salesforce.writesOf('case')).toHaveLength(1);
    expect((await outbox.service.get(record.id))?.status).toBe('succeeded');
  });

  it('should keep renewing the lease on its own timer while a write runs', async () => {
    // Real time: a 300 ms lease, renewed every 100 ms by the executor's heartbeat.
    const live = { db: store.db, salesforce, sms, clock: new SystemClock(), config: { leaseMs: 300 } };
    const worker = createDeliveryHarness(live);
    const other = createDeliveryHarness(live);
    let release!: () => void;
    salesforce.gate = new Promise((resolve) => (release = resolve));
    const record = await worker.service.submit(caseInput('tool-1'));
    expect((await worker.service.runInline(record, 20)).status).toBe('pending');

    await new Promise((resolve) => setTimeout(resolve, 1000));
    expect(await other.worker.drainOnce()).toBe(0);

    release();
    salesforce.gate = undefined;
    await worker.executor.settle(5000);
    expect(salesforce.writesOf('case')).toHaveLength(1);
  });

  it(`should ${dialect === 'sqlite' ? '' : 'not '}reclaim a killed run's leases at start`, async () => {
    const record = await outbox.service.submit(caseInput('tool-1'));
    await outbox.repository.claimDue({
      owner: 'killed-earlier-run',
      now: clock.now(),
      leaseMs: outbox.config.leaseMs,
      limit: 10,
      targets: ['salesforce'],
    });

    // SQLite is one process: the lease is a dead run's. On PostgreSQL it may be a live replica's.
    expect(await outbox.worker.reclaimAtStart()).toBe(dialect === 'sqlite' ? 1 : 0);
    await drainUntilIdle(outbox.worker);

    expect((await outbox.service.get(record.id))?.status).toBe(
      dialect === 'sqlite' ? 'succeeded' : 'pending',
    );
  });

  it('should probe a target in an outage and wake its waiting rows as soon as it answers', async () => {
    const patient = createDeliveryHarness({
      db: store.db,
      salesforce,
      sms,
      clock,
      config: { backoffBaseMs: 10 * MINUTE, backoffMaxMs: 60 * MINUTE, probeIntervalMs: 5000 },
    });
    salesforce.down = true;
    const record = await patient.service.submit(caseInput('tool-1'));
    await patient.worker.drainOnce();
    expect((await patient.service.get(record.id))?.lastErrorCode).toBe('UNAVAILABLE');

    clock.advance(5000);
    await patient.worker.drainOnce();
    expect(salesforce.probes).toBe(1);
    salesforce.down = false;
    clock.advance(4000);
    await patient.worker.drainOnce();
    expect(salesforce.probes).toBe(1);
    clock.advance(1000);
    // The probe answers: the row, minutes from its next attempt, runs in this very poll.
    await drainUntilIdle(patient.worker);

    expect(salesforce.probes).toBe(2);
    expect((await patient.service.get(record.id))?.status).toBe('succeeded');
  });
});
