/**
 * The answers VAPI expects, per message type (OpenAPI `ServerMessageResponse*`, sent unwrapped; docs/vapi.md).
 * Only vapi/ builds them.
 */

/** One tool result exactly as VAPI reads it: single-line strings, `result` or `error`. */
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
  assistant?: Record<string, unknown>;
  error?: string;
}

export interface TransferDestinationResponse {
  destination?: { type: 'number'; number: string; message?: string };
  error?: string;
}

export type EmptyResponse = Record<string, never>;

export type WebhookResponse =
  | AssistantRequestResponse
  | ToolCallsResponse
  | FunctionCallResponse
  | TransferDestinationResponse
  | EmptyResponse;
