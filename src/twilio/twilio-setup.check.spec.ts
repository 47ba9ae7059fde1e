import { startTwilioFake, TwilioFake, TwilioFakeOptions } from '../../test/fakes/twilio/twilio-fake';
import { Agent } from 'undici';
import { checkVerifyService, TwilioSetupCheck, TwilioSetupCheckOptions } from './twilio-setup.check';
import { messagingApiUrl } from './twilio.config';
import { DisabledSmsSender } from './twilio-sms.sender';

const ACCOUNT_SID = `AC${'c3'.repeat(16)}`;
const AUTH_TOKEN = 'twilio-auth-token-setup-0123';
const UK_NUMBER = '+447700900123';
const SERVICE = `MG${'d4'.repeat(16)}`;

const summary = (results: { check: string; status: string }[]) =>
  results.map((result) => `${result.status} ${result.check}`);

describe('TwilioSetupCheck against the Twilio fake', () => {
  let fake: TwilioFake | undefined;
  afterEach(async () => {
    await fake?.close();
    fake = undefined;
  });

  const check = async (
    fakeOptions: Partial<TwilioFakeOptions>,
    options: Partial<TwilioSetupCheckOptions>,
  ) => {
    fake = await startTwilioFake({ accountSid: ACCOUNT_SID, authToken: AUTH_TOKEN, ...fakeOptions });
    return new TwilioSetupCheck({
      accountSid: ACCOUNT_SID,
      authToken: AUTH_TOKEN,
      apiUrl: fake.url,
      messagingApiUrl: fake.url,
      ...options,
    }).run();
  };

  it('should pass active credentials and a number of the account that can send SMS', async () => {
    const results = await check({}, { fromNumber: UK_NUMBER });

    expect(summary(results)).toEqual([
      'pass credentials (TWILIO_ACCOUNT_SID, TWILIO_AUTH_TOKEN)',
      'pass sender TWILIO_FROM_NUMBER',
    ]);
  });

  it('should name TWILIO_AUTH_TOKEN when Twilio refuses it, without printing it, and skip the sender', async () => {
    const results = await check({}, { fromNumber: UK_NUMBER, authToken: 'a-rotated-away-token-0123' });

    expect(summary(results)).toEqual([
      'fail credentials (TWILIO_ACCOUNT_SID, TWILIO_AUTH_TOKEN)',
      'skip sender',
    ]);
    expect(results[0].fix).toContain('TWILIO_AUTH_TOKEN');
    expect(JSON.stringify(results)).not.toContain('a-rotated-away-token-0123');
  });

  it('should warn about a trial account and that a US number needs A2P 10DLC registration', async () => {
    const results = await check({ accountType: 'Trial' }, { fromNumber: '+14155550000' });

    expect(summary(results)).toEqual([
      'warn credentials (TWILIO_ACCOUNT_SID, TWILIO_AUTH_TOKEN)',
      'pass sender TWILIO_FROM_NUMBER',
      'warn US A2P 10DLC registration',
    ]);
    expect(results[2].detail).toContain('30034');
  });

  it('should fail a sender that is not the account’s or cannot send SMS', async () => {
    const owned = [{ phoneNumber: UK_NUMBER, sms: false }];

    const notOwned = await check({ ownedNumbers: owned }, { fromNumber: '+447700900999' });
    await fake?.close();
    const voiceOnly = await check({ ownedNumbers: owned }, { fromNumber: UK_NUMBER });

    expect(notOwned[1]).toMatchObject({ status: 'fail', detail: 'not a number of this Twilio account' });
    expect(voiceOnly[1]).toMatchObject({ status: 'fail', detail: 'the number cannot send SMS' });
  });

  it('should check a Messaging Service: that it exists, has senders and a registered A2P campaign for US numbers', async () => {
    const services = [{ sid: SERVICE, a2pRegistered: false, numbers: ['+14155550000'] }];

    const missing = await check(
      { messagingServices: services },
      { messagingServiceSid: `MG${'0'.repeat(32)}` },
    );
    await fake?.close();
    const unregistered = await check({ messagingServices: services }, { messagingServiceSid: SERVICE });
    await fake?.close();
    const registered = await check(
      { messagingServices: [{ ...services[0], a2pRegistered: true }] },
      { messagingServiceSid: SERVICE },
    );

    expect(missing[1]).toMatchObject({
      status: 'fail',
      fix: expect.stringContaining('TWILIO_MESSAGING_SERVICE_SID'),
    });
    expect(summary(unregistered).slice(1)).toEqual([
      'pass sender TWILIO_MESSAGING_SERVICE_SID',
      'fail US A2P 10DLC registration',
    ]);
    expect(summary(registered).slice(1)).toEqual(['pass sender TWILIO_MESSAGING_SERVICE_SID']);
  });

  it('should fail, not throw, when Twilio cannot be reached', async () => {
    const results = await new TwilioSetupCheck({
      accountSid: ACCOUNT_SID,
      authToken: AUTH_TOKEN,
      apiUrl: 'http://127.0.0.1:9',
      messagingApiUrl: 'http://127.0.0.1:9',
    }).run();

    expect(summary(results)).toEqual(['fail Twilio reachable']);
  });

  it('should skip when SMS confirmations are off', async () => {
    expect(summary(await new DisabledSmsSender().checkSetup())).toEqual(['skip SMS confirmations']);
  });
});

