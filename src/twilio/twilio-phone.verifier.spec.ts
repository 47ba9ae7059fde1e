import { inspect } from 'node:util';
import { startTwilioFake, TwilioFake } from '../../test/fakes/twilio/twilio-fake';
import { PhoneVerificationError, PhoneVerificationErrorCode } from './twilio.errors';
import type { TwilioConfig } from './twilio.config';
import { createPhoneVerifier } from './twilio.module';
import { DisabledPhoneVerifier, TwilioPhoneVerifier } from './twilio-phone.verifier';

const ACCOUNT_SID = `AC${'b2'.repeat(16)}`;
const AUTH_TOKEN = 'fake-verify-token-1a2b3c4d';
const SERVICE_SID = `VA${'e5'.repeat(16)}`;
const CALLER = '+14155550123';

describe('TwilioPhoneVerifier', () => {
  let fake: TwilioFake;
  const verifiers: TwilioPhoneVerifier[] = [];

  beforeEach(async () => {
    fake = await startTwilioFake({
      accountSid: ACCOUNT_SID,
      authToken: AUTH_TOKEN,
      verifyServiceSids: [SERVICE_SID],
    });
  });

  afterEach(async () => {
    await Promise.all(verifiers.splice(0).map((verifier) => verifier.onModuleDestroy()));
    await fake.close();
  });

  const makeVerifier = (overrides: Partial<ConstructorParameters<typeof TwilioPhoneVerifier>[0]> = {}) => {
    const verifier = new TwilioPhoneVerifier({
      accountSid: ACCOUNT_SID,
      authToken: AUTH_TOKEN,
      serviceSid: SERVICE_SID,
      apiUrl: fake.url,
      timeoutMs: 2_000,
      ...overrides,
    });
    verifiers.push(verifier);
    return verifier;
  };

  const failure = async (attempt: Promise<unknown>): Promise<PhoneVerificationError> => {
    const error: unknown = await attempt.then(
      () => undefined,
      (caught: unknown) => caught,
    );
    expect(error).toBeInstanceOf(PhoneVerificationError);
    return error as PhoneVerificationError;
  };

  const sentCode = () => fake.verifications.find((verification) => verification.to === CALLER)?.code ?? '';
  const wrongCode = () => (sentCode() === '000000' ? '111111' : '000000');

  it('should text a code by SMS and accept it once', async () => {
    const verifier = makeVerifier();

    await verifier.sendCode(CALLER);

    expect(fake.verifications).toEqual([expect.objectContaining({ to: CALLER, channel: 'sms' })]);
    expect(await verifier.checkCode(CALLER, wrongCode())).toBe(false);
    expect(await verifier.checkCode(CALLER, sentCode())).toBe(true);
    const used = await failure(verifier.checkCode(CALLER, sentCode()));
    expect(used.code).toBe(PhoneVerificationErrorCode.NO_PENDING_VERIFICATION);
  });

  it('should ask Verify to word its text in the given language, and leave it to Verify otherwise', async () => {
    const verifier = makeVerifier();

    await verifier.sendCode(CALLER, 'ko');
    expect(fake.verifications).toEqual([expect.objectContaining({ to: CALLER, locale: 'ko' })]);
    await verifier.sendCode(CALLER);
    expect(fake.verifications[0].locale).toBeUndefined();
  });

  it('should report a sixth send within ten minutes as 60203, TOO_MANY_SENDS', async () => {
    const verifier = makeVerifier();
    for (let send = 0; send < 5; send++) await verifier.sendCode(CALLER);

    const error = await failure(verifier.sendCode(CALLER));

    expect([error.code, error.twilioCode, error.retryable]).toEqual([
      PhoneVerificationErrorCode.TOO_MANY_SENDS,
      60203,
      false,
    ]);
  });

  it('should report a check after five wrong codes as 60202, TOO_MANY_CHECKS', async () => {
    const verifier = makeVerifier();
    await verifier.sendCode(CALLER);
    for (let check = 0; check < 5; check++) await verifier.checkCode(CALLER, wrongCode());

    const error = await failure(verifier.checkCode(CALLER, sentCode()));

    expect([error.code, error.twilioCode, error.retryable]).toEqual([
      PhoneVerificationErrorCode.TOO_MANY_CHECKS,
      60202,
      false,
    ]);
  });

  it('should report a number Twilio refuses as 60200 and a landline as 60205', async () => {
    fake.faults.set({ landlineNumbers: [CALLER] });
    const verifier = makeVerifier();

    expect((await failure(verifier.sendCode('4155550123'))).code).toBe(
      PhoneVerificationErrorCode.INVALID_PARAMETER,
    );
    expect((await failure(verifier.sendCode(CALLER))).code).toBe(PhoneVerificationErrorCode.NOT_SMS_CAPABLE);
  });

  it('should tell an unknown Verify service from an expired code, although both are 20404', async () => {
    const wrongService = makeVerifier({ serviceSid: `VA${'0f'.repeat(16)}` });
    const verifier = makeVerifier();
    await verifier.sendCode(CALLER);
    const code = sentCode();
    fake.advanceTime(10 * 60_000);

    expect((await failure(wrongService.sendCode(CALLER))).code).toBe(
      PhoneVerificationErrorCode.MISCONFIGURED,
    );
    expect((await failure(verifier.checkCode(CALLER, code))).code).toBe(
      PhoneVerificationErrorCode.NO_PENDING_VERIFICATION,
    );
  });

  it('should report refused credentials, an outage and an unreachable service, and never the number or code', async () => {
    const badToken = makeVerifier({ authToken: 'not-the-token' });
    const unreachable = makeVerifier({ apiUrl: 'http://127.0.0.1:9' });
    const auth = await failure(badToken.sendCode(CALLER));
    fake.faults.set({ outage: true });
    const outage = await failure(makeVerifier().checkCode(CALLER, '482913'));
    const down = await failure(unreachable.sendCode(CALLER));

    expect([auth, outage, down].map((error) => [error.code, error.retryable])).toEqual([
      [PhoneVerificationErrorCode.AUTH_FAILED, false],
      [PhoneVerificationErrorCode.UNAVAILABLE, true],
      [PhoneVerificationErrorCode.UNAVAILABLE, true],
    ]);
    for (const error of [auth, outage, down]) {
      const text = `${error.message} ${inspect(error)}`;
      expect(text).not.toContain('4155550123');
      expect(text).not.toContain('482913');
      expect(text).not.toContain('not-the-token');
    }
  });

  it('should time out when Verify does not answer', async () => {
    fake.faults.set({ latencyMs: 500 });

    const error = await failure(makeVerifier({ timeoutMs: 100 }).sendCode(CALLER));

    expect(error.code).toBe(PhoneVerificationErrorCode.TIMEOUT);
  });
});

describe('createPhoneVerifier', () => {
  const config = (overrides: Partial<TwilioConfig>): TwilioConfig =>
    ({
      accountSid: ACCOUNT_SID,
      authToken: AUTH_TOKEN,
      verifyServiceSid: SERVICE_SID,
      verifyApiUrl: 'https://verify.twilio.com',
      timeoutMs: 5_000,
      ...overrides,
    }) as TwilioConfig;

  it('should verify through Twilio only when a Verify service is configured', async () => {
    const configured = createPhoneVerifier(config({}));
    const withoutService = createPhoneVerifier(config({ verifyServiceSid: undefined }));

    expect(configured).toBeInstanceOf(TwilioPhoneVerifier);
    expect(withoutService).toBeInstanceOf(DisabledPhoneVerifier);
    expect(withoutService.enabled).toBe(false);
    await expect(withoutService.sendCode(CALLER)).rejects.toMatchObject({
      code: PhoneVerificationErrorCode.NOT_CONFIGURED,
    });
    await (configured as TwilioPhoneVerifier).onModuleDestroy();
  });
});
