import { TOOL_CALL_SHAPES, toolCallsMessage } from '../../test/support/vapi-payloads';
import { MalformedEnvelopeException } from './vapi.errors';
import { messageTypeLabel, parseWebhookBody, readToolCalls, toSingleLine } from './vapi-message.parser';

const call = { id: 'call-1', customerNumber: '+14155550100', phoneCallProviderId: 'CA42' };
const tools = [
  { id: 'tc-1', name: 'lookupCase', arguments: { caseNumber: '00001027' } },
  { id: 'tc-2', name: 'addCaseComment', arguments: { caseNumber: '00001027', comment: 'Still broken' } },
];

describe('readToolCalls', () => {
  it.each(TOOL_CALL_SHAPES)('should read each call exactly once from the %s shape', (shape) => {
    const { message } = toolCallsMessage(call, tools, shape);
    expect(readToolCalls(message)).toEqual([
      { id: 'tc-1', name: 'lookupCase', arguments: { caseNumber: '00001027' } },
      { id: 'tc-2', name: 'addCaseComment', arguments: { caseNumber: '00001027', comment: 'Still broken' } },
    ]);
  });

  it('should read name and arguments from the top level of an entry, and `parameters` as arguments', () => {
    const message = {
      toolCallList: [
        { id: 'a', name: 'lookupCase', arguments: '{"caseNumber":"1"}' },
        { id: 'b', name: 'lookupCase', parameters: { caseNumber: '2' } },
      ],
    };
    expect(readToolCalls(message).map((entry) => entry.arguments)).toEqual([
      { caseNumber: '1' },
      { caseNumber: '2' },
    ]);
  });

  it('should mark arguments that are not a JSON object instead of throwing', () => {
    const message = { toolCallList: [{ id: 'a', function: { name: 'lookupCase', arguments: '{not json' } }] };
    expect(readToolCalls(message)).toEqual([
      { id: 'a', name: 'lookupCase', arguments: {}, argumentsError: 'arguments are not a JSON object' },
    ]);
  });

  it('should treat empty arguments as an empty object', () => {
    const message = { toolCallList: [{ id: 'a', function: { name: 'lookupCase', arguments: '' } }] };
    expect(readToolCalls(message)[0].arguments).toEqual({});
  });

  it('should skip a repeated id within the list and entries without an id', () => {
    const entry = { id: 'a', function: { name: 'lookupCase', arguments: {} } };
    const message = { toolCallList: [entry, entry, { function: { name: 'lookupCase' } }] };
    expect(readToolCalls(message)).toHaveLength(1);
  });

  it('should return nothing for a message without any list', () => {
    expect(readToolCalls({ type: 'tool-calls' })).toEqual([]);
  });
});

