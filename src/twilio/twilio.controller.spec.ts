import { createServer, type AddressInfo } from 'node:net';
import { ValidationPipe } from '@nestjs/common';
import { FastifyAdapter, NestFastifyApplication } from '@nestjs/platform-fastify';
import { Test } from '@nestjs/testing';
import type { Registry } from 'prom-client';
import { getExpectedTwilioSignature } from 'twilio/lib/webhooks/webhooks';
import { startTwilioFake, TwilioFake } from '../../test/fakes/twilio/twilio-fake';
import { appConfig, type AppConfig } from '../config/app.config';
import { MetricsModule } from '../metrics/metrics.module';
import { METRICS_REGISTRY } from '../metrics/metrics.tokens';
import { SmsSender } from './sms-sender';
import { twilioConfig, type TwilioConfig } from './twilio.config';
import { TwilioModule } from './twilio.module';

const ACCOUNT_SID = `AC${'c3'.repeat(16)}`;
const AUTH_TOKEN = 'controller-spec-auth-token';
const CALLER = '+14155550123';

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer().listen(0, '127.0.0.1', () => {
      const { port } = probe.address() as AddressInfo;
      probe.close((error) => (error ? reject(error) : resolve(port)));
    });
  });
}

interface Harness {
  app: NestFastifyApplication;
  registry: Registry;
}

async function startApp(
  twilio: Partial<TwilioConfig> = {},
  publicUrl = 'https://voice.example.com',
  configure: (app: NestFastifyApplication) => void = () => undefined,
): Promise<Harness> {
  const moduleRef = await Test.createTestingModule({ imports: [MetricsModule, TwilioModule] })
    .overrideProvider(twilioConfig.KEY)
    .useValue({
      accountSid: ACCOUNT_SID,
      authToken: AUTH_TOKEN,
      fromNumber: '+15005550006',
      messagingServiceSid: undefined,
      apiUrl: 'http://127.0.0.1:9',
      messagingApiUrl: 'http://127.0.0.1:9',
      configured: true,
      smsConfirmations: true,
      statusCallbacks: 'auto',
      timeoutMs: 5_000,
      verifyServiceSid: undefined,
      verifyApiUrl: 'https://verify.twilio.com',
      ...twilio,
    } satisfies TwilioConfig)
    .overrideProvider(appConfig.KEY)
    .useValue({ publicUrl } satisfies Partial<AppConfig>)
    .compile();
  const app = moduleRef.createNestApplication<NestFastifyApplication>(new FastifyAdapter(), {
    logger: false,
  });
  // As the production app is expected to: unknown fields stripped, not refused (Twilio adds fields over time).
  app.useGlobalPipes(new ValidationPipe({ whitelist: true, transform: true }));
  configure(app);
  await app.init();
  await app.getHttpAdapter().getInstance().ready();
  return { app, registry: app.get<Registry>(METRICS_REGISTRY) };
}

const statusCallback = (overrides: Record<string, string> = {}): Record<string, string> => ({
  AccountSid: ACCOUNT_SID,
  ApiVersion: '2010-04-01',
  From: '+15005550006',
  MessageSid: 'SM0123456789abcdef0123456789abcdef',
  MessageStatus: 'delivered',
  SmsSid: 'SM0123456789abcdef0123456789abcdef',
  SmsStatus: 'delivered',
  To: CALLER,
  ...overrides,
});

async function callbackCount(registry: Registry, labels: Record<string, string>): Promise<number> {
  const metric = await registry.getSingleMetric('twilio_message_status_callbacks_total')?.get();
  const sample = metric?.values.find((value) =>
    Object.entries(labels).every(([key, expected]) => value.labels[key] === expected),
  );
  return sample?.value ?? 0;
}

