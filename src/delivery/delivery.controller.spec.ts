import { Module, ValidationPipe } from '@nestjs/common';
import { FastifyAdapter, NestFastifyApplication } from '@nestjs/platform-fastify';
import { Test } from '@nestjs/testing';
import { ThrottlerModule } from '@nestjs/throttler';
import { CaseCommentDelivery, ContactUpdateDelivery } from '../calls/deliveries/salesforce-writes.delivery';
import { SmsDelivery } from '../calls/deliveries/sms.delivery';
import { callsConfig } from '../calls/calls.config';
import { SensitiveDataMasker } from '../calls/sensitive-data.masker';
import { MetricsModule } from '../metrics/metrics.module';
import { SalesforceClient } from '../salesforce/salesforce.client';
import { Database } from '../store/database.factory';
import { StoreModule } from '../store/store.module';
import { DATABASE } from '../store/store.tokens';
import { SmsSender } from '../twilio/sms-sender';
import { DeliveryHealthIndicator } from './delivery.health';
import { DeliveryModule } from './delivery.module';
import { DeliveryService } from './delivery.service';
import { FakeSalesforceClient } from '../../test/support/fake-salesforce.client';
import { FakeSmsSender } from '../../test/support/fake-sms-sender';

const API_KEY = 'operator-key-0123456789';

/** The outbox finds handlers wherever they are provided; these are the real ones, over port fakes. */
@Module({
  providers: [
    { provide: SalesforceClient, useValue: new FakeSalesforceClient() },
    { provide: SmsSender, useValue: new FakeSmsSender() },
    { provide: SensitiveDataMasker, useValue: new SensitiveDataMasker(callsConfig()) },
    SmsDelivery,
    CaseCommentDelivery,
    ContactUpdateDelivery,
  ],
})
class HandlersModule {}

