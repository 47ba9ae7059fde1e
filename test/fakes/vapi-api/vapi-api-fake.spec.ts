import { vapiSchemaErrors } from '../../support/vapi-openapi';
import { buildVapiCall, startVapiApiFake, VapiApiFake } from './vapi-api-fake';

const API_KEY = 'fake-vapi-key';
const TWILIO_NUMBER = {
  provider: 'twilio',
  number: '+15005550006',
  twilioAccountSid: `AC${'0'.repeat(32)}`,
  twilioAuthToken: 'token',
};

describe('VAPI API fake', () => {
  let fake: VapiApiFake;

  beforeEach(async () => {
    fake = await startVapiApiFake({ apiKey: API_KEY });
  });

  afterEach(() => fake.close());

  const call = async (method: string, path: string, body?: unknown, key: string | null = API_KEY) => {
    const response = await fetch(`${fake.url}${path}`, {
      method,
      headers: {
        ...(key === null ? {} : { authorization: `Bearer ${key}` }),
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    return { status: response.status, json: (await response.json()) as Record<string, unknown> & unknown[] };
  };

  it('should serve a stored call with the required Call fields', async () => {
    const stored = fake.putCall(buildVapiCall());

    const { status, json } = await call('GET', `/call/${stored.id}`);

    expect(status).toBe(200);
    expect(json).toEqual(stored);
    expect(json).toMatchObject({
      id: stored.id,
      orgId: expect.any(String),
      createdAt: expect.any(String),
      updatedAt: expect.any(String),
    });
  });

  it('should fill the required fields of a partial call', () => {
    const stored = fake.putCall({ status: 'in-progress' });

    expect(stored).toMatchObject({
      status: 'in-progress',
      id: expect.any(String),
      orgId: expect.any(String),
    });
    expect(fake.calls.get(stored.id)).toBe(stored);
  });

  it('should answer 401 in the NestJS error shape without the right bearer key', async () => {
    const stored = fake.putCall(buildVapiCall());

    for (const key of [null, 'wrong']) {
      const { status, json } = await call('GET', `/call/${stored.id}`, undefined, key);
      expect(status).toBe(401);
      expect(json).toMatchObject({ statusCode: 401, error: 'Unauthorized', message: expect.any(String) });
    }
  });

  it('should answer 404 {message, error, statusCode} for an unknown call', async () => {
    const { status, json } = await call('GET', '/call/6f1c2c8e-0000-4000-8000-000000000000');

    expect(status).toBe(404);
    expect(json).toEqual({ message: 'Not Found', error: 'Not Found', statusCode: 404 });
  });

  it('should store created assistants, list them and replace nested objects on PATCH', async () => {
    const created = await call('POST', '/assistant', {
      name: 'Support',
      model: { provider: 'openai', model: 'gpt-4o', toolIds: ['a'] },
    });
    expect(created.status).toBe(201);
    const id = String(created.json.id);

    const patched = await call('PATCH', `/assistant/${id}`, {
      model: { provider: 'openai', model: 'gpt-4o-mini' },
    });
    const listed = await call('GET', '/assistant');

    expect(patched.status).toBe(200);
    expect(patched.json).toMatchObject({
      id,
      name: 'Support',
      model: { provider: 'openai', model: 'gpt-4o-mini' },
    });
    expect((patched.json.model as Record<string, unknown>).toolIds).toBeUndefined();
    expect(listed.json).toEqual([patched.json]);
    expect(fake.assistants.get(id)).toEqual(patched.json);
  });

  it('should validate and store function tools', async () => {
    const invalid = await call('POST', '/tool', { type: 'function', function: { name: 'has spaces' } });
    const valid = await call('POST', '/tool', {
      type: 'function',
      function: { name: 'create_case', parameters: { type: 'object', properties: {} } },
      server: { url: 'https://voice.example.com/vapi/webhook' },
    });

    expect(invalid.status).toBe(400);
    expect(invalid.json).toMatchObject({ statusCode: 400, error: 'Bad Request', message: expect.any(Array) });
    expect(valid.status).toBe(201);
    expect([...fake.tools.values()]).toHaveLength(1);
    expect((await call('GET', '/tool')).json).toHaveLength(1);
  });

  it('should require the CreateTwilioPhoneNumberDTO fields when importing a Twilio number', async () => {
    const missing = await call('POST', '/phone-number', { provider: 'twilio', number: '+15005550006' });
    const imported = await call('POST', '/phone-number', {
      provider: 'twilio',
      number: '+15005550006',
      twilioAccountSid: `AC${'0'.repeat(32)}`,
      twilioAuthToken: 'token',
      server: { url: 'https://voice.example.com/vapi/webhook' },
    });

    expect(missing.status).toBe(400);
    expect(imported.status).toBe(201);
    expect((await call('GET', '/phone-number')).json).toHaveLength(1);
  });

  it('should answer 404 when patching an unknown resource', async () => {
    expect((await call('PATCH', '/tool/unknown', { async: false })).status).toBe(404);
  });

  it('should record every request and apply injected 5xx and 429 faults', async () => {
    fake.faults.set({ serverErrors: 1, rateLimited: 1 });

    const first = await call('GET', '/assistant');
    const second = await call('GET', '/assistant');
    const third = await call('GET', '/assistant', undefined, 'wrong');

    expect([first.status, second.status, third.status]).toEqual([503, 429, 401]);
    expect(fake.requests.map(({ authorized }) => authorized)).toEqual([true, true, false]);
  });

  it('should store webhook credentials, answer them in the WebhookCredential shape and refuse a plan without its required fields', async () => {
    const plan = { type: 'hmac', secretKey: 'a-secret-key-0123456789', algorithm: 'sha256' };
    const refused = await call('POST', '/credential', {
      provider: 'webhook',
      authenticationPlan: { type: 'hmac' },
    });
    const created = await call('POST', '/credential', {
      provider: 'webhook',
      name: 'voice-crm webhook',
      authenticationPlan: plan,
    });

    expect(refused.status).toBe(400);
    expect(refused.json.message).toEqual([
      'authenticationPlan.secretKey must be a string',
      'authenticationPlan.algorithm must be one of the following values: sha256, sha512, sha1',
    ]);
    expect(created.status).toBe(201);
    expect(vapiSchemaErrors('WebhookCredential', created.json)).toEqual([]);
    expect((await call('GET', '/credential')).json).toEqual([created.json]);
  });

  it('should answer imported numbers and tools in their OAS response shapes', async () => {
    const number = await call('POST', '/phone-number', TWILIO_NUMBER);
    const tool = await call('POST', '/tool', { type: 'function', function: { name: 'lookupCase' } });
    const assistant = await call('POST', '/assistant', { name: 'Support' });

    expect(vapiSchemaErrors('TwilioPhoneNumber', number.json)).toEqual([]);
    expect(vapiSchemaErrors('FunctionTool', tool.json)).toEqual([]);
    expect(vapiSchemaErrors('Assistant', assistant.json)).toEqual([]);
  });

  it('should require the provider on a phone number PATCH, as the union of update DTOs needs it', async () => {
    const number = await call('POST', '/phone-number', TWILIO_NUMBER);
    const id = String(number.json.id);

    expect((await call('PATCH', `/phone-number/${id}`, { name: 'x' })).status).toBe(400);
    expect((await call('PATCH', `/phone-number/${id}`, { provider: 'twilio', name: 'x' })).status).toBe(200);
  });

  it('should answer at most `limit` items, 100 by default', async () => {
    for (let index = 0; index < 101; index += 1) {
      await call('POST', '/tool', { type: 'function', function: { name: `tool${index}` } });
    }

    expect((await call('GET', '/tool')).json).toHaveLength(100);
    expect((await call('GET', '/tool?limit=1000')).json).toHaveLength(101);
    expect((await call('GET', '/tool?limit=1001')).status).toBe(400);
  });
});