describe('TwilioController POST /twilio/status', () => {
  let harness: Harness;

  afterEach(() => harness.app.close());

  const post = (params: Record<string, string>, signature?: string, host = 'voice-crm.internal:3000') =>
    harness.app.inject({
      method: 'POST',
      url: '/twilio/status',
      headers: {
        host,
        'content-type': 'application/x-www-form-urlencoded',
        ...(signature === undefined ? {} : { 'x-twilio-signature': signature }),
      },
      payload: new URLSearchParams(params).toString(),
    });

  it('should accept a callback signed for PUBLIC_URL whatever the Host header says, and count its status', async () => {
    harness = await startApp();
    const params = statusCallback();
    const signature = getExpectedTwilioSignature(
      AUTH_TOKEN,
      'https://voice.example.com/twilio/status',
      params,
    );

    const response = await post(params, signature);

    expect(response.statusCode).toBe(204);
    expect(await callbackCount(harness.registry, { status: 'delivered', error_code: '' })).toBe(1);
  });

  it('should count a failed delivery with its Twilio error code', async () => {
    harness = await startApp();
    const params = statusCallback({
      MessageStatus: 'undelivered',
      SmsStatus: 'undelivered',
      ErrorCode: '30003',
    });
    const signature = getExpectedTwilioSignature(
      AUTH_TOKEN,
      'https://voice.example.com/twilio/status',
      params,
    );

    expect((await post(params, signature)).statusCode).toBe(204);
    expect(await callbackCount(harness.registry, { status: 'undelivered', error_code: '30003' })).toBe(1);
  });

  it('should answer 403 without saying why when the signature is missing or wrong', async () => {
    harness = await startApp();
    const params = statusCallback();
    const signedForHost = getExpectedTwilioSignature(
      AUTH_TOKEN,
      'http://voice-crm.internal:3000/twilio/status',
      params,
    );

    const unsigned = await post(params);
    const wrongUrl = await post(params, signedForHost);
    const tampered = await post(
      { ...params, MessageStatus: 'failed' },
      getExpectedTwilioSignature(AUTH_TOKEN, 'https://voice.example.com/twilio/status', params),
    );

    for (const response of [unsigned, wrongUrl, tampered]) {
      expect(response.statusCode).toBe(403);
      expect(response.body.toLowerCase()).not.toMatch(/signature|twilio|token|url/);
    }
    expect(await callbackCount(harness.registry, { status: 'delivered' })).toBe(0);
  });

  it('should refuse every callback when no Twilio auth token is configured', async () => {
    harness = await startApp({ authToken: undefined, configured: false });
    const params = statusCallback();
    const signature = getExpectedTwilioSignature(
      AUTH_TOKEN,
      'https://voice.example.com/twilio/status',
      params,
    );

    expect((await post(params, signature)).statusCode).toBe(403);
  });

  describe('with the Twilio fake sending real status callbacks', () => {
    let fake: TwilioFake;

    afterEach(() => fake.close());

    it('should verify and count the sent and delivered callbacks of an SMS sent through the module', async () => {
      fake = await startTwilioFake({
        accountSid: ACCOUNT_SID,
        authToken: AUTH_TOKEN,
        sendStatusCallbacks: true,
      });
      // The sender builds StatusCallback from PUBLIC_URL at start-up, so the app's port must be known before.
      const port = await freePort();
      harness = await startApp({ apiUrl: fake.url, statusCallbacks: 'true' }, `http://127.0.0.1:${port}`);
      await harness.app.listen(port, '127.0.0.1');

      const sender = harness.app.get(SmsSender);
      await sender.send({ to: CALLER, body: 'Your case number is 00001234.' });
      await fake.settled();

      expect(fake.messages[0].StatusCallback).toBe(`http://127.0.0.1:${port}/twilio/status`);
      expect(fake.statusCallbacks.map(({ params, outcome }) => [params.MessageStatus, outcome])).toEqual([
        ['sent', 204],
        ['delivered', 204],
      ]);
      expect(await callbackCount(harness.registry, { status: 'sent' })).toBe(1);
      expect(await callbackCount(harness.registry, { status: 'delivered' })).toBe(1);
    });
  });
});
