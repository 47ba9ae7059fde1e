/**
 * The parts of VAPI server messages this service reads, typed loosely on purpose: real payloads differ from the
 * official schema (docs/vapi.md, "Where fields are read from"), VAPI adds fields, and nothing here may
 * reject a message for a field it does not know. Every read goes through the accessors in vapi-message.parser.ts.
 */
export type JsonObject = Record<string, unknown>;

/** Message types that need an answer (docs/vapi.md); everything else is acknowledged with `{}`. */
export const ANSWERED_MESSAGE_TYPES = [
  'assistant-request',
  'tool-calls',
  'function-call',
  'transfer-destination-request',
] as const;
export type AnsweredMessageType = (typeof ANSWERED_MESSAGE_TYPES)[number];

/** Informational messages the call workflow consumes (the others are acknowledged and dropped). */
export const RECORDED_EVENT_TYPES = [
  'status-update',
  'end-of-call-report',
  'transcript',
  'transcript[transcriptType="final"]',
  'hang',
  'transfer-update',
] as const;
export type RecordedEventType = (typeof RECORDED_EVENT_TYPES)[number];

export interface VapiCallContext {
  callId?: string;
  customerNumber?: string;
  /** Twilio CallSid (`call.phoneCallProviderId`). */
  phoneCallProviderId?: string;
}

export interface NormalisedToolCall {
  /** Empty only for the legacy `function-call` message, which carries no id. */
  id: string;
  name: string;
  arguments: JsonObject;
  /** Set when the arguments could not be read (e.g. a JSON string that does not parse). */
  argumentsError?: string;
}

/** One tool result exactly as VAPI expects it: single-line strings, `result` or `error`. */
export interface ToolCallResult {
  toolCallId: string;
  name: string;
  result?: string;
  error?: string;
}

export interface ToolCallsResponse {
  results: ToolCallResult[];
}

export interface FunctionCallResponse {
  result: string;
}

export interface AssistantRequestResponse {
  assistantId?: string;
  assistantOverrides?: { variableValues?: Record<string, string | number | boolean> };
  assistant?: JsonObject;
  error?: string;
}

export interface TransferDestinationResponse {
  destination?: { type: 'number'; number: string; message?: string };
  message?: { type: 'request-start'; content: string };
  error?: string;
}

export type EmptyResponse = Record<string, never>;
