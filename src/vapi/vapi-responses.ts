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

/** OpenAPI `TransferPlan` (the warm modes this service uses) with its `SummaryPlan` and `TransferFallbackPlan`. */
export interface VapiTransferPlan {
  mode: 'warm-transfer-say-message' | 'warm-transfer-say-summary';
  message?: string;
  summaryPlan?: { enabled: boolean; messages: { role: 'system' | 'user'; content: string }[] };
  fallbackPlan: { message: string; endCallEnabled: boolean };
}

export interface TransferDestinationResponse {
  destination?: { type: 'number'; number: string; message?: string; transferPlan?: VapiTransferPlan };
  error?: string;
}

/** OpenAPI `ServerMessageResponseKnowledgeBaseRequest` with `KnowledgeBaseResponseDocument`s. */
export interface KnowledgeBaseResponse {
  documents: { content: string; similarity: number; uuid?: string }[];
}

export type EmptyResponse = Record<string, never>;

export type WebhookResponse =
  | AssistantRequestResponse
  | ToolCallsResponse
  | FunctionCallResponse
  | TransferDestinationResponse
  | KnowledgeBaseResponse
  | EmptyResponse;
