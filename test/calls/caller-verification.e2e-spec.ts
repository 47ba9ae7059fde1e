import { LOCALES } from '../../src/calls/voice/locales';
import { ConfigValidationError } from '../../src/config/config.util';
import { startApp } from '../support/app-harness';
import { CallWorld, eventually, startCallWorld, VERIFY_SERVICE_SID } from '../support/call-harness';
import {
  adminCall,
  callTool,
  deliveriesSettled,
  newCall,
  seedCaller,
  smsTo,
  snapshot,
} from '../support/call-driver';
import { assistantRequestMessage } from '../support/vapi-payloads';
import { postWebhook } from '../support/webhook-client';

const ENGLISH = LOCALES.en.sentences;

const { verification, contact } = ENGLISH;

describe('verifying a caller before a contact change (Twilio Verify configured, default policy)', () => {
  let world: CallWorld;
  beforeAll(async () => {
    world = await startCallWorld({ TWILIO_VERIFY_SERVICE_SID: VERIFY_SERVICE_SID });
  });
  afterAll(() => world.close());
  afterEach(() => world.twilio.faults.set({ outage: false }));

  /** A recognised caller on a call of their own, greeted as VAPI would start it. */
  const recognisedCall = async (fields: Record<string, unknown> = {}) => {
    const caller = seedCaller(world, fields);
    const call = newCall(caller.phone);
    await postWebhook(world.app.url, assistantRequestMessage(call));
    return { caller, call };
  };
  const codeSentTo = (number: string) =>
    world.twilio.verifications.find((item) => item.to === number && item.status === 'pending')?.code;
  const wrongCodeFor = (code: string | undefined) => (code === '000000' ? '111111' : '000000');
  const spacedOut = (code: string) => code.split('').join(' ');
  const checksOf = (number: string) =>
    world.twilio.verifyRequests.filter((request) => request.operation === 'check' && request.to === number);

  it('should not change the email of a recognised caller who has not verified, and offer a code instead', async () => {
    const { caller, call } = await recognisedCall();
    const before = snapshot(world, ['Contact']);
    const requestsBefore = world.twilio.verifyRequests.length;

    const spoken = await callTool(world, call, 'updateContact', { email: 'attacker@example.test' });

    expect(spoken).toBe(verification.required);
    expect(snapshot(world, ['Contact'])).toEqual(before);
    expect(world.twilio.verifyRequests).toHaveLength(requestsBefore);
    expect((await adminCall(world, call.id))?.call).toMatchObject({ assurance: 'recognised' });
    expect(smsTo(world, caller.phone)).toHaveLength(0);
  });

  it('should not verify on a wrong code, and still refuse the change', async () => {
    const { caller, call } = await recognisedCall();
    expect(await callTool(world, call, 'sendVerificationCode', {})).toBe(
      verification.codeSent(caller.phone.slice(-2)),
    );
    const before = snapshot(world, ['Contact']);

    const spoken = await callTool(world, call, 'verifyCaller', {
      code: wrongCodeFor(codeSentTo(caller.phone)),
    });

    expect(spoken).toBe(verification.wrongCode);
    expect(await callTool(world, call, 'updateContact', { email: 'attacker@example.test' })).toBe(
      verification.required,
    );
    expect(snapshot(world, ['Contact'])).toEqual(before);
    expect((await adminCall(world, call.id))?.call).toMatchObject({
      assurance: 'recognised',
      verificationAttempts: 1,
    });
  });

  it('should verify on the right code read out with spaces, then make the change', async () => {
    const { caller, call } = await recognisedCall();
    await callTool(world, call, 'sendVerificationCode', {});
    const code = codeSentTo(caller.phone);
    expect(code).toMatch(/^\d{6}$/);

    const verified = await callTool(world, call, 'verifyCaller', { code: spacedOut(String(code)) });
    const changed = await callTool(world, call, 'updateContact', { email: 'robin.verified@example.test' });

    expect(verified).toBe(verification.verified);
    expect(changed).toBe(contact.updated('email address'));
    expect(world.salesforce.record('Contact', caller.contactId)?.Email).toBe('robin.verified@example.test');
    expect((await adminCall(world, call.id))?.call).toMatchObject({ assurance: 'verified' });
  });

  it('should lock verification for the call after three wrong codes, even if the right code comes fourth', async () => {
    const { caller, call } = await recognisedCall();
    await callTool(world, call, 'sendVerificationCode', {});
    const code = String(codeSentTo(caller.phone));
    const wrong = wrongCodeFor(code);

    const answers = [];
    for (let attempt = 0; attempt < 3; attempt++) {
      answers.push(await callTool(world, call, 'verifyCaller', { code: wrong }));
    }
    const fourth = await callTool(world, call, 'verifyCaller', { code });
    const anotherCode = await callTool(world, call, 'sendVerificationCode', {});
    const change = await callTool(world, call, 'updateContact', { email: 'attacker@example.test' });

    expect(answers).toEqual([verification.wrongCode, verification.wrongCode, verification.wrongCodeLocked]);
    expect(fourth).toBe(verification.locked);
    expect(anotherCode).toBe(verification.locked);
    expect(change).toBe(verification.locked);
    expect(checksOf(caller.phone)).toHaveLength(3);
    expect(world.salesforce.record('Contact', caller.contactId)?.Email).not.toBe('attacker@example.test');
    expect((await adminCall(world, call.id))?.call).toMatchObject({ assurance: 'recognised' });
  });

  it('should count codes checked at the same moment against the same three attempts', async () => {
    const { caller, call } = await recognisedCall();
    await callTool(world, call, 'sendVerificationCode', {});
    const code = String(codeSentTo(caller.phone));

    const answers = await Promise.all(
      [1, 2, 3, 4, 5].map(() => callTool(world, call, 'verifyCaller', { code: wrongCodeFor(code) })),
    );
    const rightCode = await callTool(world, call, 'verifyCaller', { code });

    expect(checksOf(caller.phone)).toHaveLength(3);
    expect(answers.filter((answer) => answer === verification.locked)).toHaveLength(2);
    expect(rightCode).toBe(verification.locked);
  });

  it('should answer an expired code exactly like a wrong one', async () => {
    const { caller, call } = await recognisedCall();
    await callTool(world, call, 'sendVerificationCode', {});
    const code = String(codeSentTo(caller.phone));
    world.twilio.advanceTime(10 * 60_000);

    const expired = await callTool(world, call, 'verifyCaller', { code });

    expect(expired).toBe(verification.wrongCode);
    world.twilio.advanceTime(-10 * 60_000);
  });

  it('should not count a code Verify could not check at all', async () => {
    const { caller, call } = await recognisedCall();
    await callTool(world, call, 'sendVerificationCode', {});
    world.twilio.faults.set({ outage: true });

    const spoken = await callTool(world, call, 'verifyCaller', { code: String(codeSentTo(caller.phone)) });

    expect(spoken).toBe(ENGLISH.failures.verification.UNAVAILABLE);
    expect((await adminCall(world, call.id))?.call).toMatchObject({ verificationAttempts: 0 });
  });

  it('should send the code to the mobile on file, never to a number the caller gives', async () => {
    const mobile = '+15105550177';
    const { caller, call } = await recognisedCall({ MobilePhone: '(510) 555-0177' });

    const spoken = await callTool(world, call, 'sendVerificationCode', {
      phone: '+14155559999',
      to: '+14155559999',
    });

    expect(spoken).toBe(verification.codeSent('77'));
    expect(world.twilio.verifications.filter((item) => item.to === mobile)).toHaveLength(1);
    expect(
      world.twilio.verifications.some((item) => item.to === caller.phone || item.to === '+14155559999'),
    ).toBe(false);
  });

  it('should cause no Verify request when an unknown caller asks for a code', async () => {
    const stranger = newCall('+14155550188');
    const requestsBefore = world.twilio.verifyRequests.length;

    const spoken = await callTool(world, stranger, 'sendVerificationCode', {});
    const check = await callTool(world, stranger, 'verifyCaller', { code: '123456' });

    expect(spoken).toBe(verification.onlyForRecognisedCallers);
    expect(check).toBe(verification.onlyForRecognisedCallers);
    expect(world.twilio.verifyRequests).toHaveLength(requestsBefore);
  });

  it('should text the notice of a change to the number on file before the change, not to the new one', async () => {
    const oldMobile = '+15105550166';
    const newMobile = '+15105550155';
    const { caller, call } = await recognisedCall({ MobilePhone: oldMobile });
    await callTool(world, call, 'sendVerificationCode', {});
    await callTool(world, call, 'verifyCaller', { code: String(codeSentTo(oldMobile)) });

    const spoken = await callTool(world, call, 'updateContact', { mobilePhone: '(510) 555-0155' });

    expect(spoken).toBe(contact.updated('mobile number'));
    expect(world.salesforce.record('Contact', caller.contactId)?.MobilePhone).toBe(newMobile);
    const notice = await eventually(() => smsTo(world, oldMobile)[0]);
    expect(notice.Body).toMatch(
      /^The contact details of your account with Acme support were changed during a call on .+ UTC\. If this was not you, call us\.$/,
    );
    await eventually(() => deliveriesSettled(world, call.id));
    expect(smsTo(world, newMobile)).toHaveLength(0);
    expect(smsTo(world, caller.phone)).toHaveLength(0);
  });
});

