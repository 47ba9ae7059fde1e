import { Global, Injectable, Logger, Module } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import { Registry } from 'prom-client';
import { SalesforceFake, startSalesforceFake } from '../../test/fakes/salesforce/salesforce-fake';
import { PhoneNumbersModule } from '../common/phone-numbers.module';
import { METRICS_REGISTRY } from '../metrics/metrics.tokens';
import { SalesforceClient } from './salesforce.client';
import { SalesforceErrorCode } from './salesforce.errors';
import { SalesforceModule } from './salesforce.module';
import { SalesforceRestClient } from './salesforce-rest.client';
import { InMemorySalesforceTokenStore, SalesforceTokenStore } from './salesforce-token.store';

// Token and retry logs are expected here; keep the test output readable.
Logger.overrideLogger(false);

const registry = new Registry();

@Global()
@Module({ providers: [{ provide: METRICS_REGISTRY, useValue: registry }], exports: [METRICS_REGISTRY] })
class TestMetricsModule {}

@Injectable()
class SharedTokenStore extends InMemorySalesforceTokenStore {}

@Module({ providers: [SharedTokenStore], exports: [SharedTokenStore] })
class SharedStoreModule {}

describe('SalesforceModule', () => {
  let fake: SalesforceFake;
  const saved = { ...process.env };

  beforeEach(async () => {
    fake = await startSalesforceFake({
      clients: [{ clientId: 'module-client', clientSecret: 'module-secret' }],
    });
    Object.assign(process.env, {
      SALESFORCE_AUTH_FLOW: 'client_credentials',
      SALESFORCE_LOGIN_URL: fake.url,
      SALESFORCE_CLIENT_ID: 'module-client',
      SALESFORCE_CLIENT_SECRET: 'module-secret',
    });
  });

  afterEach(async () => {
    process.env = { ...saved };
    await fake.close();
  });

  it('should provide the REST client behind the port, with an in-memory token store by default', async () => {
    const moduleRef = await Test.createTestingModule({
      imports: [TestMetricsModule, PhoneNumbersModule, SalesforceModule],
    }).compile();
    await moduleRef.init();
    const client = moduleRef.get(SalesforceClient);
    fake.insert('Account', { Name: 'Acme', AccountNumber: 'MOD-1' });

    expect(client).toBeInstanceOf(SalesforceRestClient);
    expect(moduleRef.get(SalesforceTokenStore)).toBeInstanceOf(InMemorySalesforceTokenStore);
    expect(await client.findAccountByNumber('MOD-1')).toMatchObject({ name: 'Acme' });
    expect(await registry.getSingleMetricAsString('salesforce_requests_total')).toContain(
      'findAccountByNumber',
    );
    await moduleRef.close();
  });

  it('should close its connection pool when the module closes', async () => {
    process.env.SALESFORCE_RETRY_ATTEMPTS = '0';
    const moduleRef = await Test.createTestingModule({
      imports: [TestMetricsModule, PhoneNumbersModule, SalesforceModule],
    }).compile();
    await moduleRef.init();
    const client = moduleRef.get(SalesforceClient);
    await client.findAccountByNumber('MOD-2');

    await moduleRef.close();

    await expect(client.findAccountByNumber('MOD-2')).rejects.toMatchObject({
      code: SalesforceErrorCode.UNAVAILABLE,
      message: expect.stringContaining('UND_ERR_DESTROYED'),
    });
  });

  it('should use the token store it is given', async () => {
    const moduleRef = await Test.createTestingModule({
      imports: [
        TestMetricsModule,
        PhoneNumbersModule,
        SalesforceModule.register({ imports: [SharedStoreModule], tokenStore: SharedTokenStore }),
      ],
    }).compile();

    expect(moduleRef.get(SalesforceTokenStore)).toBe(moduleRef.get(SharedTokenStore));
    await moduleRef.close();
  });
});
