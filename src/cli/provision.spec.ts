import { startVapiApiFake, VapiApiFake } from '../../test/fakes/vapi-api/vapi-api-fake';
import { runCommand } from '../../test/support/cli-harness';
import { notKorean } from '../../test/support/languages';
import { vapiSchemaErrors } from '../../test/support/vapi-openapi';
import { callToolDefinitions } from '../calls/tools';
import { CallVoice } from '../calls/voice/call-voice';
import { SERVER_BACKOFF_PLAN } from '../vapi/server-backoff-plan';
import { toolParameters } from '../vapi/vapi-tool.decorator';
import { runProvision } from './provision';

interface SavedAssistant {
  firstMessage: string;
  endCallMessage: string;
  voice: unknown;
  transcriber: unknown;
  model: { messages: { content: string }[] };
}
interface SavedTool {
  function: { name: string };
  messages: { type: string; content: string }[];
}

const API_KEY = 'vapi-private-key-provision-0123';
const SECRET = 'webhook-secret-provision-0123456789';
const TWILIO_SID = `AC${'5'.repeat(32)}`;
const TWILIO_TOKEN = 'twilio-auth-token-provision-0123';
const NUMBER = '+14155550000';
const SUPPORT_LINE = '+14155550199';
const WEBHOOK = 'https://voice-crm.example.com/vapi/webhook';

/** The write requests the fake received: method, path and body. */
const writes = (fake: VapiApiFake) =>
  fake.requests
    .filter((request) => request.method !== 'GET')
    .map(({ method, path, body }) => ({ method, path, body }));

/** `null` clears a field on PATCH (VAPI's docs) although the DTOs type those fields as strings. */
const withoutNulls = (body: unknown) =>
  Object.fromEntries(Object.entries(body as Record<string, unknown>).filter(([, value]) => value !== null));

const SCHEMA_OF: Record<string, string> = {
  'POST /credential': 'CreateWebhookCredentialDTO',
  'PATCH /credential': 'UpdateWebhookCredentialDTO',
  'POST /phone-number': 'CreateTwilioPhoneNumberDTO',
  'PATCH /phone-number': 'UpdateTwilioPhoneNumberDTO',
  'POST /tool': 'CreateFunctionToolDTO',
  'PATCH /tool': 'UpdateFunctionToolDTO',
  'POST /assistant': 'CreateAssistantDTO',
  'PATCH /assistant': 'UpdateAssistantDTO',
};

/** Every write checked against VAPI's own DTO for it. */
function expectWritesValid(fake: VapiApiFake): void {
  for (const { method, path, body } of writes(fake)) {
    const schema = SCHEMA_OF[`${method} /${path.split('/')[1]}`];
    expect([`${method} ${path}`, vapiSchemaErrors(schema, withoutNulls(body))]).toEqual([
      `${method} ${path}`,
      [],
    ]);
  }
}