describe('with VERIFY_BEFORE guarding case lookups too', () => {
  let world: CallWorld;
  beforeAll(async () => {
    world = await startCallWorld({
      TWILIO_VERIFY_SERVICE_SID: VERIFY_SERVICE_SID,
      VERIFY_BEFORE: 'lookupCase,updateContact',
    });
  });
  afterAll(() => world.close());

  it('should keep the caller’s cases out of the greeting and the prompt, and tell them only once verified', async () => {
    const jane = newCall('+14155550100');
    const caseNumber = String(world.salesforce.record('Case', world.org.cases.janeBilling)?.CaseNumber);

    const reply = await postWebhook(world.app.url, assistantRequestMessage(jane));
    const before = await callTool(world, jane, 'lookupCase', { caseNumber });
    await callTool(world, jane, 'sendVerificationCode', {});
    const code = world.twilio.verifications.find((item) => item.to === '+14155550100')?.code;
    await callTool(world, jane, 'verifyCaller', { code });
    const after = await callTool(world, jane, 'lookupCase', { caseNumber });

    const { firstMessage } = (reply.body as { assistant: { firstMessage: string } }).assistant;
    expect(firstMessage).toBe('Hi Jane, thanks for calling Acme support. How can I help?');
    expect(JSON.stringify(reply.body)).not.toContain('Invoice shows a double charge');
    expect(before).toBe(verification.required);
    expect(after).toContain('Invoice shows a double charge');
  });
});

