import type { StructuredValue } from '../vapi-events';

/** `Call.status` values in VAPI's OpenAPI document; the API may add more, so records keep a plain string. */
export const VAPI_CALL_STATUSES = [
  'scheduled',
  'queued',
  'ringing',
  'in-progress',
  'forwarding',
  'ended',
  'not-found',
  'deletion-failed',
] as const;

/** One entry of `artifact.messages` (OAS UserMessage, BotMessage, SystemMessage, ToolCallMessage, ToolCallResultMessage). */
export interface VapiCallMessage {
  /** `user`, `bot`, `system`, `tool_calls`, `tool_call_result`, … */
  role: string;
  message?: string;
  /** Epoch milliseconds. */
  time?: number;
  endTime?: number;
  secondsFromStart?: number;
  duration?: number;
  /** Tool results: the tool's name, call id and result string. */
  name?: string;
  toolCallId?: string;
  result?: string;
  /** Tool calls as VAPI sent them (OpenAI tool-call objects). */
  toolCalls?: unknown[];
}

/** What the call log needs from `GET /call/{id}`, read from wherever the current or older API puts it. */
export interface VapiCallRecord {
  id: string;
  status?: string;
  endedReason?: string;
  /** ISO 8601. */
  startedAt?: string;
  endedAt?: string;
  /** USD. */
  cost?: number;
  /** `customer.number`: the caller, E.164. Personal data. */
  customerNumber?: string;
  /** Twilio CallSid for Twilio numbers. */
  phoneCallProviderId?: string;
  /** Personal data. */
  transcript?: string;
  messages: VapiCallMessage[];
  summary?: string;
  recordingUrl?: string;
  /** `analysis.structuredData` and `artifact.structuredOutputs`, read like an end-of-call report's. */
  structured?: Record<string, StructuredValue>;
}

/** The VAPI REST resources that provisioning manages, named by their API path (`/credential`, …). */
export const VAPI_RESOURCE_KINDS = ['credential', 'phone-number', 'tool', 'assistant'] as const;
export type VapiResourceKind = (typeof VAPI_RESOURCE_KINDS)[number];

/**
 * A resource as VAPI returns it (OAS `WebhookCredential`, `TwilioPhoneNumber`, `FunctionTool`, `Assistant`):
 * its id and the rest as JSON. Provisioning compares fields it sets, so it reads them as VAPI wrote them.
 */
export type VapiResource = { readonly id: string } & Readonly<Record<string, unknown>>;

/** A create or update body (OAS `Create*DTO` / `Update*DTO`): JSON, built by the provisioning plan. */
export type VapiResourceBody = Readonly<Record<string, unknown>>;
