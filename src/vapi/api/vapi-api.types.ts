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
}
