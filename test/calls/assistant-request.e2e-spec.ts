import { LOCALES } from '../../src/calls/voice/locales';
import { SERVER_BACKOFF_PLAN } from '../../src/vapi/server-backoff-plan';
import { TEST_SERVER_CREDENTIAL_ID } from '../support/app-harness';
import { TOOL_NAMES } from '../../src/calls/tools/tool-catalogue';
import { CallWorld, startCallWorld } from '../support/call-harness';
import { newCall } from '../support/call-driver';
import { expectToolMessagesFrom } from '../support/tool-messages';
import { vapiSchemaErrors } from '../support/vapi-openapi';
import { assistantRequestMessage } from '../support/vapi-payloads';
import { postWebhook, WebhookReply } from '../support/webhook-client';

const JANE = '+14155550100';
/** The server messages the service acts on (docs/vapi.md); VAPI's chatty defaults are left out. */
const HANDLED_SERVER_MESSAGES = [
  'end-of-call-report',
  'hang',
  'status-update',
  'tool-calls',
  'transcript[transcriptType="final"]',
  'transfer-destination-request',
];
/** The public catalogue (docs/vapi.md, "Tools"). */
/** Without Knowledge configured (the default), searchKnowledge is not offered. */
const TOOLS = TOOL_NAMES.filter((name) => name !== 'searchKnowledge');

interface TransientAssistant {
  firstMessage: string;
  serverMessages: string[];
  server: { url: string };
  model: {
    messages: { content: string }[];
    tools: {
      type: string;
      function?: { name: string };
      server?: Record<string, unknown>;
      messages?: { type: string; content: string }[];
    }[];
  };
  voice: Record<string, unknown>;
  transcriber: Record<string, unknown>;
}

const ENGLISH = LOCALES.en.sentences;

