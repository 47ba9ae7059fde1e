/**
 * VAPI server messages for the call simulator, in the shape of real captured payloads
 * (docs/vapi.md, "Where fields are read from"): the call object on every message, tool calls in all three lists
 * with object arguments, an end-of-call report with `artifact` and `analysis`.
 */

export interface SimulatedCall {
  id: string;
  /** E.164 caller number, as Twilio passes it to VAPI. */
  customerNumber: string;
  twilioCallSid: string;
  startedAt: number;
}

const ORG_ID = 'org-bench';
const PHONE_NUMBER = { id: 'pn-bench', number: '+14155550000', provider: 'twilio' };

function callObject(call: SimulatedCall, status: string): Record<string, unknown> {
  return {
    id: call.id,
    orgId: ORG_ID,
    type: 'inboundPhoneCall',
    status,
    phoneCallProvider: 'twilio',
    phoneCallProviderId: call.twilioCallSid,
    phoneCallTransport: 'pstn',
    customer: { number: call.customerNumber },
    createdAt: new Date(call.startedAt).toISOString(),
  };
}

function envelope(call: SimulatedCall, type: string, status: string, fields: Record<string, unknown>) {
  return {
    message: {
      type,
      timestamp: Date.now(),
      call: callObject(call, status),
      customer: { number: call.customerNumber },
      phoneNumber: PHONE_NUMBER,
      ...fields,
    },
  };
}

export function assistantRequest(call: SimulatedCall) {
  return envelope(call, 'assistant-request', 'ringing', {});
}

export function statusUpdate(call: SimulatedCall, status: 'in-progress' | 'ended') {
  return envelope(call, 'status-update', status, {
    status,
    ...(status === 'ended' ? { endedReason: 'customer-ended-call' } : {}),
  });
}

export function finalTranscript(call: SimulatedCall, role: 'user' | 'assistant', transcript: string) {
  return envelope(call, 'transcript[transcriptType="final"]', 'in-progress', {
    role,
    transcriptType: 'final',
    transcript,
  });
}

export function toolCalls(
  call: SimulatedCall,
  toolCallId: string,
  name: string,
  args: Record<string, unknown>,
) {
  const toolCall = { id: toolCallId, type: 'function', function: { name, arguments: args } };
  return envelope(call, 'tool-calls', 'in-progress', {
    toolCallList: [toolCall],
    toolWithToolCallList: [
      {
        type: 'function',
        function: { name, parameters: { type: 'object', properties: {} } },
        server: { url: 'https://voice-crm.example.com/vapi/webhook' },
        toolCall,
      },
    ],
    toolCalls: [toolCall],
  });
}

export interface TranscriptLine {
  role: 'user' | 'bot';
  text: string;
  at: number;
}

export function endOfCallReport(call: SimulatedCall, lines: TranscriptLine[], endedAt: number) {
  const transcript = lines.map((line) => `${line.role === 'bot' ? 'AI' : 'User'}: ${line.text}`).join('\n');
  return envelope(call, 'end-of-call-report', 'ended', {
    endedReason: 'customer-ended-call',
    startedAt: new Date(call.startedAt).toISOString(),
    endedAt: new Date(endedAt).toISOString(),
    cost: 0.0842,
    artifact: {
      transcript,
      messages: lines.map((line) => ({
        role: line.role,
        message: line.text,
        time: line.at,
        secondsFromStart: (line.at - call.startedAt) / 1000,
      })),
      recordingUrl: `https://storage.vapi.example/recordings/${call.id}.wav`,
    },
    analysis: { summary: 'The caller reported a problem; a case was opened and its status read back.' },
  });
}
