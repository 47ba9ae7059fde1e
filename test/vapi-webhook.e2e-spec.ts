import { createHmac } from 'node:crypto';
import { RunningApp, startApp, TEST_WEBHOOK_SECRET } from './support/app-harness';
import { ProbeTool } from './support/probe-tool';
import { vapiSchemaErrors } from './support/vapi-openapi';
import { hmacHeaders, signedHeaders, SigningMode } from './fakes/vapi-sender/vapi-signing';
import {
  assistantRequestMessage,
  endOfCallReportMessage,
  legacyFunctionCallMessage,
  statusUpdateMessage,
  TOOL_CALL_SHAPES,
  toolCallsMessage,
  transcriptMessage,
  transferDestinationRequestMessage,
} from './support/vapi-payloads';
import { postWebhook } from './support/webhook-client';

const CALLER = '+14155550100';
const call = { id: 'call-e2e-1', customerNumber: CALLER };

function probeCall(id: string, args: Record<string, unknown>) {
  return { id, name: 'probeTool', arguments: args };
}

describe('VAPI webhook (e2e)', () => {
  describe.each<SigningMode>(['hmac', 'secret', 'bearer', 'signature'])(
    'authentication in %s mode',
    (mode) => {
      let running: RunningApp;
      let probe: ProbeTool;
      const payload = toolCallsMessage(call, [
        probeCall('tc-auth', { accountNumber: 'A-1', behaviour: 'succeed' }),
      ]);
      const body = Buffer.from(JSON.stringify(payload));

      beforeAll(async () => {
        probe = new ProbeTool();
        running = await startApp(
          { VAPI_AUTH_MODE: mode, VAPI_WEBHOOK_SECRET: `old-secret-still-valid-123,${TEST_WEBHOOK_SECRET}` },
          { extraProviders: [{ provide: ProbeTool, useValue: probe }] },
        );
      });
      afterAll(() => running.close());
      beforeEach(() => probe.runs.splice(0));

      async function send(headers: Record<string, string>, raw: Buffer = body) {
        const response = await fetch(`${running.url}/vapi/webhook`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', ...headers },
          body: raw,
        });
        return { status: response.status, body: (await response.json()) as Record<string, unknown> };
      }

      it('should accept a correctly signed request and run the tool', async () => {
        const reply = await send(signedHeaders(mode, TEST_WEBHOOK_SECRET, body));
        expect(reply.status).toBe(200);
        expect(probe.runs).toHaveLength(1);
      });

      it('should accept the other secret of a rotation', async () => {
        expect((await send(signedHeaders(mode, 'old-secret-still-valid-123', body))).status).toBe(200);
      });

      it('should answer 401 without detail and run nothing for a wrong secret', async () => {
        const reply = await send(signedHeaders(mode, 'wrong-secret-0000000000', body));
        expect(reply).toEqual({ status: 401, body: { error: 'unauthorized' } });
        expect(probe.runs).toHaveLength(0);
      });

      it('should answer 401 for a request without the header', async () => {
        expect((await send({})).status).toBe(401);
        expect(probe.runs).toHaveLength(0);
      });

      if (mode === 'hmac' || mode === 'signature') {
        it('should answer 401 for a wrong signature', async () => {
          const headers = signedHeaders(mode, TEST_WEBHOOK_SECRET, body);
          const name = mode === 'hmac' ? 'x-signature' : 'x-vapi-signature';
          headers[name] = headers[name].replace(/[0-9a-f]$/, (last) => (last === '0' ? '1' : '0'));
          expect((await send(headers)).status).toBe(401);
        });

        it('should answer 401 for a body changed by one byte after signing', async () => {
          const headers = signedHeaders(mode, TEST_WEBHOOK_SECRET, body);
          const changed = Buffer.from(body.toString().replace('"A-1"', '"A-2"'));
          expect(changed.length).toBe(body.length);
          expect((await send(headers, changed)).status).toBe(401);
          expect(probe.runs).toHaveLength(0);
        });
      }

      if (mode === 'hmac') {
        it.each([
          ['stale', -301],
          ['future', +301],
        ])('should answer 401 for a %s timestamp', async (_label, offsetSeconds) => {
          const timestamp = String(Math.floor(Date.now() / 1000) + offsetSeconds);
          expect((await send(hmacHeaders(TEST_WEBHOOK_SECRET, body, { timestamp }))).status).toBe(401);
        });

        it('should verify the raw bytes, not a re-serialisation of the parsed JSON', async () => {
          const spaced = Buffer.from(JSON.stringify(payload, null, 2));
          expect((await send(hmacHeaders(TEST_WEBHOOK_SECRET, spaced), spaced)).status).toBe(200);
        });
      }
    },
  );

  describe('messages', () => {
    let running: RunningApp;
    let probe: ProbeTool;

    beforeAll(async () => {
      probe = new ProbeTool();
      running = await startApp(
        { TRANSFER_NUMBER: '+14155550199' },
        { extraProviders: [{ provide: ProbeTool, useValue: probe }] },
      );
    });
    afterAll(() => running.close());
    beforeEach(() => probe.runs.splice(0));

    it.each(TOOL_CALL_SHAPES)('should run the tool exactly once for the %s shape', async (shape) => {
      const payload = toolCallsMessage(
        call,
        [probeCall(`tc-shape-${shape}`, { accountNumber: 'ACME-9', behaviour: 'succeed' })],
        shape,
      );
      const reply = await postWebhook(running.url, payload);
      expect(reply.status).toBe(200);
      expect(probe.runs).toHaveLength(1);
      expect(probe.runs[0].args.accountNumber).toBe('ACME-9');
      expect(probe.runs[0].context).toMatchObject({
        toolCallId: `tc-shape-${shape}`,
        callId: call.id,
        customerNumber: CALLER,
      });
      expect(reply.body).toEqual({
        results: [
          {
            toolCallId: `tc-shape-${shape}`,
            name: 'probeTool',
            result: 'Probe ran for account ACME-9. Second line.',
          },
        ],
      });
      expect(vapiSchemaErrors('ServerMessageResponseToolCalls', reply.body)).toEqual([]);
    });

    it('should answer a repeated tool call id with the first answer without running the tool again', async () => {
      const payload = toolCallsMessage(call, [
        probeCall('tc-repeat', { accountNumber: 'R-1', behaviour: 'succeed' }),
      ]);
      const first = await postWebhook(running.url, payload);
      const again = await postWebhook(running.url, payload);
      expect(again.body).toEqual(first.body);
      expect(probe.runs).toHaveLength(1);
    });

    it('should answer several calls in call order, each with its own outcome', async () => {
      const payload = toolCallsMessage(call, [
        probeCall('tc-a', { accountNumber: 'A', behaviour: 'throw' }),
        { id: 'tc-b', name: 'noSuchTool', arguments: {} },
        probeCall('tc-c', { behaviour: 'succeed' }),
        probeCall('tc-d', { accountNumber: 'D', behaviour: 'succeed' }),
      ]);
      const reply = await postWebhook(running.url, payload);
      expect(reply.status).toBe(200);
      const results = reply.body.results as Record<string, string>[];
      expect(results.map((result) => result.toolCallId)).toEqual(['tc-a', 'tc-b', 'tc-c', 'tc-d']);
      // An exception inside a tool is spoken, without its internal message.
      expect(results[0].error).toMatch(/something went wrong on our side/i);
      expect(results[0].error).not.toContain('exploded');
      // An unknown tool is a spoken apology in `error`.
      expect(results[1]).toEqual({
        toolCallId: 'tc-b',
        name: 'noSuchTool',
        error: expect.stringMatching(/can't do that/),
      });
      // A missing argument becomes the tool's question, not a failure.
      expect(results[2]).toEqual({
        toolCallId: 'tc-c',
        name: 'probeTool',
        result: 'Could you tell me your account number?',
      });
      expect(results[3].result).toContain('account D');
      for (const result of results) expect(Object.values(result).join('')).not.toMatch(/\n/);
      expect(vapiSchemaErrors('ServerMessageResponseToolCalls', reply.body)).toEqual([]);
    });

    it('should speak a generic question for an invalid argument without its own question', async () => {
      const reply = await postWebhook(
        running.url,
        toolCallsMessage(call, [probeCall('tc-v', { accountNumber: 'X', behaviour: 'dance' })]),
      );
      expect((reply.body.results as Record<string, string>[])[0].result).toBe(
        'Could you tell me the behaviour?',
      );
      expect(probe.runs).toHaveLength(0);
    });

    it('should ask again when the arguments are an unreadable JSON string', async () => {
      const payload = {
        message: {
          type: 'tool-calls',
          call: { id: 'c' },
          toolCallList: [{ id: 't', function: { name: 'probeTool', arguments: '{oops' } }],
        },
      };
      const reply = await postWebhook(running.url, payload);
      expect(reply.body).toEqual({
        results: [{ toolCallId: 't', name: 'probeTool', result: expect.stringMatching(/say it again/) }],
      });
      expect(probe.runs).toHaveLength(0);
    });

    it('should answer the legacy function-call message with {result}', async () => {
      const reply = await postWebhook(
        running.url,
        legacyFunctionCallMessage(call, 'probeTool', { accountNumber: 'L-1', behaviour: 'succeed' }),
      );
      expect(reply).toEqual({ status: 200, body: { result: 'Probe ran for account L-1. Second line.' } });
      expect(probe.runs).toHaveLength(1);
    });

    it('should answer assistant-request with an assistant in the documented shape', async () => {
      const reply = await postWebhook(running.url, assistantRequestMessage(call));
      expect(reply.status).toBe(200);
      expect(reply.body.assistant ?? reply.body.assistantId).toBeDefined();
      expect(vapiSchemaErrors('ServerMessageResponseAssistantRequest', reply.body)).toEqual([]);
    });

    it('should answer transfer-destination-request with the support number', async () => {
      const reply = await postWebhook(running.url, transferDestinationRequestMessage(call));
      expect(reply.body).toMatchObject({ destination: { type: 'number', number: '+14155550199' } });
      expect(vapiSchemaErrors('ServerMessageResponseTransferDestinationRequest', reply.body)).toEqual([]);
    });

    it.each([
      ['status-update', statusUpdateMessage(call, 'in-progress')],
      ['transcript', transcriptMessage(call, 'user', 'My email is ada@example.com')],
      [
        'an unknown type',
        { message: { type: 'brand-new-event', call: { id: 'c' }, surprise: { nested: [1, 2] } } },
      ],
      [
        'conversation-update',
        { message: { type: 'conversation-update', messages: [], messagesOpenAIFormatted: [] } },
      ],
    ])('should acknowledge %s with 200 {}', async (_label, payload) => {
      expect(await postWebhook(running.url, payload)).toEqual({ status: 200, body: {} });
    });

    it('should answer on the /webhook/vapi alias too', async () => {
      expect(
        await postWebhook(running.url, statusUpdateMessage(call, 'ringing'), { path: '/webhook/vapi' }),
      ).toEqual({
        status: 200,
        body: {},
      });
    });

    it('should accept a 5 MB end-of-call report', async () => {
      const transcript = Array.from(
        { length: 30_000 },
        (_, i) => `${i % 2 ? 'AI' : 'User'}: line ${i} ${'x'.repeat(60)}`,
      ).join('\n');
      const payload = endOfCallReportMessage(call, { transcript, summary: 'Long call' });
      const raw = Buffer.from(JSON.stringify(payload));
      expect(raw.length).toBeGreaterThan(5 * 1024 * 1024);
      expect(await postWebhook(running.url, payload, { raw })).toEqual({ status: 200, body: {} });
    });

    it.each([
      ['a JSON array', []],
      ['a body without message', { type: 'status-update' }],
      ['a message without a type', { message: { call: { id: 'c' } } }],
    ])('should answer 400 for %s', async (_label, payload) => {
      const reply = await postWebhook(running.url, payload);
      expect(reply.status).toBe(400);
      expect(reply.body.error).toBe('malformed_envelope');
    });

    it('should answer 400 for a body that is not JSON, signed correctly', async () => {
      const raw = Buffer.from('{"message": {"type": "status-update"');
      const reply = await fetch(`${running.url}/vapi/webhook`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...hmacHeaders(TEST_WEBHOOK_SECRET, raw) },
        body: raw,
      });
      expect(reply.status).toBe(400);
    });

    it('should export request counts and latency by message type and outcome', async () => {
      await postWebhook(running.url, statusUpdateMessage(call, 'in-progress'));
      await postWebhook(running.url, statusUpdateMessage(call, 'in-progress'), {
        secret: 'forged-secret-000000000',
      });
      await postWebhook(
        running.url,
        toolCallsMessage(call, [probeCall('tc-metrics', { accountNumber: 'M', behaviour: 'throw' })]),
      );
      const metrics = await (await fetch(`${running.url}/metrics`)).text();
      expect(metrics).toMatch(/vapi_webhook_requests_total\{type="unverified",outcome="rejected"\} 1\b/);
      expect(metrics).toMatch(/vapi_webhook_requests_total\{type="status-update",outcome="ok"\} \d+/);
      expect(metrics).toMatch(
        /vapi_webhook_duration_seconds_bucket\{le="[0-9.]+",type="tool-calls",outcome="ok"\}/,
      );
      expect(metrics).toMatch(/vapi_tool_calls_total\{tool="probeTool",outcome="failed"\} \d+/);
      // The SQLite store's group commit: every stored message waited for a COMMIT, shared or not.
      const counter = (name: string) => Number(new RegExp(`^${name} (\\d+)$`, 'm').exec(metrics)?.[1]);
      expect(counter('store_sqlite_operations_total')).toBeGreaterThan(0);
      expect(counter('store_sqlite_commits_total')).toBeGreaterThan(0);
      expect(counter('store_sqlite_commits_total')).toBeLessThanOrEqual(
        counter('store_sqlite_operations_total'),
      );
    });

    it('should keep secrets, signatures, phone numbers, emails and transcripts out of the logs', async () => {
      const body = JSON.stringify(
        toolCallsMessage(call, [probeCall('tc-log', { accountNumber: 'Z', behaviour: 'throw' })]),
      );
      await fetch(`${running.url}/vapi/webhook`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...hmacHeaders(TEST_WEBHOOK_SECRET, body) },
        body,
      });
      const forged = createHmac('sha256', 'forged-secret').update(body).digest('hex');
      await fetch(`${running.url}/vapi/webhook`, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          'x-signature': forged,
          'x-timestamp': String(Date.now()),
          authorization: `Bearer ${TEST_WEBHOOK_SECRET}`,
        },
        body,
      });
      await postWebhook(running.url, transcriptMessage(call, 'user', 'my email is ada@example.com'));
      const logs = running.logs.text;
      expect(logs).toContain(call.id); // correlation id present
      for (const secret of [TEST_WEBHOOK_SECRET, forged, CALLER, '4155550100', 'ada@example.com']) {
        expect(logs).not.toContain(secret);
      }
    });
  });
});