describe('assistant-request', () => {
  describe('with a transient assistant built in code', () => {
    let world: CallWorld;
    beforeAll(async () => {
      world = await startCallWorld({ CALLER_LOOKUP_BUDGET_MS: '1500' });
    });
    afterAll(() => world.close());
    afterEach(() => world.salesforce.faults.clear());

    const ask = (number: string | undefined) =>
      postWebhook(world.app.url, assistantRequestMessage(newCall(number)));
    const assistantOf = (reply: WebhookReply) => reply.body.assistant as TransientAssistant;

    it('should greet an identified caller by name with their open cases, in an assistant VAPI accepts', async () => {
      const reply = await ask(JANE);

      expect(reply.status).toBe(200);
      expect(vapiSchemaErrors('ServerMessageResponseAssistantRequest', reply.body)).toEqual([]);
      const assistant = assistantOf(reply);
      expect(assistant.firstMessage).toMatch(
        /^Hi Jane, .* I can see you have an open case\. How can I help\?$/,
      );
      expect(assistant.model.messages[0].content).toContain('Invoice shows a double charge');
    });

    it('should list exactly the server messages the service handles and point every tool at this server', async () => {
      const assistant = assistantOf(await ask(JANE));

      expect([...assistant.serverMessages].sort()).toEqual(HANDLED_SERVER_MESSAGES);
      expect(assistant.server.url).toBe('https://voice-crm.test/vapi/webhook');
      const functions = assistant.model.tools.filter((tool) => tool.type === 'function');
      expect(functions.map((tool) => tool.function?.name)).toEqual(TOOLS);
      for (const tool of functions) expect(tool.server?.url).toBe('https://voice-crm.test/vapi/webhook');
    });

    it('should give every tool words of its own for when it starts, is slow and fails, as VAPI takes them', async () => {
      const assistant = assistantOf(await ask(JANE));

      const functions = assistant.model.tools.filter((tool) => tool.type === 'function');
      expect(functions.map((tool) => tool.function?.name)).toEqual(TOOLS);
      expectToolMessagesFrom(functions, ENGLISH.whileTools.byTool);
      expect(ENGLISH.whileTools.byTool.lookupCase.start).toBe('Let me look up that case.');
      expect(new Set(functions.map((tool) => tool.messages?.[0].content)).size).toBe(functions.length);
    });

    it('should speak English with the English voice and transcriber by default', async () => {
      const assistant = assistantOf(await ask(JANE));

      expect(assistant.voice).toEqual({ provider: 'vapi', voiceId: 'Elliot' });
      expect(assistant.transcriber).toEqual({ provider: 'deepgram', model: 'nova-2', language: 'en' });
      expect(vapiSchemaErrors('VapiVoice', assistant.voice)).toEqual([]);
      expect(vapiSchemaErrors('DeepgramTranscriber', assistant.transcriber)).toEqual([]);
    });

    it('should sign the rest of the call with our credential and let VAPI retry what we could not take', async () => {
      const assistant = assistantOf(await ask(JANE));

      const server = {
        url: 'https://voice-crm.test/vapi/webhook',
        timeoutSeconds: 20,
        credentialId: TEST_SERVER_CREDENTIAL_ID,
        backoffPlan: SERVER_BACKOFF_PLAN,
      };
      expect(assistant.server).toEqual(server);
      for (const tool of assistant.model.tools.filter((entry) => entry.type === 'function')) {
        expect(tool.server).toEqual(server);
      }
    });

    it('should answer a caller it cannot identify with a generic assistant', async () => {
      const reply = await ask('+14155550379');

      expect(vapiSchemaErrors('ServerMessageResponseAssistantRequest', reply.body)).toEqual([]);
      expect(assistantOf(reply).firstMessage).toBe(
        'Thanks for calling Acme support. How can I help you today?',
      );
    });

    it('should still personalise the greeting when Salesforce takes a second to answer', async () => {
      world.salesforce.faults.set({ latencyMs: 1000 });

      const reply = await ask(JANE);

      expect(assistantOf(reply).firstMessage).toMatch(/^Hi Jane\b/);
    });

    it('should answer with a generic assistant when Salesforce is slower than the budget', async () => {
      world.salesforce.faults.set({ latencyMs: 2500 });

      const reply = await ask(JANE);

      expect(vapiSchemaErrors('ServerMessageResponseAssistantRequest', reply.body)).toEqual([]);
      expect(assistantOf(reply).firstMessage).toMatch(/^Thanks for calling/);
    });

    it.each([
      ['is down', { outage: true }],
      ['hangs', { hang: true }],
    ])('should still answer with a generic assistant when Salesforce %s', async (_how, fault) => {
      world.salesforce.faults.set(fault);

      const started = Date.now();
      const reply = await ask(JANE);
      const waitedMs = Date.now() - started;

      expect(reply.status).toBe(200);
      expect(vapiSchemaErrors('ServerMessageResponseAssistantRequest', reply.body)).toEqual([]);
      expect(assistantOf(reply).firstMessage).toMatch(/^Thanks for calling/);
      // Generous bound well inside VAPI's hard 7.5 s limit; the budget itself is 1.5 s.
      expect(waitedMs).toBeLessThan(5000);
    });
  });

  describe('with an assistant configured in VAPI', () => {
    let world: CallWorld;
    beforeAll(async () => {
      world = await startCallWorld({ VAPI_ASSISTANT_ID: 'asst-3f1e-support' });
    });
    afterAll(() => world.close());

    it('should answer with the assistant id and the caller’s first name as a variable', async () => {
      const reply = await postWebhook(world.app.url, assistantRequestMessage(newCall(JANE)));

      expect(vapiSchemaErrors('ServerMessageResponseAssistantRequest', reply.body)).toEqual([]);
      expect(reply.body).toEqual({
        assistantId: 'asst-3f1e-support',
        assistantOverrides: {
          variableValues: expect.objectContaining({ firstName: 'Jane', identified: true, openCaseCount: 1 }),
        },
      });
    });

    it('should answer an unknown caller with the assistant id and no name', async () => {
      const reply = await postWebhook(world.app.url, assistantRequestMessage(newCall('+14155550379')));

      expect(reply.body).toEqual({
        assistantId: 'asst-3f1e-support',
        assistantOverrides: { variableValues: expect.objectContaining({ firstName: '', identified: false }) },
      });
    });
  });
});