describe('npm run provision', () => {
  let fake: VapiApiFake;
  let env: Record<string, string | undefined>;

  beforeEach(async () => {
    fake = await startVapiApiFake({ apiKey: API_KEY });
    env = {
      PUBLIC_URL: 'https://voice-crm.example.com',
      VAPI_WEBHOOK_SECRET: SECRET,
      VAPI_API_KEY: API_KEY,
      VAPI_API_URL: fake.url,
      TWILIO_ACCOUNT_SID: TWILIO_SID,
      TWILIO_AUTH_TOKEN: TWILIO_TOKEN,
      TWILIO_FROM_NUMBER: NUMBER,
      TRANSFER_NUMBER: SUPPORT_LINE,
    };
  });
  afterEach(() => fake.close());

  const provision = (...argv: string[]) => runCommand(runProvision, argv, env);

  it('should create the credential with our secret and the number wired to our webhook with it and the fallback', async () => {
    const run = await provision();

    expect(run.code).toBe(0);
    const [credential] = [...fake.credentials.values()];
    expect(credential).toMatchObject({
      provider: 'webhook',
      name: expect.stringMatching(/^voice-crm webhook [0-9a-f]{12}$/),
      authenticationPlan: {
        type: 'hmac',
        secretKey: SECRET,
        algorithm: 'sha256',
        signatureHeader: 'x-signature',
        timestampHeader: 'x-timestamp',
        payloadFormat: '{timestamp}.{body}',
        signatureEncoding: 'hex',
      },
    });
    const [number] = [...fake.phoneNumbers.values()];
    expect(number).toMatchObject({
      provider: 'twilio',
      number: NUMBER,
      twilioAccountSid: TWILIO_SID,
      twilioAuthToken: TWILIO_TOKEN,
      smsEnabled: false,
      server: {
        url: WEBHOOK,
        credentialId: credential.id,
        timeoutSeconds: 20,
        backoffPlan: SERVER_BACKOFF_PLAN,
      },
      fallbackDestination: { type: 'number', number: SUPPORT_LINE, message: expect.any(String) },
    });
    expect(number.assistantId).toBeUndefined();
    expectWritesValid(fake);
    expect(run.text).toContain(`VAPI_SERVER_CREDENTIAL_ID=${credential.id}`);
    expect(run.text).toContain('Read back: VAPI now holds what was sent.');
  });

  it('should change nothing on a second run, and say so', async () => {
    env.VAPI_SERVER_CREDENTIAL_ID = undefined;
    await provision('--assistant');
    const [credential] = [...fake.credentials.values()];
    const [assistant] = [...fake.assistants.values()];
    env.VAPI_SERVER_CREDENTIAL_ID = credential.id;
    env.VAPI_ASSISTANT_ID = assistant.id;
    fake.requests.length = 0;

    const second = await provision('--assistant');

    expect(second.code).toBe(0);
    expect(writes(fake)).toEqual([]);
    expect(second.text).toContain('Nothing to change');
    expect(second.text).not.toContain('Set in the service');
  });

  it('should send nothing that writes on --dry-run and print what it would send with every secret masked', async () => {
    const run = await provision('--dry-run', '--assistant');

    expect(run.code).toBe(0);
    expect(fake.requests.map((request) => request.method)).toEqual(['GET', 'GET', 'GET', 'GET']);
    expect(run.text).toMatch(/POST \/credential\n\s+\{/);
    expect(run.text).toContain('POST /phone-number');
    expect(run.text).toContain('"secretKey": "********"');
    expect(run.text).toContain('"twilioAuthToken": "********"');
    expect(run.text).toContain('"credentialId": "<id of the new credential');
    for (const secret of [SECRET, TWILIO_TOKEN, API_KEY]) expect(run.text).not.toContain(secret);
    expect(run.text).toContain('nothing was sent');
  });

  it('should update only what differs: a number wired elsewhere, bound to an assistant, without fallback', async () => {
    const handMade = {
      provider: 'twilio',
      number: NUMBER,
      twilioAccountSid: TWILIO_SID,
      twilioAuthToken: TWILIO_TOKEN,
      assistantId: 'asst-from-the-dashboard',
      server: { url: 'https://old.example.com/webhook' },
    };
    await fetch(`${fake.url}/phone-number`, {
      method: 'POST',
      headers: { authorization: `Bearer ${API_KEY}`, 'content-type': 'application/json' },
      body: JSON.stringify(handMade),
    });
    fake.requests.length = 0;

    const run = await provision();

    const patch = writes(fake).find((request) => request.method === 'PATCH');
    expect(patch?.body).toEqual({
      provider: 'twilio',
      name: expect.stringMatching(/^voice-crm [0-9a-f]{12}$/),
      twilioAccountSid: TWILIO_SID,
      twilioAuthToken: TWILIO_TOKEN,
      server: expect.objectContaining({ url: WEBHOOK }),
      fallbackDestination: expect.objectContaining({ number: SUPPORT_LINE }),
      assistantId: null,
    });
    expect(run.text).toMatch(
      /~ phone number \+14155550000: update .*server.*fallbackDestination.*assistantId/,
    );
    expect(run.text).toContain('VAPI sends assistant-request only to a number without them');
    expectWritesValid(fake);
  });

  it('should put a rotated secret (the first of VAPI_WEBHOOK_SECRET) on the same credential', async () => {
    await provision();
    const [before] = [...fake.credentials.values()];
    env.VAPI_SERVER_CREDENTIAL_ID = before.id;
    env.VAPI_WEBHOOK_SECRET = `rotated-secret-0123456789abcdef,${SECRET}`;
    fake.requests.length = 0;

    const run = await provision();

    // The number keeps the same credential id: only the credential changes.
    expect(writes(fake).map(({ method, path }) => `${method} ${path}`)).toEqual([
      `PATCH /credential/${before.id}`,
    ]);
    const after = fake.credentials.get(before.id);
    expect((after?.authenticationPlan as { secretKey: string }).secretKey).toBe(
      'rotated-secret-0123456789abcdef',
    );
    expect(after?.name).not.toBe(before.name);
    expect(fake.credentials.size).toBe(1);
    expect(run.text).not.toContain('rotated-secret-0123456789abcdef');
    expectWritesValid(fake);
  });

  it('should make the tools from their @VapiTool definitions and a saved assistant that uses them', async () => {
    const run = await provision('--assistant');

    expect(run.code).toBe(0);
    const tools = [...fake.tools.values()];
    const definitions = callToolDefinitions();
    expect(tools.map((tool) => tool.function)).toEqual(
      definitions.map((definition) => ({
        name: definition.name,
        description: definition.description,
        parameters: toolParameters(definition),
      })),
    );
    const [credential] = [...fake.credentials.values()];
    for (const tool of tools)
      expect(tool.server).toMatchObject({ url: WEBHOOK, credentialId: credential.id });
    const [assistant] = [...fake.assistants.values()];
    expect(assistant).toMatchObject({
      name: 'voice-crm support agent',
      model: {
        toolIds: tools.map((tool) => tool.id),
        tools: [{ type: 'transferCall' }, { type: 'endCall' }],
      },
      server: { url: WEBHOOK, credentialId: credential.id, backoffPlan: SERVER_BACKOFF_PLAN },
      firstMessage: expect.stringContaining('{{firstName}}'),
    });
    expectWritesValid(fake);
    expect(run.text).toContain(`VAPI_ASSISTANT_ID=${assistant.id}`);
  });

  it('should provision the Korean assistant with ASSISTANT_LANGUAGE=ko: its words, voice, transcriber, tool messages and fallback', async () => {
    env.ASSISTANT_LANGUAGE = 'ko';

    const run = await provision('--assistant');

    expect(run.code).toBe(0);
    expectWritesValid(fake);
    const [assistant] = [...fake.assistants.values()] as unknown as SavedAssistant[];
    expect(assistant.voice).toEqual({ provider: 'azure', voiceId: 'ko-KR-SunHiNeural' });
    expect(assistant.transcriber).toEqual({ provider: 'deepgram', model: 'nova-2', language: 'ko' });
    expect(assistant.model.messages[0].content).toContain('항상 한국어로');
    const tools = [...fake.tools.values()] as unknown as SavedTool[];
    const [number] = [...fake.phoneNumbers.values()];
    const heard: Record<string, string> = {
      // The greeting's {{firstName}} is filled by VAPI with the caller's name.
      firstMessage: assistant.firstMessage.replace(/\{\{\s*firstName\s*\}\}/g, '민준'),
      endCallMessage: assistant.endCallMessage,
      fallback: String((number.fallbackDestination as { message?: string } | undefined)?.message),
      ...Object.fromEntries(
        tools.flatMap((tool) =>
          tool.messages.map((message) => [`${tool.function.name} ${message.type}`, message.content]),
        ),
      ),
    };
    expect(notKorean(heard)).toEqual([]);
    expect(tools.map((tool) => tool.messages.map((message) => message.type))).toEqual(
      tools.map(() => ['request-start', 'request-response-delayed', 'request-failed']),
    );
  });

  it('should give the saved assistant searchKnowledge and its prompt with Knowledge, and the code prompt with Verify', async () => {
    const plain = await provision('--assistant');
    const [before] = [...fake.assistants.values()] as unknown as SavedAssistant[];
    const promptBefore = before.model.messages[0].content;
    env.KNOWLEDGE_ANSWER_FIELD = 'Answer__c';
    env.TWILIO_VERIFY_SERVICE_SID = `VA${'5e'.repeat(16)}`;

    const run = await provision('--assistant');

    expect(plain.code).toBe(0);
    expect(run.code).toBe(0);
    expectWritesValid(fake);
    const names = ([...fake.tools.values()] as unknown as SavedTool[]).map((tool) => tool.function.name);
    expect(names).toEqual(callToolDefinitions({ knowledge: true }).map((definition) => definition.name));
    expect(names).toContain('searchKnowledge');
    const [assistant] = [...fake.assistants.values()] as unknown as SavedAssistant[];
    const { say } = new CallVoice();
    for (const line of [say.knowledge.prompt, say.assistant.verificationPrompt]) {
      expect(promptBefore).not.toContain(line);
      expect(assistant.model.messages[0].content).toContain(line);
    }
  });

  it('should show an error of the VAPI API as VAPI words it, and stop', async () => {
    fake.faults.set({ refuseNextWrite: ['number must be a valid phone number in E.164 format'] });

    const run = await provision();

    expect(run.code).toBe(1);
    expect(run.text).toContain(
      '✗ VAPI answered POST /credential with HTTP 400: Bad Request: number must be a valid phone number in E.164 format',
    );
  });

  it('should say when VAPI refuses the key, without printing it', async () => {
    env.VAPI_API_KEY = 'a-public-key-instead-0123';

    const run = await provision();

    expect(run.code).toBe(1);
    expect(run.text).toContain('HTTP 401: Unauthorized: Invalid Key');
    expect(run.text).not.toContain('a-public-key-instead-0123');
  });

  it('should name what it needs when the configuration lacks it', async () => {
    env.VAPI_API_KEY = undefined;
    env.TWILIO_FROM_NUMBER = undefined;

    const run = await provision();

    expect(run.code).toBe(1);
    expect(run.text).toContain('VAPI_API_KEY');
    expect(run.text).toContain('TWILIO_FROM_NUMBER');
    expect(fake.requests).toEqual([]);
  });
});
