import { hmacHeaders } from '../../test/fakes/vapi-sender/vapi-signing';
import { randomBytes, randomUUID } from 'node:crypto';

/**
 * Plays one phone call against the service the way VAPI would: real-shaped server messages (reference
 * vapi-and-twilio.md §1.4–1.9), posted as raw JSON bytes and signed with VAPI's HMAC credential scheme
 * (`x-signature` = hex HMAC-SHA256 of `{timestamp}.{body}`, `x-timestamp`).
 */

export interface WebhookReply {
  status: number;
  body: Record<string, unknown>;
}

export interface DemoToolCall {
  name: string;
  arguments: Record<string, unknown>;
}

/** One line of the conversation, as VAPI's transcript renders it. */
export interface TranscriptLine {
  role: 'AI' | 'User';
  text: string;
}

const DIALLED_NUMBER = '+14155550000';

export class VapiWebhookClient {
  constructor(
    private readonly baseUrl: string,
    private readonly secret: string,
    private readonly timeoutMs = 10_000,
  ) {}

  async post(message: Record<string, unknown>): Promise<WebhookReply> {
    const body = Buffer.from(JSON.stringify({ message }));
    const response = await fetch(`${this.baseUrl}/vapi/webhook`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...hmacHeaders(this.secret, body) },
      body,
      signal: AbortSignal.timeout(this.timeoutMs),
    });
    const text = await response.text();
    let parsed: Record<string, unknown> = {};
    try {
      parsed = text ? (JSON.parse(text) as Record<string, unknown>) : {};
    } catch {
      parsed = { unparsable: text.slice(0, 200) };
    }
    return { status: response.status, body: parsed };
  }
}

/** The messages of one inbound call from `customerNumber`; ids are fresh for every run. */
export class DemoCall {
  readonly id = randomUUID();
  private readonly twilioCallSid = `CA${randomBytes(16).toString('hex')}`;
  private toolCallCount = 0;

  constructor(
    private readonly client: VapiWebhookClient,
    readonly customerNumber: string,
  ) {}

  assistantRequest(): Promise<WebhookReply> {
    return this.client.post({ type: 'assistant-request', ...this.common('ringing') });
  }

  statusUpdate(status: 'in-progress' | 'ended', endedReason?: string): Promise<WebhookReply> {
    return this.client.post({
      type: 'status-update',
      status,
      ...(endedReason ? { endedReason } : {}),
      ...this.common(status),
    });
  }

  /** What the model sends when it decides to use a tool; arguments as an object, like real payloads. */
  async toolCalls(calls: DemoToolCall[]): Promise<{ ids: string[]; reply: WebhookReply }> {
    const entries = calls.map((call) => ({
      id: `call_${randomBytes(12).toString('hex')}${++this.toolCallCount}`,
      type: 'function',
      function: { name: call.name, arguments: call.arguments },
    }));
    const reply = await this.client.post({
      type: 'tool-calls',
      ...this.common('in-progress'),
      toolCallList: entries,
      toolWithToolCallList: entries.map((toolCall) => ({
        type: 'function',
        function: { name: toolCall.function.name },
        async: false,
        toolCall,
      })),
    });
    return { ids: entries.map((entry) => entry.id), reply };
  }

  /** Sent when the assistant's transferCall tool has no destination of its own. */
  transferDestinationRequest(): Promise<WebhookReply> {
    return this.client.post({ type: 'transfer-destination-request', ...this.common('in-progress') });
  }

  endOfCallReport(report: {
    lines: TranscriptLine[];
    summary: string;
    endedReason: string;
    startedAt: Date;
    endedAt: Date;
  }): Promise<WebhookReply> {
    const spanMs = report.endedAt.getTime() - report.startedAt.getTime();
    const step = spanMs / Math.max(1, report.lines.length);
    const messages = report.lines.map((line, index) => ({
      role: line.role === 'AI' ? 'bot' : 'user',
      message: line.text,
      time: report.startedAt.getTime() + Math.round(index * step),
      secondsFromStart: Math.round((index * step) / 1000),
    }));
    return this.client.post({
      type: 'end-of-call-report',
      endedReason: report.endedReason,
      startedAt: report.startedAt.toISOString(),
      endedAt: report.endedAt.toISOString(),
      cost: 0.0731,
      ...this.common('ended'),
      artifact: {
        transcript: report.lines.map((line) => `${line.role}: ${line.text}`).join('\n'),
        messages,
      },
      analysis: { summary: report.summary },
    });
  }

  private common(status: string): Record<string, unknown> {
    const customer = { number: this.customerNumber };
    return {
      timestamp: Date.now(),
      call: {
        id: this.id,
        orgId: 'org-voice-crm-demo',
        type: 'inboundPhoneCall',
        status,
        phoneCallProvider: 'twilio',
        phoneCallProviderId: this.twilioCallSid,
        phoneCallTransport: 'pstn',
        phoneNumberId: 'pn-voice-crm-demo',
        customer,
      },
      phoneNumber: { id: 'pn-voice-crm-demo', number: DIALLED_NUMBER, provider: 'twilio' },
      customer,
    };
  }
}