describe('checkVerifyService against the Twilio fake', () => {
  const VERIFY_SID = `VA${'e5'.repeat(16)}`;
  let fake: TwilioFake;
  const dispatcher = new Agent({ connections: 2 });
  beforeAll(async () => {
    fake = await startTwilioFake({
      accountSid: ACCOUNT_SID,
      authToken: AUTH_TOKEN,
      verifyServiceSids: [VERIFY_SID],
    });
  });
  afterAll(() => Promise.all([fake.close(), dispatcher.close()]));

  const check = (options: { serviceSid?: string; authToken?: string; apiUrl?: string }) =>
    checkVerifyService({
      accountSid: ACCOUNT_SID,
      authToken: options.authToken ?? AUTH_TOKEN,
      serviceSid: options.serviceSid ?? VERIFY_SID,
      apiUrl: options.apiUrl ?? fake.url,
      dispatcher,
    });

  it('should pass a service of the account, reading it without sending a code', async () => {
    const result = await check({});

    expect(result).toMatchObject({ status: 'pass', detail: 'the service exists and sends 6-digit codes' });
    expect(fake.verifications).toEqual([]);
  });

  it('should fail a service the account does not have, naming TWILIO_VERIFY_SERVICE_SID', async () => {
    const result = await check({ serviceSid: `VA${'00'.repeat(16)}` });

    expect(result.status).toBe('fail');
    expect(result.fix).toContain('TWILIO_VERIFY_SERVICE_SID');
  });

  it('should fail refused credentials without printing them, and an unreachable host without throwing', async () => {
    const refused = await check({ authToken: 'a-rotated-verify-token-0123' });
    const unreachable = await check({ apiUrl: 'http://127.0.0.1:9' });

    expect(refused).toMatchObject({ status: 'fail', detail: 'Twilio refused the credentials (HTTP 401)' });
    expect(JSON.stringify(refused)).not.toContain('a-rotated-verify-token-0123');
    expect(unreachable).toMatchObject({ status: 'fail', fix: 'check TWILIO_VERIFY_API_URL and the network' });
  });
});

describe('messagingApiUrl', () => {
  it("should find Messaging Services beside Twilio's API host, edges included, and on a fake's own URL", () => {
    expect(messagingApiUrl('https://api.twilio.com')).toBe('https://messaging.twilio.com');
    expect(messagingApiUrl('https://api.dublin.ie1.twilio.com')).toBe(
      'https://messaging.dublin.ie1.twilio.com',
    );
    expect(messagingApiUrl('http://127.0.0.1:4020')).toBe('http://127.0.0.1:4020');
  });
});
