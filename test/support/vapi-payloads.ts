/**
 * Real-shaped VAPI server messages. The tool-call shapes follow docs/vapi.md ("Where fields are read from"):
 * the official schema (arguments as a JSON string), a real captured payload (arguments as an object, the same
 * call in all three lists), `toolWithToolCallList` only, and the legacy `toolCalls` list.
 */
export type ToolCallShape =
  'schema-string-arguments' | 'captured-object-arguments' | 'tool-with-tool-call-list' | 'legacy-tool-calls';

export const TOOL_CALL_SHAPES: ToolCallShape[] = [
  'schema-string-arguments',
  'captured-object-arguments',
  'tool-with-tool-call-list',
  'legacy-tool-calls',
];

export interface CallFixture {
  id: string;
  customerNumber?: string;
  phoneCallProviderId?: string;
  /** `call.monitor.controlUrl` (Live Call Control), when the test wants one. */
  controlUrl?: string;
}

export function callObject(call: CallFixture): Record<string, unknown> {
  return {
    id: call.id,
    orgId: 'org-3f1e',
    type: 'inboundPhoneCall',
    status: 'in-progress',
    phoneCallProvider: 'twilio',
    phoneCallProviderId: call.phoneCallProviderId ?? 'CA0123456789abcdef0123456789abcdef',
    phoneCallTransport: 'pstn',
    customer: call.customerNumber ? { number: call.customerNumber } : undefined,
    ...(call.controlUrl ? { monitor: { controlUrl: call.controlUrl } } : {}),
    createdAt: '2026-11-24T09:00:00.000Z',
  };
}

function common(call: CallFixture): Record<string, unknown> {
  return {
    timestamp: Date.now(),
    call: callObject(call),
    customer: call.customerNumber ? { number: call.customerNumber } : undefined,
    phoneNumber: { id: 'pn-1', number: '+14155550000', provider: 'twilio' },
    artifact: { messages: [] },
  };
}

export function toolCallsMessage(
  call: CallFixture,
  tools: { id: string; name: string; arguments: Record<string, unknown> }[],
  shape: ToolCallShape = 'captured-object-arguments',
): { message: Record<string, unknown> } {
  const entries = (asString: boolean) =>
    tools.map((tool) => ({
      id: tool.id,
      type: 'function',
      function: { name: tool.name, arguments: asString ? JSON.stringify(tool.arguments) : tool.arguments },
    }));
  const withTool = (asString: boolean) =>
    entries(asString).map((toolCall) => ({
      type: 'function',
      function: { name: toolCall.function.name, parameters: { type: 'object', properties: {} } },
      server: { url: 'https://voice-crm.example.com/vapi/webhook' },
      toolCall,
    }));
  const base = { type: 'tool-calls', ...common(call) };
  switch (shape) {
    case 'schema-string-arguments':
      return { message: { ...base, toolCallList: entries(true), toolWithToolCallList: withTool(true) } };
    case 'captured-object-arguments':
      return {
        message: {
          ...base,
          toolCallList: entries(false),
          toolWithToolCallList: withTool(false),
          toolCalls: entries(false),
        },
      };
    case 'tool-with-tool-call-list':
      return { message: { ...base, toolWithToolCallList: withTool(false) } };
    case 'legacy-tool-calls':
      return { message: { ...base, toolCalls: entries(true) } };
  }
}

export function legacyFunctionCallMessage(
  call: CallFixture,
  name: string,
  parameters: Record<string, unknown>,
) {
  return { message: { type: 'function-call', ...common(call), functionCall: { name, parameters } } };
}

export function statusUpdateMessage(call: CallFixture, status: string, endedReason?: string) {
  return {
    message: { type: 'status-update', status, ...(endedReason ? { endedReason } : {}), ...common(call) },
  };
}

export function assistantRequestMessage(call: CallFixture) {
  return { message: { type: 'assistant-request', ...common(call) } };
}

export function transferDestinationRequestMessage(call: CallFixture) {
  return { message: { type: 'transfer-destination-request', ...common(call) } };
}

export function transcriptMessage(call: CallFixture, role: 'user' | 'assistant', transcript: string) {
  return {
    message: {
      type: 'transcript[transcriptType="final"]',
      role,
      transcriptType: 'final',
      transcript,
      ...common(call),
    },
  };
}

/** A current-shape end-of-call report; `legacy` puts transcript, summary and recording at the top level. */
export function endOfCallReportMessage(
  call: CallFixture,
  report: {
    transcript: string;
    summary?: string;
    endedReason?: string;
    recordingUrl?: string;
    legacy?: boolean;
    /** `analysis.structuredData`, `artifact.structuredOutputs` and `artifact.performanceMetrics`. */
    structuredData?: Record<string, unknown>;
    structuredOutputs?: Record<string, { name: string; result: unknown }>;
    performanceMetrics?: Record<string, unknown>;
  },
) {
  const startedAt = '2026-11-24T09:00:05.000Z';
  const endedAt = '2026-11-24T09:04:17.000Z';
  const messages = report.transcript.split('\n').map((line, index) => ({
    role: line.startsWith('AI:') ? 'bot' : 'user',
    message: line.replace(/^(AI|User): /, ''),
    time: 1_764_000_005_000 + index * 1000,
    secondsFromStart: index,
  }));
  const base = {
    type: 'end-of-call-report',
    endedReason: report.endedReason ?? 'customer-ended-call',
    startedAt,
    endedAt,
    cost: 0.1234,
    ...common(call),
  };
  if (report.legacy) {
    return {
      message: {
        ...base,
        transcript: report.transcript,
        summary: report.summary ?? '',
        recordingUrl: report.recordingUrl,
        messages,
      },
    };
  }
  return {
    message: {
      ...base,
      artifact: {
        transcript: report.transcript,
        messages,
        recordingUrl: report.recordingUrl,
        ...(report.structuredOutputs ? { structuredOutputs: report.structuredOutputs } : {}),
        ...(report.performanceMetrics ? { performanceMetrics: report.performanceMetrics } : {}),
      },
      analysis: {
        summary: report.summary ?? '',
        ...(report.structuredData ? { structuredData: report.structuredData } : {}),
      },
    },
  };
}