describe('without Twilio Verify', () => {
  let world: CallWorld;
  beforeAll(async () => {
    world = await startCallWorld();
  });
  afterAll(() => world.close());

  it('should let a recognised caller change their details as before, and text the notice to the number on file', async () => {
    const caller = seedCaller(world);
    const call = newCall(caller.phone);

    const spoken = await callTool(world, call, 'updateContact', { email: 'robin.unverified@example.test' });
    const codeAsked = await callTool(world, call, 'sendVerificationCode', {});

    expect(spoken).toBe(contact.updated('email address'));
    expect(codeAsked).toBe(verification.unavailable);
    expect(world.twilio.verifyRequests).toHaveLength(0);
    const notice = await eventually(() =>
      world.twilio.messages.find((message) => message.To === caller.phone),
    );
    expect(notice.Body).toContain('If this was not you, call us.');
  });

  it('should refuse to start when VERIFY_BEFORE names tools that nobody could then use', async () => {
    const failure = await startApp({ VERIFY_BEFORE: 'updateContact' }).then(
      async (running) => {
        await running.close();
        return undefined;
      },
      (error: unknown) => error,
    );

    expect(failure).toBeInstanceOf(ConfigValidationError);
    expect((failure as ConfigValidationError).problems).toEqual([
      expect.stringMatching(/^VERIFY_BEFORE: .*TWILIO_VERIFY_SERVICE_SID/),
    ]);
  });
});
