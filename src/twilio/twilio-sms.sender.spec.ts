import { inspect } from 'node:util';
import { ConsoleLogger, Logger } from '@nestjs/common';
import fc from 'fast-check';
import { Registry } from 'prom-client';
import { startTwilioFake, TwilioFake } from '../../test/fakes/twilio/twilio-fake';
import type { AppConfig } from '../config/app.config';
import { TwilioError, TwilioErrorCode } from './twilio.errors';
import type { TwilioConfig } from './twilio.config';
import { TwilioMetrics } from './twilio.metrics';
import { createSmsSender } from './twilio.module';
import {
  DisabledSmsSender,
  SMS_BODY_LIMIT,
  TwilioSmsSender,
  TwilioSmsSenderOptions,
  truncateSmsBody,
} from './twilio-sms.sender';

const ACCOUNT_SID = `AC${'a1'.repeat(16)}`;
const AUTH_TOKEN = 'fake-auth-token-9f8e7d6c5b4a';
const FROM = '+15005550006';
const CALLER = '+14155550123';

describe('TwilioSmsSender', () => {
  // The retry warnings are expected here; keep the test output readable.
  beforeAll(() => {
    Logger.overrideLogger(false);
  });
  afterAll(() => {
    Logger.overrideLogger(new ConsoleLogger());
  });

  let fake: TwilioFake;
  let registry: Registry;
  const senders: TwilioSmsSender[] = [];

  beforeEach(async () => {
    fake = await startTwilioFake({ accountSid: ACCOUNT_SID, authToken: AUTH_TOKEN });
    registry = new Registry();
  });

  afterEach(async () => {
    await Promise.all(senders.splice(0).map((sender) => sender.onModuleDestroy()));
    await fake.close();
  });

  const makeSender = (overrides: Partial<TwilioSmsSenderOptions> = {}): TwilioSmsSender => {
    const sender = new TwilioSmsSender(
      {
        accountSid: ACCOUNT_SID,
        authToken: AUTH_TOKEN,
        fromNumber: FROM,
        apiUrl: fake.url,
        rateLimitRetry: { maxRetries: 3, initialDelayMs: 1, maxDelayMs: 5 },
        ...overrides,
      },
      new TwilioMetrics(registry),
    );
    senders.push(sender);
    return sender;
  };

  const sendExpectingError = async (
    sender: TwilioSmsSender,
    to = CALLER,
    body = 'Your case is 00001234.',
  ) => {
    const error: unknown = await sender.send({ to, body }).then(
      () => undefined,
      (failure: unknown) => failure,
    );
    expect(error).toBeInstanceOf(TwilioError);
    return error as TwilioError;
  };

  const metricValue = async (name: string, labels: Record<string, string> = {}): Promise<number> => {
    const metric = await registry.getSingleMetric(name)?.get();
    const sample = metric?.values.find((value) =>
      Object.entries(labels).every(([key, expected]) => value.labels[key] === expected),
    );
    return sample?.value ?? 0;
  };

  it('should send To, From, Body and StatusCallback as a form and return the queued message sid', async () => {
    const sender = makeSender({ statusCallbackUrl: 'https://voice.example.com/twilio/status' });

    const sent = await sender.send({ to: CALLER, body: 'Your case number is 00001234.' });

    expect(sent.sid).toMatch(/^SM[0-9a-f]{32}$/);
    expect(sent.status).toBe('queued');
    expect(fake.messages).toEqual([
      {
        sid: sent.sid,
        To: CALLER,
        From: FROM,
        Body: 'Your case number is 00001234.',
        MessagingServiceSid: undefined,
        StatusCallback: 'https://voice.example.com/twilio/status',
        status: 'queued',
      },
    ]);
    expect(await metricValue('sms_sent_total')).toBe(1);
  });

  it('should send MessagingServiceSid instead of From when a messaging service is configured', async () => {
    const messagingServiceSid = `MG${'b2'.repeat(16)}`;
    const sender = makeSender({ fromNumber: undefined, messagingServiceSid });

    const sent = await sender.send({ to: CALLER, body: 'Hello' });

    expect(sent.status).toBe('accepted');
    expect(fake.messages[0]).toMatchObject({ MessagingServiceSid: messagingServiceSid, From: undefined });
    expect(fake.messages[0].StatusCallback).toBeUndefined();
  });

  it('should truncate a body over 1,600 characters so Twilio accepts it', async () => {
    const sender = makeSender();
    const body = `${'a'.repeat(SMS_BODY_LIMIT - 2)}😀😀 and more text`;

    await sender.send({ to: CALLER, body });

    const received = fake.messages[0].Body;
    expect(received.length).toBeLessThanOrEqual(SMS_BODY_LIMIT);
    expect(received.endsWith('…')).toBe(true);
    expect(received).toBe(`${'a'.repeat(SMS_BODY_LIMIT - 2)}…`);
  });

  it('should classify a malformed number (21211) as INVALID_RECIPIENT, not retryable, without the number', async () => {
    const sender = makeSender();

    const error = await sendExpectingError(sender, '+1415');
    const malformed = await sendExpectingError(sender, '4155550123');

    expect(error).toMatchObject({
      code: TwilioErrorCode.INVALID_RECIPIENT,
      retryable: false,
      twilioCode: 21211,
      status: 400,
    });
    expect(malformed.code).toBe(TwilioErrorCode.INVALID_RECIPIENT);
    expect(inspect(error, { depth: 5 })).not.toContain('+1415');
    expect(inspect(malformed, { depth: 5 })).not.toContain('4155550123');
    expect(await metricValue('sms_failed_total', { code: TwilioErrorCode.INVALID_RECIPIENT })).toBe(2);
  });

  it('should classify a number that cannot receive SMS (21614) as INVALID_RECIPIENT', async () => {
    fake.faults.set({ invalidNumbers: [CALLER] });
    const error = await sendExpectingError(makeSender());

    expect(error).toMatchObject({
      code: TwilioErrorCode.INVALID_RECIPIENT,
      retryable: false,
      twilioCode: 21614,
    });
    expect(inspect(error, { depth: 5 })).not.toContain(CALLER);
  });

  it('should classify refused credentials (401 / 20003) as AUTH_FAILED without the token', async () => {
    const error = await sendExpectingError(makeSender({ authToken: 'wrong-token-123456' }));

    expect(error).toMatchObject({
      code: TwilioErrorCode.AUTH_FAILED,
      retryable: false,
      twilioCode: 20003,
      status: 401,
    });
    const printed = inspect(error, { depth: 5 });
    expect(printed).not.toContain('wrong-token-123456');
    expect(printed).not.toContain(Buffer.from(`${ACCOUNT_SID}:wrong-token-123456`).toString('base64'));
    expect(printed).not.toContain(CALLER);
  });

  it('should classify other refusals, such as a body Twilio rejects, as REJECTED and not retryable', async () => {
    const error = await sendExpectingError(makeSender(), CALLER, '');

    expect(error).toMatchObject({ code: TwilioErrorCode.REJECTED, retryable: false, twilioCode: 21602 });
  });

  it('should classify a Twilio outage (5xx) as UNAVAILABLE and retryable, without retrying in process', async () => {
    fake.faults.set({ outage: true });
    const error = await sendExpectingError(makeSender());

    expect(error).toMatchObject({ code: TwilioErrorCode.UNAVAILABLE, retryable: true, status: 503 });
    expect(fake.answers).toEqual([503]);
  });

  it('should classify a refused connection as UNAVAILABLE and retryable', async () => {
    const url = fake.url;
    await fake.close();
    fake = await startTwilioFake({ accountSid: ACCOUNT_SID, authToken: AUTH_TOKEN });
    const error = await sendExpectingError(makeSender({ apiUrl: url }));

    expect(error).toMatchObject({ code: TwilioErrorCode.UNAVAILABLE, retryable: true });
    expect(inspect(error, { depth: 5 })).not.toContain(AUTH_TOKEN);
  });

  it('should give up with TIMEOUT when Twilio does not answer within the timeout', async () => {
    fake.faults.set({ latencyMs: 2_000 });
    const error = await sendExpectingError(makeSender({ timeoutMs: 100 }));

    expect(error).toMatchObject({ code: TwilioErrorCode.TIMEOUT, retryable: true });
    expect(await metricValue('sms_failed_total', { code: TwilioErrorCode.TIMEOUT })).toBe(1);
  });

  it('should retry 429 / 20429 with backoff and succeed when Twilio recovers', async () => {
    fake.faults.set({ status429: 2 });

    const sent = await makeSender().send({ to: CALLER, body: 'Hello' });

    expect(sent.sid).toMatch(/^SM/);
    expect(fake.answers).toEqual([429, 429, 201]);
    expect(fake.messages).toHaveLength(1);
  });

  it('should stop retrying 429 after the bounded number of attempts and report RATE_LIMITED', async () => {
    fake.faults.set({ status429: 100 });

    const error = await sendExpectingError(
      makeSender({ rateLimitRetry: { maxRetries: 2, initialDelayMs: 1, maxDelayMs: 2 } }),
    );

    expect(error).toMatchObject({
      code: TwilioErrorCode.RATE_LIMITED,
      retryable: true,
      twilioCode: 20429,
      status: 429,
    });
    expect(fake.answers).toEqual([429, 429, 429]);
    expect(await metricValue('sms_failed_total', { code: TwilioErrorCode.RATE_LIMITED })).toBe(1);
  });
});