describe('DeliveryController', () => {
  let app: NestFastifyApplication;
  let deliveries: DeliveryService;
  const saved = { ...process.env };

  beforeEach(async () => {
    Object.assign(process.env, {
      ADMIN_API_KEY: API_KEY,
      DATABASE_URL: 'sqlite::memory:',
      DELIVERY_WORKER_ENABLED: 'false',
      DELIVERY_DEAD_LETTERS_MAX: '0',
    });
    const moduleRef = await Test.createTestingModule({
      imports: [
        StoreModule,
        MetricsModule,
        ThrottlerModule.forRoot([{ ttl: 60_000, limit: 8 }]),
        DeliveryModule.forRoot(),
        HandlersModule,
      ],
    }).compile();
    app = moduleRef.createNestApplication<NestFastifyApplication>(new FastifyAdapter());
    // As configureApp sets it for the whole app.
    app.useGlobalPipes(new ValidationPipe({ transform: true, whitelist: true }));
    await app.init();
    await app.getHttpAdapter().getInstance().ready();
    deliveries = app.get(DeliveryService);
  });

  afterEach(async () => {
    await app.close();
    process.env = { ...saved };
  });

  const get = (url: string, headers: Record<string, string> = { 'x-api-key': API_KEY }) =>
    app.inject({ method: 'GET', url, headers });

  it('should refuse requests without the right API key', async () => {
    expect((await get('/admin/deliveries', {})).statusCode).toBe(401);
    expect((await get('/admin/deliveries', { 'x-api-key': 'wrong-key-0123456789' })).statusCode).toBe(401);
    expect((await get('/admin/deliveries', { authorization: `Bearer ${API_KEY}` })).statusCode).toBe(200);
  });

  it('should list deliveries by status and show one with personal data redacted', async () => {
    const record = await deliveries.submit({
      kind: 'twilio.sms.send',
      idempotencyKey: 'sms-1',
      callId: 'call-1',
      payload: { to: '+14155550100', body: 'Your case 00001001' },
    });

    const listed = await get('/admin/deliveries?status=pending&kind=twilio.sms.send');
    const detail = await get(`/admin/deliveries/${record.id}`);

    expect(listed.json()).toEqual({ items: [expect.objectContaining({ id: record.id, status: 'pending' })] });
    expect((await get('/admin/deliveries?status=dead')).json()).toEqual({ items: [] });
    expect((await get('/admin/deliveries?status=bogus')).statusCode).toBe(400);
    expect(detail.json()).toMatchObject({
      payload: { to: '[redacted]', body: '[redacted]' },
      callId: 'call-1',
    });
    expect(detail.body).not.toContain('4155550100');
  });

  it('should replay dead letters one at a time or all at once', async () => {
    const db = app.get<Database>(DATABASE);
    const submitted = await Promise.all(
      ['a', 'b', 'c'].map((key) =>
        deliveries.submit({
          kind: 'salesforce.case.comment',
          idempotencyKey: key,
          payload: { caseId: '500X', body: 'x' },
        }),
      ),
    );
    await db.updateTable('deliveries').set({ status: 'dead', last_error: 'refused' }).execute();

    const one = await app.inject({
      method: 'POST',
      url: `/admin/deliveries/${submitted[0].id}/replay`,
      headers: { 'x-api-key': API_KEY },
    });
    const again = await app.inject({
      method: 'POST',
      url: `/admin/deliveries/${submitted[0].id}/replay`,
      headers: { 'x-api-key': API_KEY },
    });
    const all = await app.inject({
      method: 'POST',
      url: '/admin/deliveries/replay-dead',
      headers: { 'x-api-key': API_KEY },
    });

    expect([one.statusCode, one.json()]).toEqual([200, { replayed: 1 }]);
    expect(again.statusCode).toBe(404);
    expect(all.json()).toEqual({ replayed: 2 });
    expect((await deliveries.backlog()).deadLetters).toBe(0);
  });

  it('should discard a dead letter for good, and only a dead letter', async () => {
    const db = app.get<Database>(DATABASE);
    const [dead, pending] = await Promise.all(
      ['dead', 'pending'].map((key) =>
        deliveries.submit({
          kind: 'salesforce.case.comment',
          idempotencyKey: key,
          payload: { caseId: '500X', body: 'x' },
        }),
      ),
    );
    await db.updateTable('deliveries').set({ status: 'dead' }).where('id', '=', dead.id).execute();
    const discard = (id: string) =>
      app.inject({
        method: 'POST',
        url: `/admin/deliveries/${id}/discard`,
        headers: { 'x-api-key': API_KEY },
      });

    const discarded = await discard(dead.id);
    const notDead = await discard(pending.id);

    expect([discarded.statusCode, discarded.json()]).toEqual([200, { discarded: 1 }]);
    expect(notDead.statusCode).toBe(404);
    expect(await deliveries.get(dead.id)).toBeUndefined();
    expect((await deliveries.get(pending.id))?.status).toBe('pending');
  });

  it('should throttle operators above the rate limit', async () => {
    const statuses: number[] = [];
    for (let request = 0; request < 10; request++) statuses.push((await get('/admin/deliveries')).statusCode);
    expect(statuses.slice(0, 8).every((status) => status === 200)).toBe(true);
    expect(statuses.slice(8)).toEqual([429, 429]);
  });

  it('should report the outbox down when dead letters exceed their threshold', async () => {
    const indicator = app.get(DeliveryHealthIndicator);
    expect(await indicator.check()).toMatchObject({ up: true, details: { pending: 0, deadLetters: 0 } });

    await deliveries.submit({
      kind: 'salesforce.case.comment',
      idempotencyKey: 'x',
      payload: { caseId: '500X', body: 'x' },
    });
    await app.get<Database>(DATABASE).updateTable('deliveries').set({ status: 'dead' }).execute();

    expect(await indicator.check()).toMatchObject({
      up: false,
      details: { deadLetters: 1, problems: ['too many dead letters'] },
    });
  });
});
