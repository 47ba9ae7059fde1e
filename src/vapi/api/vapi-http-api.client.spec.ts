import { inspect } from 'node:util';
import { Test } from '@nestjs/testing';
import { buildVapiCall, startVapiApiFake, VapiApiFake } from '../../../test/fakes/vapi-api/vapi-api-fake';
import { vapiConfig, type VapiConfig } from '../vapi.config';
import { VapiApiClient } from './vapi-api.client';
import { createVapiApiClient, VapiApiModule } from './vapi-api.module';
import { VapiApiError, VapiApiErrorCode } from './vapi-api.errors';
import {
  UnconfiguredVapiApiClient,
  VapiHttpApiClient,
  VapiHttpApiClientOptions,
} from './vapi-http-api.client';

const API_KEY = 'vapi-private-key-0f1e2d3c';

describe('VapiHttpApiClient', () => {
  let fake: VapiApiFake;
  const clients: VapiHttpApiClient[] = [];

  beforeEach(async () => {
    fake = await startVapiApiFake({ apiKey: API_KEY });
  });

  afterEach(async () => {
    await Promise.all(clients.splice(0).map((client) => client.onModuleDestroy()));
    await fake.close();
  });

  const makeClient = (overrides: Partial<VapiHttpApiClientOptions> = {}): VapiHttpApiClient => {
    const client = new VapiHttpApiClient({
      apiKey: API_KEY,
      apiUrl: fake.url,
      readRetry: { maxRetries: 2, initialDelayMs: 1, maxDelayMs: 5 },
      ...overrides,
    });
    clients.push(client);
    return client;
  };

  const getCallExpectingError = async (client: VapiHttpApiClient, id: string): Promise<VapiApiError> => {
    const error: unknown = await client.getCall(id).then(
      () => undefined,
      (failure: unknown) => failure,
    );
    expect(error).toBeInstanceOf(VapiApiError);
    return error as VapiApiError;
  };

  it('should read the fields the call log needs from a current Call (artifact and analysis)', async () => {
    const call = fake.putCall(buildVapiCall({ customer: { number: '+14155550199' }, cost: 0.2 }));
    const artifact = call.artifact as { transcript: string; recording: { mono: { combinedUrl: string } } };

    const record = await makeClient().getCall(call.id);

    expect(record).toEqual({
      id: call.id,
      status: 'ended',
      endedReason: 'customer-ended-call',
      startedAt: call.startedAt,
      endedAt: call.endedAt,
      cost: 0.2,
      customerNumber: '+14155550199',
      phoneCallProviderId: call.phoneCallProviderId,
      transcript: artifact.transcript,
      messages: expect.any(Array),
      summary: 'The caller reported a broken printer; case 00001234 was created.',
      recordingUrl: artifact.recording.mono.combinedUrl,
    });
    expect(record?.messages.map((message) => message.role)).toEqual([
      'system',
      'bot',
      'user',
      'tool_calls',
      'tool_call_result',
      'bot',
    ]);
    expect(record?.messages[4]).toMatchObject({
      toolCallId: 'call_abc123',
      name: 'create_case',
      result: 'Case 00001234 created.',
    });
    expect(record?.messages[3].toolCalls).toHaveLength(1);
  });

  it('should read structured outputs and structured data from the Call, as from an end-of-call report', async () => {
    const base = buildVapiCall();
    const call = fake.putCall({
      ...base,
      analysis: { ...(base.analysis as object), structuredData: { disposition: 'resolved' } },
      artifact: {
        ...(base.artifact as object),
        structuredOutputs: { 'so-1': { name: 'sentiment', result: 'positive' } },
      },
    });

    const record = await makeClient().getCall(call.id);

    expect(record?.structured).toEqual({ disposition: 'resolved', sentiment: 'positive' });
  });

  it('should fall back to the top-level transcript, summary, recording and messages of older calls', async () => {
    const call = fake.putCall({
      id: 'legacy-call-1',
      status: 'ended',
      transcript: 'AI: Hello\nUser: Hi\n',
      summary: 'A short call.',
      recordingUrl: 'https://storage.vapi.ai/legacy.wav',
      messages: [{ role: 'user', message: 'Hi', time: 1, secondsFromStart: 1 }, { message: 'no role' }],
      transport: { provider: 'twilio', callSid: 'CA0123' },
    });

    const record = await makeClient().getCall(call.id);

    expect(record).toMatchObject({
      id: 'legacy-call-1',
      transcript: 'AI: Hello\nUser: Hi\n',
      summary: 'A short call.',
      recordingUrl: 'https://storage.vapi.ai/legacy.wav',
      phoneCallProviderId: 'CA0123',
      messages: [{ role: 'user', message: 'Hi', time: 1, secondsFromStart: 1 }],
    });
  });

  it('should send the private key as a Bearer token', async () => {
    const call = fake.putCall(buildVapiCall());

    await makeClient().getCall(call.id);

    expect(fake.requests).toEqual([
      { method: 'GET', path: `/call/${call.id}`, authorized: true, body: undefined },
    ]);
  });

  it('should return null when VAPI does not know the call', async () => {
    expect(await makeClient().getCall('6f1c2c8e-0000-4000-8000-000000000000')).toBeNull();
    expect(fake.requests).toHaveLength(1);
  });

  it('should fail with AUTH_FAILED, without retrying or echoing the key, when the key is refused', async () => {
    const call = fake.putCall(buildVapiCall());

    const error = await getCallExpectingError(makeClient({ apiKey: 'wrong-key-abcdef' }), call.id);

    expect(error).toMatchObject({
      source: 'vapi-api',
      code: VapiApiErrorCode.AUTH_FAILED,
      retryable: false,
      status: 401,
    });
    expect(inspect(error, { depth: 5 })).not.toContain('wrong-key-abcdef');
    expect(fake.requests).toHaveLength(1);
  });

  it('should retry reads on 5xx and 429 and return the call once VAPI recovers', async () => {
    const call = fake.putCall(buildVapiCall());
    fake.faults.set({ serverErrors: 1, rateLimited: 1 });

    const record = await makeClient().getCall(call.id);

    expect(record?.id).toBe(call.id);
    expect(fake.requests).toHaveLength(3);
  });

  it('should give up with UNAVAILABLE after the bounded number of attempts when 5xx persists', async () => {
    const call = fake.putCall(buildVapiCall());
    fake.faults.set({ serverErrors: 100 });

    const error = await getCallExpectingError(makeClient(), call.id);

    expect(error).toMatchObject({ code: VapiApiErrorCode.UNAVAILABLE, retryable: true, status: 503 });
    expect(fake.requests).toHaveLength(3);
  });

  it('should fail with TIMEOUT when VAPI does not answer in time', async () => {
    const call = fake.putCall(buildVapiCall());
    fake.faults.set({ latencyMs: 2_000 });

    const error = await getCallExpectingError(
      makeClient({ timeoutMs: 50, readRetry: { maxRetries: 0 } }),
      call.id,
    );

    expect(error).toMatchObject({ code: VapiApiErrorCode.TIMEOUT, retryable: true });
  });

  it('should fail with UNEXPECTED_RESPONSE when the call has no id', async () => {
    const call = fake.putCall(buildVapiCall());
    fake.calls.set('broken', { ...call, id: undefined as unknown as string });

    const error = await getCallExpectingError(makeClient(), 'broken');

    expect(error.code).toBe(VapiApiErrorCode.UNEXPECTED_RESPONSE);
  });
});