describe('truncateSmsBody', () => {
  it('should leave a body within the limit unchanged', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 50 }), (body) => {
        expect(truncateSmsBody(body, 50)).toBe(body);
      }),
    );
  });

  it('should cut a longer body to the limit on a character boundary, ending with an ellipsis', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'grapheme', minLength: 21, maxLength: 80 }), (body) => {
        fc.pre(body.length > 20);
        const truncated = truncateSmsBody(body, 20);
        expect(truncated.length).toBeLessThanOrEqual(20);
        expect(truncated.endsWith('…')).toBe(true);
        expect(body.startsWith(truncated.slice(0, -1))).toBe(true);
        // No lone surrogate: a well-formed string survives a UTF-8 round trip unchanged.
        expect(Buffer.from(truncated, 'utf8').toString('utf8')).toBe(truncated);
      }),
    );
  });
});

describe('DisabledSmsSender', () => {
  it('should say it is disabled and refuse to send with NOT_CONFIGURED', async () => {
    const sender = new DisabledSmsSender();

    expect(sender.enabled).toBe(false);
    await expect(sender.send()).rejects.toMatchObject({
      code: TwilioErrorCode.NOT_CONFIGURED,
      retryable: false,
    });
  });
});

describe('createSmsSender', () => {
  let fake: TwilioFake;

  beforeEach(async () => {
    fake = await startTwilioFake({ accountSid: ACCOUNT_SID, authToken: AUTH_TOKEN });
  });

  afterEach(() => fake.close());

  const twilioConfig = (overrides: Partial<TwilioConfig> = {}): TwilioConfig => ({
    accountSid: ACCOUNT_SID,
    authToken: AUTH_TOKEN,
    fromNumber: FROM,
    messagingServiceSid: undefined,
    apiUrl: fake.url,
    messagingApiUrl: fake.url,
    configured: true,
    smsConfirmations: true,
    statusCallbacks: 'auto',
    timeoutMs: 5_000,
    verifyServiceSid: undefined,
    verifyApiUrl: 'https://verify.twilio.com',
    ...overrides,
  });
  const appConfig = (publicUrl: string) => ({ publicUrl }) as AppConfig;

  const sendWith = async (twilio: TwilioConfig, publicUrl: string): Promise<string | undefined> => {
    const sender = createSmsSender(twilio, appConfig(publicUrl), new TwilioMetrics(new Registry()));
    expect(sender).toBeInstanceOf(TwilioSmsSender);
    await sender.send({ to: CALLER, body: 'Hi' });
    await (sender as TwilioSmsSender).onModuleDestroy();
    return fake.messages.at(-1)?.StatusCallback;
  };

  it('should disable SMS when Twilio is not configured or confirmations are off', () => {
    const metrics = new TwilioMetrics(new Registry());
    const app = appConfig('https://voice.example.com');

    expect(
      createSmsSender(twilioConfig({ configured: false, authToken: undefined }), app, metrics).enabled,
    ).toBe(false);
    expect(createSmsSender(twilioConfig({ smsConfirmations: false }), app, metrics).enabled).toBe(false);
  });

  it('should ask for status callbacks at PUBLIC_URL/twilio/status only when PUBLIC_URL is https in auto mode', async () => {
    expect(await sendWith(twilioConfig(), 'https://voice.example.com')).toBe(
      'https://voice.example.com/twilio/status',
    );
    expect(await sendWith(twilioConfig(), 'http://localhost:3000')).toBeUndefined();
    expect(await sendWith(twilioConfig({ statusCallbacks: 'true' }), 'http://localhost:3000')).toBe(
      'http://localhost:3000/twilio/status',
    );
    expect(
      await sendWith(twilioConfig({ statusCallbacks: 'false' }), 'https://voice.example.com'),
    ).toBeUndefined();
  });
});
