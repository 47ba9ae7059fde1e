import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { validateRequest } from 'twilio/lib/webhooks/webhooks';
import { startTwilioFake, TwilioFake } from './twilio-fake';

const ACCOUNT_SID = `AC${'d4'.repeat(16)}`;
const AUTH_TOKEN = 'fake-spec-token';
const basic = (sid: string, token: string): string =>
  `Basic ${Buffer.from(`${sid}:${token}`).toString('base64')}`;

describe('Twilio fake', () => {
  let fake: TwilioFake;

  afterEach(() => fake.close());

  const createMessage = async (
    params: Record<string, string>,
    options: { authorization?: string; contentType?: string; body?: string; sid?: string } = {},
  ) => {
    const response = await fetch(
      `${fake.url}/2010-04-01/Accounts/${options.sid ?? ACCOUNT_SID}/Messages.json`,
      {
        method: 'POST',
        headers: {
          authorization: options.authorization ?? basic(ACCOUNT_SID, AUTH_TOKEN),
          'content-type': options.contentType ?? 'application/x-www-form-urlencoded',
        },
        body: options.body ?? new URLSearchParams(params).toString(),
      },
    );
    return { status: response.status, json: (await response.json()) as Record<string, unknown> };
  };
  const valid = { To: '+14155550123', From: '+15005550006', Body: 'Hello' };

  describe('with default settings', () => {
    beforeEach(async () => {
      fake = await startTwilioFake({ accountSid: ACCOUNT_SID, authToken: AUTH_TOKEN });
    });

    it('should answer 201 with the documented message resource', async () => {
      const { status, json } = await createMessage(valid);

      expect(status).toBe(201);
      expect(json).toMatchObject({
        account_sid: ACCOUNT_SID,
        api_version: '2010-04-01',
        body: 'Hello',
        direction: 'outbound-api',
        error_code: null,
        from: '+15005550006',
        messaging_service_sid: null,
        num_segments: '1',
        status: 'queued',
        to: '+14155550123',
      });
      expect(json.sid).toMatch(/^SM[0-9a-f]{32}$/);
      expect(json.uri).toBe(`/2010-04-01/Accounts/${ACCOUNT_SID}/Messages/${String(json.sid)}.json`);
      expect(json.date_created).toMatch(/^\w{3}, \d{2} \w{3} \d{4} \d{2}:\d{2}:\d{2} \+0000$/);
      expect(fake.messages).toHaveLength(1);
    });

    it('should refuse missing or wrong credentials with 401 / 20003', async () => {
      const wrong = await createMessage(valid, { authorization: basic(ACCOUNT_SID, 'nope') });
      const missing = await createMessage(valid, { authorization: '' });

      for (const { status, json } of [wrong, missing]) {
        expect(status).toBe(401);
        expect(json).toEqual({
          code: 20003,
          message: 'Authenticate',
          more_info: 'https://www.twilio.com/docs/errors/20003',
          status: 401,
        });
      }
      expect(fake.messages).toHaveLength(0);
    });

    it.each([
      ['a missing To', { From: valid.From, Body: 'x' }, 21604],
      ['a To that is not E.164', { ...valid, To: '4155550123' }, 21211],
      ['neither From nor MessagingServiceSid', { To: valid.To, Body: 'x' }, 21603],
      ['a missing Body', { To: valid.To, From: valid.From }, 21602],
      ['a Body over 1,600 characters', { ...valid, Body: 'x'.repeat(1601) }, 21617],
    ])('should refuse %s with 400 and Twilio code %d', async (_case, params, code) => {
      const { status, json } = await createMessage(params);

      expect(status).toBe(400);
      expect(json).toMatchObject({
        code,
        status: 400,
        more_info: `https://www.twilio.com/docs/errors/${code}`,
      });
      expect(typeof json.message).toBe('string');
      expect(fake.messages).toHaveLength(0);
    });

    it('should accept a Body of exactly 1,600 characters', async () => {
      expect((await createMessage({ ...valid, Body: 'x'.repeat(1600) })).status).toBe(201);
    });

    it('should read no parameters from a JSON body, like Twilio', async () => {
      const { status, json } = await createMessage(
        {},
        { contentType: 'application/json', body: JSON.stringify(valid) },
      );

      expect(status).toBe(400);
      expect(json.code).toBe(21604);
    });

    it('should answer 404 for another account in the path', async () => {
      const { status, json } = await createMessage(valid, { sid: `AC${'e5'.repeat(16)}` });

      expect(status).toBe(404);
      expect(json.code).toBe(20404);
    });

    it('should apply faults set through the control API and forget them on reset', async () => {
      const setFaults = await fetch(`${fake.url}/__fake/faults`, {
        method: 'POST',
        body: JSON.stringify({ status429: 1, invalidNumbers: ['+14155550123'] }),
      });
      expect(setFaults.status).toBe(200);

      expect((await createMessage(valid)).json).toMatchObject({ status: 429, code: 20429 });
      expect((await createMessage(valid)).json).toMatchObject({ status: 400, code: 21614 });

      await fetch(`${fake.url}/__fake/reset`, { method: 'POST' });
      expect((await createMessage(valid)).status).toBe(201);
      const listed = (await (await fetch(`${fake.url}/__fake/messages`)).json()) as unknown[];
      expect(listed).toHaveLength(1);
    });

    it('should answer 503 / 20503 during an outage', async () => {
      fake.faults.set({ outage: true });

      expect(await createMessage(valid)).toMatchObject({ status: 503, json: { code: 20503 } });
    });
  });

  describe('with status callbacks', () => {
    let receiver: Server;
    const received: Array<{ url: string; signature: string; params: Record<string, string> }> = [];

    beforeEach(async () => {
      received.length = 0;
      fake = await startTwilioFake({
        accountSid: ACCOUNT_SID,
        authToken: AUTH_TOKEN,
        sendStatusCallbacks: true,
      });
      receiver = createServer((request, response) => {
        let body = '';
        request.on('data', (chunk: Buffer) => (body += chunk.toString('utf8')));
        request.on('end', () => {
          received.push({
            url: request.url ?? '',
            signature: String(request.headers['x-twilio-signature']),
            params: Object.fromEntries(new URLSearchParams(body)),
          });
          response.writeHead(204).end();
        });
      });
      await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
    });

    afterEach(() => new Promise<void>((resolve) => receiver.close(() => resolve())));

    it('should post sent then delivered to StatusCallback, signed with the auth token', async () => {
      const callbackUrl = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/twilio/status?tenant=1`;
      const { json } = await createMessage({ ...valid, StatusCallback: callbackUrl });
      await fake.settled();

      expect(received.map(({ params }) => params.MessageStatus)).toEqual(['sent', 'delivered']);
      for (const callback of received) {
        expect(callback.url).toBe('/twilio/status?tenant=1');
        expect(callback.params).toMatchObject({
          MessageSid: json.sid,
          AccountSid: ACCOUNT_SID,
          To: valid.To,
        });
        expect(validateRequest(AUTH_TOKEN, callback.signature, callbackUrl, callback.params)).toBe(true);
        expect(validateRequest('another-token', callback.signature, callbackUrl, callback.params)).toBe(
          false,
        );
      }
      expect(fake.statusCallbacks.map(({ outcome }) => outcome)).toEqual([204, 204]);
    });
  });

  describe('Verify API', () => {
    const SERVICE_SID = `VA${'c3'.repeat(16)}`;
    const TO = '+14155550123';

    beforeEach(async () => {
      fake = await startTwilioFake({
        accountSid: ACCOUNT_SID,
        authToken: AUTH_TOKEN,
        verifyServiceSids: [SERVICE_SID],
      });
    });

    const verify = async (
      resource: 'Verifications' | 'VerificationCheck',
      params: Record<string, string>,
      options: { authorization?: string; service?: string } = {},
    ) => {
      const response = await fetch(`${fake.url}/v2/Services/${options.service ?? SERVICE_SID}/${resource}`, {
        method: 'POST',
        headers: {
          authorization: options.authorization ?? basic(ACCOUNT_SID, AUTH_TOKEN),
          'content-type': 'application/x-www-form-urlencoded',
        },
        body: new URLSearchParams(params).toString(),
      });
      return { status: response.status, json: (await response.json()) as Record<string, unknown> };
    };
    const start = (to = TO) => verify('Verifications', { To: to, Channel: 'sms' });
    const check = (code: string, to = TO) => verify('VerificationCheck', { To: to, Code: code });

    it('should start a verification with 201, pending, and text a six-digit code', async () => {
      const { status, json } = await start();

      expect(status).toBe(201);
      expect(json).toMatchObject({
        service_sid: SERVICE_SID,
        account_sid: ACCOUNT_SID,
        to: TO,
        channel: 'sms',
        status: 'pending',
        valid: false,
        send_code_attempts: [expect.objectContaining({ channel: 'sms' })],
      });
      expect(json.sid).toMatch(/^VE[0-9a-f]{32}$/);
      expect(fake.verifications).toEqual([
        expect.objectContaining({ to: TO, code: expect.stringMatching(/^\d{6}$/) }),
      ]);
    });

    it('should approve the right code once, keep a wrong one pending, and know nothing of it afterwards', async () => {
      await start();
      const { code } = fake.verifications[0];
      const wrong = code === '000000' ? '111111' : '000000';

      expect(await check(wrong)).toMatchObject({ status: 200, json: { status: 'pending', valid: false } });
      expect(await check(code)).toMatchObject({ status: 200, json: { status: 'approved', valid: true } });
      expect(await check(code)).toMatchObject({ status: 404, json: { code: 20404 } });
    });

    it('should send the same code again, and refuse a sixth send within ten minutes with 429 / 60203', async () => {
      for (let send = 0; send < 5; send++) expect((await start()).status).toBe(201);

      expect(fake.verifications).toHaveLength(1);
      expect(await start()).toMatchObject({ status: 429, json: { code: 60203 } });
    });

    it('should refuse a check after five wrong codes with 429 / 60202, even the right code', async () => {
      await start();
      const { code } = fake.verifications[0];
      const wrong = code === '000000' ? '111111' : '000000';
      for (let attempt = 0; attempt < 5; attempt++) await check(wrong);

      expect(await check(code)).toMatchObject({ status: 429, json: { code: 60202 } });
    });

    it('should let a code expire after ten minutes: 404 / 20404', async () => {
      await start();
      const { code } = fake.verifications[0];
      fake.advanceTime(10 * 60_000);

      expect(await check(code)).toMatchObject({ status: 404, json: { code: 20404 } });
    });

    it.each([
      ['a To that is not E.164', 'Verifications', { To: '4155550123', Channel: 'sms' }, 400, 60200],
      ['an unknown channel', 'Verifications', { To: TO, Channel: 'pigeon' }, 400, 60200],
      [
        'a locale that is no language code',
        'Verifications',
        { To: TO, Channel: 'sms', Locale: 'korean' },
        400,
        60200,
      ],
      ['a check without a code', 'VerificationCheck', { To: TO }, 400, 60200],
      ['a check with nothing pending', 'VerificationCheck', { To: TO, Code: '123456' }, 404, 20404],
    ] as const)('should refuse %s', async (_case, resource, params, status, code) => {
      expect(await verify(resource, params)).toMatchObject({ status, json: { code, status } });
    });

    it('should refuse SMS to a landline with 400 / 60205, wrong credentials with 401, an unknown service with 404', async () => {
      fake.faults.set({ landlineNumbers: [TO] });

      expect(await start()).toMatchObject({ status: 400, json: { code: 60205 } });
      expect(
        await verify('Verifications', { To: TO, Channel: 'sms' }, { authorization: basic(ACCOUNT_SID, 'x') }),
      ).toMatchObject({ status: 401, json: { code: 20003 } });
      expect(
        await verify('Verifications', { To: TO, Channel: 'sms' }, { service: `VA${'d4'.repeat(16)}` }),
      ).toMatchObject({ status: 404, json: { code: 20404 } });
      expect(fake.verifyRequests.map((request) => request.status)).toEqual([400, 404]);
    });
  });
});