describe('VapiHttpApiClient resources', () => {
  let fake: VapiApiFake;
  let client: VapiHttpApiClient;

  beforeEach(async () => {
    fake = await startVapiApiFake({ apiKey: API_KEY });
    client = new VapiHttpApiClient({
      apiKey: API_KEY,
      apiUrl: fake.url,
      readRetry: { maxRetries: 2, initialDelayMs: 1, maxDelayMs: 5 },
    });
  });

  afterEach(async () => {
    await client.onModuleDestroy();
    await fake.close();
  });

  const tool = { type: 'function', function: { name: 'lookupCase' } };

  it('should create, list beyond the default page and update a resource', async () => {
    const created = await client.createResource('tool', tool);
    const updated = await client.updateResource('tool', created.id, { async: false });
    const listed = await client.listResources('tool');

    expect(listed).toEqual([updated]);
    expect(updated).toMatchObject({ id: created.id, async: false, function: { name: 'lookupCase' } });
    expect(fake.requests.map(({ method, path, query }) => [method, path, query])).toEqual([
      ['POST', '/tool', undefined],
      ['PATCH', `/tool/${created.id}`, undefined],
      ['GET', '/tool', 'limit=1000'],
    ]);
  });

  it("should keep VAPI's own validation messages in the error", async () => {
    const error: unknown = await client
      .createResource('credential', {
        provider: 'webhook',
        authenticationPlan: { type: 'hmac', secretKey: 'k' },
      })
      .catch((failure: unknown) => failure);

    expect(error).toMatchObject({ code: VapiApiErrorCode.REJECTED, status: 400, retryable: false });
    expect((error as Error).message).toBe(
      'VAPI answered POST /credential with HTTP 400: Bad Request: authenticationPlan.algorithm must be one of the following values: sha256, sha512, sha1',
    );
  });

  it('should retry a list after a 5xx but never a write, which might have been applied', async () => {
    fake.faults.set({ serverErrors: 1 });
    expect(await client.listResources('assistant')).toEqual([]);

    fake.faults.set({ serverErrors: 1 });
    await expect(client.createResource('tool', tool)).rejects.toMatchObject({
      code: VapiApiErrorCode.UNAVAILABLE,
    });
    expect(fake.requests.map(({ method }) => method)).toEqual(['GET', 'GET', 'POST']);
  });
});

describe('createVapiApiClient', () => {
  it('should use the HTTP client when VAPI_API_KEY is set and a disabled one otherwise', async () => {
    const configured = createVapiApiClient({ apiKey: API_KEY, apiUrl: 'http://127.0.0.1:9' } as VapiConfig);
    const unconfigured = createVapiApiClient({
      apiKey: undefined,
      apiUrl: 'https://api.vapi.ai',
    } as VapiConfig);

    expect(configured).toBeInstanceOf(VapiHttpApiClient);
    expect(configured.enabled).toBe(true);
    await (configured as VapiHttpApiClient).onModuleDestroy();
    expect(unconfigured).toBeInstanceOf(UnconfiguredVapiApiClient);
    expect(unconfigured.enabled).toBe(false);
    await expect(unconfigured.getCall('any')).rejects.toMatchObject({
      code: VapiApiErrorCode.NOT_CONFIGURED,
    });
  });
});

describe('VapiApiModule', () => {
  it('should provide the HTTP client from config and close its connections on shutdown', async () => {
    const fake = await startVapiApiFake({ apiKey: API_KEY });
    const stored = fake.putCall(buildVapiCall());
    const moduleRef = await Test.createTestingModule({ imports: [VapiApiModule] })
      .overrideProvider(vapiConfig.KEY)
      .useValue({ apiKey: API_KEY, apiUrl: fake.url })
      .compile();
    const client = moduleRef.get(VapiApiClient);

    expect((await client.getCall(stored.id))?.id).toBe(stored.id);
    await moduleRef.close();
    await expect(client.getCall(stored.id)).rejects.toMatchObject({ code: VapiApiErrorCode.UNAVAILABLE });
    await fake.close();
  });
});
