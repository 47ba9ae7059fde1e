/**
 * A server message as the rest of the service sees it: typed, read once per request by vapi-message.parser.ts.
 * Nothing outside `vapi/` reads VAPI JSON; the call workflow receives these events and answers in the terms of
 * vapi-call.handler.ts.
 */

/** Who and which call a message is about, wherever the message carries it. */
export interface CallRef {
  callId?: string;
  customerNumber?: string;
  /** Twilio CallSid (`call.phoneCallProviderId`). */
  twilioCallSid?: string;
  /** Live Call Control URL of the call (`call.monitor.controlUrl`), when VAPI gave one. */
  controlUrl?: string;
}

export interface ToolCallRequest {
  /** Empty only for the legacy `function-call` message, which carries no id. */
  id: string;
  name: string;
  arguments: Record<string, unknown>;
  /** Set when the arguments could not be read (e.g. a JSON string that does not parse). */
  argumentsError?: string;
}

/** What an end-of-call report (either shape) tells about the call. */
export interface CallReport {
  transcript?: string;
  summary?: string;
  endedReason?: string;
  startedAt?: string;
  endedAt?: string;
  recordingUrl?: string;
  /**
   * Fields VAPI extracted from the call, as scalars by name: `analysis.structuredData`'s top-level fields, and
   * each `artifact.structuredOutputs` entry (`{name, result}`) — its result by name, or an object result's
   * top-level fields.
   */
  structured?: Record<string, StructuredValue>;
}

export type StructuredValue = string | number | boolean;

/** One turn's latencies in milliseconds (`artifact.performanceMetrics.turnLatencies[]`). */
export interface TurnLatency {
  model?: number;
  voice?: number;
  transcriber?: number;
  endpointing?: number;
  turn?: number;
}

/** Messages the call workflow stores something from before they are acknowledged. */
export type RecordedEvent =
  | { type: 'status-update'; call: CallRef; status?: string; endedReason?: string }
  /** `final` is false for partial transcripts. The words arrive whole in the end-of-call report. */
  | { type: 'transcript'; call: CallRef; final: boolean }
  | { type: 'end-of-call-report'; call: CallRef; report: CallReport; turnLatencies: TurnLatency[] }
  | { type: 'hang'; call: CallRef }
  | { type: 'transfer-update'; call: CallRef; hasDestination: boolean };

export type VapiEvent =
  | { type: 'assistant-request'; call: CallRef }
  | { type: 'tool-calls'; call: CallRef; toolCalls: ToolCallRequest[] }
  | { type: 'function-call'; call: CallRef; toolCall?: ToolCallRequest }
  | { type: 'transfer-destination-request'; call: CallRef }
  /** `question`: the caller's last words before the request ('' when the message holds none). */
  | { type: 'knowledge-base-request'; call: CallRef; question: string }
  | RecordedEvent
  /** Any other type, known or not: acknowledged with `{}`. `label` is bounded for metrics. */
  | { type: 'acknowledged'; call: CallRef; label: string };