describe('parseWebhookBody', () => {
  const parse = (message: Record<string, unknown>) => parseWebhookBody({ message }).event;

  it('should read name and parameters of the legacy function-call message', () => {
    expect(
      parse({
        type: 'function-call',
        functionCall: { name: 'lookupCase', parameters: { caseNumber: '00001027' } },
      }),
    ).toEqual({
      type: 'function-call',
      call: {},
      toolCall: { id: '', name: 'lookupCase', arguments: { caseNumber: '00001027' } },
    });
  });

  it('should read the caller from call.customer, else from customer, and the Twilio CallSid', () => {
    expect(
      parse({ type: 'hang', call: { id: 'c', customer: { number: '+1' }, phoneCallProviderId: 'CA1' } }).call,
    ).toEqual({
      callId: 'c',
      customerNumber: '+1',
      twilioCallSid: 'CA1',
    });
    expect(
      parse({ type: 'hang', call: { id: 'c', transport: { callSid: 'CA2' } }, customer: { number: '+2' } })
        .call,
    ).toEqual({
      callId: 'c',
      customerNumber: '+2',
      twilioCallSid: 'CA2',
    });
  });

  it('should read an end-of-call report in its current and in its legacy shape alike', () => {
    const expected = {
      transcript: 'AI: Hello',
      summary: 'Short call',
      endedReason: 'customer-ended-call',
      startedAt: '2026-11-24T09:00:05.000Z',
      endedAt: '2026-11-24T09:04:17.000Z',
      recordingUrl: 'https://example.test/r.wav',
    };
    const times = {
      endedReason: expected.endedReason,
      startedAt: expected.startedAt,
      endedAt: expected.endedAt,
    };
    const current = parse({
      type: 'end-of-call-report',
      ...times,
      artifact: {
        transcript: 'AI: Hello',
        recording: { mono: { combinedUrl: 'https://example.test/r.wav' } },
      },
      analysis: { summary: 'Short call' },
    });
    const legacy = parse({
      type: 'end-of-call-report',
      ...times,
      transcript: 'AI: Hello',
      summary: 'Short call',
      recordingUrl: 'https://example.test/r.wav',
    });
    expect(current).toEqual({ type: 'end-of-call-report', call: {}, report: expected, turnLatencies: [] });
    expect(legacy).toEqual(current);
  });

  it('should read structured data, structured outputs (which win on a clash) and per-turn latencies', () => {
    const event = parse({
      type: 'end-of-call-report',
      analysis: { structuredData: { disposition: 'open', sentiment: 'neutral', nested: { no: 1 } } },
      artifact: {
        structuredOutputs: {
          'a-1': { name: 'sentiment', result: 'positive' },
          'a-2': { name: 'outcome', result: { resolved: true, score: 4 } },
          'a-3': { name: 'ignored', result: ['lists', 'are', 'not', 'scalars'] },
        },
        performanceMetrics: {
          turnLatencies: [
            { modelLatency: 420, voiceLatency: 180, turnLatency: 990, transcriberLatency: 'x' },
          ],
        },
      },
    });

    expect(event).toMatchObject({
      type: 'end-of-call-report',
      report: { structured: { disposition: 'open', sentiment: 'positive', resolved: true, score: 4 } },
      turnLatencies: [{ model: 420, voice: 180, turn: 990 }],
    });
    expect(JSON.stringify(event)).not.toMatch(/nested|ignored|lists/);
  });

  it('should read the Live Call Control URL and the last words of a knowledge-base request', () => {
    const event = parse({
      type: 'knowledge-base-request',
      call: { id: 'call-1', monitor: { controlUrl: 'https://x.vapi.ai/call-1/control' } },
      messagesOpenAIFormatted: [
        { role: 'user', content: 'hello' },
        { role: 'assistant', content: 'How can I help?' },
        { role: 'user', content: 'How do I reset my password?' },
        { role: 'assistant', content: 'Let me check.' },
      ],
    });

    expect(event).toEqual({
      type: 'knowledge-base-request',
      call: { callId: 'call-1', controlUrl: 'https://x.vapi.ai/call-1/control' },
      question: 'How do I reset my password?',
    });
  });

  it('should tell final transcripts from partial ones under both type strings', () => {
    expect(parse({ type: 'transcript[transcriptType="final"]', transcriptType: 'final' })).toMatchObject({
      type: 'transcript',
      final: true,
    });
    expect(parse({ type: 'transcript', transcriptType: 'partial' })).toMatchObject({
      type: 'transcript',
      final: false,
    });
  });

  it('should acknowledge any other type under a bounded label', () => {
    expect(parseWebhookBody({ message: { type: 'speech-update' } })).toEqual({
      event: { type: 'acknowledged', call: {}, label: 'speech-update' },
      label: 'speech-update',
    });
    expect(parseWebhookBody({ message: { type: 'brand-new-event' } }).label).toBe('other');
  });

  it.each([[[]], [{ type: 'status-update' }], [{ message: { call: {} } }], [{ message: { type: '' } }]])(
    'should refuse the envelope %j',
    (body) => {
      expect(() => parseWebhookBody(body)).toThrow(MalformedEnvelopeException);
      expect(messageTypeLabel(body)).toBe('invalid');
    },
  );
});

describe('toSingleLine', () => {
  it('should join lines and collapse whitespace', () => {
    expect(toSingleLine(' Case 1\nis open.\r\n\u2028Thanks ')).toBe('Case 1 is open. Thanks');
  });
});
