import fc from 'fast-check';
import { TOOL_NAMES } from '../../src/calls/tools/tool-catalogue';
import { VAPI_MESSAGE_TYPES, VapiMessageType } from '../../src/vapi/vapi-message-types';
import type { Dialect } from '../../src/store/database.factory';
import { RunningApp, startApp } from '../support/app-harness';
import { createTestDatabase, TestDatabase } from '../support/test-database';
import { vapiSchemaErrors } from '../support/vapi-openapi';
import {
  assistantRequestMessage,
  callObject,
  endOfCallReportMessage,
  legacyFunctionCallMessage,
  statusUpdateMessage,
  toolCallsMessage,
  transcriptMessage,
  transferDestinationRequestMessage,
} from '../support/vapi-payloads';
import { postWebhook, WebhookReply } from '../support/webhook-client';

/*
 * Property-based fuzzing of the signed webhook: a real-shaped message of every type, then random mutations
 * (fields replaced by any JSON value, removed, ids and arguments garbled). Whatever arrives, the service never
 * answers 5xx, keeps answering, and answers in the shape VAPI expects for the type (or 400 for a broken
 * envelope). CI-sized, on each database: FUZZ_RUNS raises the count for a longer local run.
 */

const RUNS = Number(process.env.FUZZ_RUNS ?? 75);
const TOOLS = [...TOOL_NAMES, 'noSuchTool'];

type Json = Record<string, unknown>;

function baseMessage(type: VapiMessageType, callId: string): { message: Json } {
  const call = { id: callId, customerNumber: '+14155550100' };
  switch (type) {
    case 'assistant-request':
      return assistantRequestMessage(call);
    case 'tool-calls':
      return toolCallsMessage(call, [
        { id: `${callId}-t1`, name: 'lookupCase', arguments: { caseNumber: '00001027' } },
        {
          id: `${callId}-t2`,
          name: 'createSalesforceCase',
          arguments: { issueType: 'Billing', description: 'x' },
        },
      ]);
    case 'function-call':
      return legacyFunctionCallMessage(call, 'lookupCase', {});
    case 'transfer-destination-request':
      return transferDestinationRequestMessage(call);
    case 'status-update':
      return statusUpdateMessage(call, 'ended', 'customer-ended-call');
    case 'end-of-call-report':
      return endOfCallReportMessage(call, { transcript: 'AI: Hello\nUser: Hi', summary: 'Greeting' });
    case 'transcript':
    case 'transcript[transcriptType="final"]':
      return transcriptMessage(call, 'user', 'My email is jane@example.com');
    case 'knowledge-base-request':
      return {
        message: {
          type,
          timestamp: Date.now(),
          call: callObject(call),
          messages: [{ role: 'user', message: 'How do I reset my password?', time: Date.now() }],
          messagesOpenAIFormatted: [{ role: 'user', content: 'How do I reset my password?' }],
        },
      };
    case 'hang':
    case 'transfer-update':
    case 'conversation-update':
    case 'speech-update':
    case 'user-interrupted':
    case 'model-output':
      return { message: { type, timestamp: Date.now(), call: callObject(call) } };
  }
}

const KEYS = [
  'message',
  'type',
  'call',
  'id',
  'customer',
  'number',
  'toolCallList',
  'toolWithToolCallList',
  'toolCalls',
  'toolCall',
  'function',
  'functionCall',
  'name',
  'arguments',
  'parameters',
  'artifact',
  'messages',
  'transcript',
  'summary',
  'analysis',
  'endedReason',
  'status',
  'startedAt',
  'endedAt',
  'phoneCallProviderId',
  'destination',
  'issueType',
  'caseNumber',
  'description',
  '0',
  '1',
];

const mutation = fc.record({
  path: fc.array(fc.constantFrom(...KEYS), { minLength: 1, maxLength: 5 }),
  value: fc.oneof(
    fc.jsonValue({ maxDepth: 3 }),
    fc.constant(undefined),
    fc.string({ unit: 'binary', maxLength: 40 }),
    fc.constantFrom(...TOOLS),
    fc.constantFrom('', '\u0000', 'not-a-date', '9'.repeat(40), "'; DROP TABLE calls; --"),
  ),
});

/** Sets (or removes, for undefined) the value at `path`, creating objects on the way. */
function mutate(payload: Json, path: string[], value: unknown): void {
  let node: Json = payload;
  for (const key of path.slice(0, -1)) {
    const next = node[key];
    if (typeof next !== 'object' || next === null) node[key] = {};
    node = node[key] as Json;
  }
  const last = path[path.length - 1];
  if (value === undefined) delete node[last];
  else node[last] = value;
}

const answerSchemas: Partial<Record<string, string>> = {
  'tool-calls': 'ServerMessageResponseToolCalls',
  'assistant-request': 'ServerMessageResponseAssistantRequest',
  'transfer-destination-request': 'ServerMessageResponseTransferDestinationRequest',
  'knowledge-base-request': 'ServerMessageResponseKnowledgeBaseRequest',
};

function shapeProblems(type: unknown, reply: WebhookReply): string[] {
  if (reply.status === 400)
    return reply.body.error === 'malformed_envelope' ? [] : ['400 without malformed_envelope'];
  if (reply.status !== 200) return [`HTTP ${reply.status}`];
  const schema = typeof type === 'string' ? answerSchemas[type] : undefined;
  if (schema) return vapiSchemaErrors(schema, reply.body);
  if (type === 'function-call')
    return typeof reply.body.result === 'string' ? [] : ['function-call without result'];
  return Object.keys(reply.body).length === 0 ? [] : ['acknowledgement is not {}'];
}

describe.each<Dialect>(['sqlite', 'postgres'])('fuzzed signed webhook messages on %s', (dialect) => {
  let running: RunningApp;
  let database: TestDatabase;
  beforeAll(async () => {
    database = await createTestDatabase(dialect);
    running = await startApp({
      DATABASE_URL: database.url,
      CALLER_LOOKUP_BUDGET_MS: '200',
      TOOL_DEADLINE_MS: '2000',
      TOOL_WRITE_BUDGET_MS: '1000',
    });
  });
  afterAll(async () => {
    await running.close();
    await database.drop();
  });

  it('should never answer 5xx and always answer in the shape of the message type', async () => {
    let sequence = 0;
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom(...(Object.keys(VAPI_MESSAGE_TYPES) as VapiMessageType[])),
        fc.boolean(),
        fc.array(mutation, { maxLength: 4 }),
        async (type, unknownType, mutations) => {
          const payload = baseMessage(type, `call-fuzz-${++sequence}`) as Json;
          // A type VAPI may add one day is acknowledged like any other.
          if (unknownType) (payload.message as Json).type = `future-${type}`;
          for (const { path, value } of mutations) mutate(payload, path, value);
          const reply = await postWebhook(running.url, payload);
          const sentType = (payload.message as Json | undefined)?.type;
          expect(reply.status).toBeLessThan(500);
          expect(shapeProblems(sentType, reply)).toEqual([]);
        },
      ),
      { numRuns: RUNS, seed: process.env.FUZZ_SEED ? Number(process.env.FUZZ_SEED) : undefined },
    );
    expect((await fetch(`${running.url}/health/live`)).status).toBe(200);
  }, 120_000);
});
