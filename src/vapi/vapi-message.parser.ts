import { CallRef, CallReport, StructuredValue, ToolCallRequest, TurnLatency, VapiEvent } from './vapi-events';
import { isKnownMessageType } from './vapi-message-types';
import { MalformedEnvelopeException } from './vapi.errors';

/*
 * The one place that reads VAPI JSON. Payloads are typed loosely on purpose: real ones differ from the official
 * schema, VAPI adds fields, and nothing here may reject a message for a field it does not know (docs/vapi.md,
 * "Where fields are read from").
 */

type JsonObject = Record<string, unknown>;

export function isObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

const objectAt = (value: unknown): JsonObject => (isObject(value) ? value : {});

const stringAt = (value: unknown): string | undefined =>
  typeof value === 'string' && value.length > 0 ? value : undefined;

/**
 * Longest id or tool name read from a message. VAPI's ids are UUIDs and OpenAI's tool-call ids about 30
 * characters; a longer one is refused (400) before it reaches the store, the logs or an answer.
 */
export const MAX_ID_LENGTH = 256;

/** A string id, refused when longer than {@link MAX_ID_LENGTH}. */
function idAt(value: unknown, field: string): string | undefined {
  const id = stringAt(value);
  if (id !== undefined && id.length > MAX_ID_LENGTH) {
    throw new MalformedEnvelopeException(`${field} is longer than ${MAX_ID_LENGTH} characters`);
  }
  return id;
}

/** A message as parsed once per request: the typed event, and its type as a bounded metric label. */
export interface ParsedMessage {
  event: VapiEvent;
  /** The message type when it is one we know, `other` otherwise (types come from the payload). */
  label: string;
}

/** Reads a webhook body; throws `MalformedEnvelopeException` when it is not `{message: {type: "…"}}`. */
export function parseWebhookBody(body: unknown): ParsedMessage {
  if (!isObject(body)) throw new MalformedEnvelopeException('body must be a JSON object');
  const message = body.message;
  if (!isObject(message)) throw new MalformedEnvelopeException('message must be an object');
  const type = message.type;
  if (typeof type !== 'string' || type.length === 0) {
    throw new MalformedEnvelopeException('message.type must be a non-empty string');
  }
  const label = isKnownMessageType(type) ? type : 'other';
  return { event: toEvent(type, message, readCallRef(message), label), label };
}

/**
 * The metric label of a body that was refused before it was parsed into an event: its known type, `other`,
 * or `invalid` when it has none.
 */
export function messageTypeLabel(body: unknown): string {
  const type = isObject(body) && isObject(body.message) ? body.message.type : undefined;
  if (typeof type !== 'string' || type.length === 0) return 'invalid';
  return isKnownMessageType(type) ? type : 'other';
}

function toEvent(type: string, message: JsonObject, call: CallRef, label: string): VapiEvent {
  switch (type) {
    case 'assistant-request':
      return { type, call };
    case 'tool-calls':
      return { type, call, toolCalls: readToolCalls(message) };
    case 'function-call':
      return { type, call, toolCall: readLegacyFunctionCall(message) };
    case 'transfer-destination-request':
      return { type, call };
    case 'knowledge-base-request':
      return { type, call, question: readLastUserWords(message) };
    case 'status-update':
      return { type, call, status: stringAt(message.status), endedReason: stringAt(message.endedReason) };
    case 'transcript':
    case 'transcript[transcriptType="final"]':
      return { type: 'transcript', call, final: message.transcriptType === 'final' };
    case 'end-of-call-report':
      return {
        type,
        call,
        report: readEndOfCallReport(message),
        turnLatencies: readTurnLatencies(message),
      };
    case 'hang':
      return { type, call };
    case 'transfer-update':
      return { type, call, hasDestination: isObject(message.destination) };
    default:
      return { type: 'acknowledged', call, label };
  }
}

/**
 * The caller's last words in a `knowledge-base-request`: the last `user` entry of `messagesOpenAIFormatted`
 * (required by the schema, `{role, content}`), else of `messages` (`{role, message}`).
 */
function readLastUserWords(message: JsonObject): string {
  for (const [list, field] of [
    [message.messagesOpenAIFormatted, 'content'],
    [message.messages, 'message'],
  ] as const) {
    if (!Array.isArray(list)) continue;
    for (let index = list.length - 1; index >= 0; index--) {
      const entry = objectAt(list[index]);
      const words = entry.role === 'user' ? (stringAt(entry[field]) ?? stringAt(entry.content)) : undefined;
      if (words) return words.slice(0, 2000);
    }
  }
  return '';
}

/** Caller number, call id and Twilio CallSid, wherever the message carries them. */
function readCallRef(message: JsonObject): CallRef {
  const call = objectAt(message.call);
  return {
    callId: idAt(call.id, 'call.id'),
    customerNumber:
      idAt(objectAt(call.customer).number, 'customer.number') ??
      idAt(objectAt(message.customer).number, 'customer.number'),
    twilioCallSid:
      idAt(call.phoneCallProviderId, 'call.phoneCallProviderId') ??
      idAt(objectAt(call.transport).callSid, 'call.transport.callSid'),
    controlUrl: stringAt(objectAt(call.monitor).controlUrl),
  };
}

function readArguments(raw: unknown): { args: JsonObject; error?: string } {
  if (raw === undefined || raw === null || raw === '') return { args: {} };
  if (isObject(raw)) return { args: raw };
  if (typeof raw === 'string') {
    try {
      const parsed: unknown = JSON.parse(raw);
      if (isObject(parsed)) return { args: parsed };
    } catch {
      // fall through: reported as an unreadable argument list, which the tool answers with a question
    }
    return { args: {}, error: 'arguments are not a JSON object' };
  }
  return { args: {}, error: 'arguments are not an object' };
}

function normaliseOne(entry: unknown): ToolCallRequest | undefined {
  if (!isObject(entry)) return undefined;
  const fn = objectAt(entry.function);
  const id = idAt(entry.id, 'toolCallId') ?? idAt(entry.toolCallId, 'toolCallId');
  const name = idAt(fn.name, 'tool name') ?? idAt(entry.name, 'tool name');
  if (!id) return undefined;
  const { args, error } = readArguments(fn.arguments ?? entry.arguments ?? entry.parameters ?? fn.parameters);
  return { id, name: name ?? '', arguments: args, ...(error ? { argumentsError: error } : {}) };
}

/**
 * The tool calls of a `tool-calls` message. Exactly one list is read — `toolCallList`, else
 * `toolWithToolCallList[].toolCall`, else the legacy `toolCalls` — because real payloads carry the same call in
 * all three and reading more than one would run a tool twice. Entries without an id cannot be answered
 * (VAPI matches results by `toolCallId`) and are skipped; so is a second entry with an id already seen.
 */
export function readToolCalls(message: JsonObject): ToolCallRequest[] {
  let entries: unknown[] = [];
  if (Array.isArray(message.toolCallList) && message.toolCallList.length > 0) {
    entries = message.toolCallList;
  } else if (Array.isArray(message.toolWithToolCallList) && message.toolWithToolCallList.length > 0) {
    entries = message.toolWithToolCallList.map((item) => (isObject(item) ? item.toolCall : undefined));
  } else if (Array.isArray(message.toolCalls)) {
    entries = message.toolCalls;
  }
  const seen = new Set<string>();
  const calls: ToolCallRequest[] = [];
  for (const entry of entries) {
    const call = normaliseOne(entry);
    if (!call || seen.has(call.id)) continue;
    seen.add(call.id);
    calls.push(call);
  }
  return calls;
}

/** The legacy `function-call` message: `message.functionCall = {name, parameters}`, answered `{result}`. */
function readLegacyFunctionCall(message: JsonObject): ToolCallRequest | undefined {
  const fn = isObject(message.functionCall) ? message.functionCall : undefined;
  if (!fn) return undefined;
  const { args, error } = readArguments(fn.parameters ?? fn.arguments);
  return {
    id: '',
    name: idAt(fn.name, 'functionCall.name') ?? '',
    arguments: args,
    ...(error ? { argumentsError: error } : {}),
  };
}

/**
 * An end-of-call report in its current shape (`artifact`, `analysis`) and the older one with transcript,
 * summary and recording at the top level. Also the shape of a call fetched from the VAPI API.
 */
export function readEndOfCallReport(message: JsonObject): CallReport {
  const artifact = objectAt(message.artifact);
  const analysis = objectAt(message.analysis);
  const mono = objectAt(objectAt(artifact.recording).mono);
  return {
    transcript: stringAt(artifact.transcript) ?? stringAt(message.transcript),
    summary: stringAt(analysis.summary) ?? stringAt(message.summary),
    endedReason: stringAt(message.endedReason),
    startedAt: stringAt(message.startedAt),
    endedAt: stringAt(message.endedAt),
    recordingUrl:
      stringAt(mono.combinedUrl) ?? stringAt(artifact.recordingUrl) ?? stringAt(message.recordingUrl),
    ...withStructured(readStructured(analysis.structuredData, artifact.structuredOutputs)),
  };
}

const MAX_STRUCTURED_FIELDS = 50;

const scalarAt = (value: unknown): StructuredValue | undefined =>
  typeof value === 'string' ||
  typeof value === 'boolean' ||
  (typeof value === 'number' && Number.isFinite(value))
    ? value
    : undefined;

function scalarFields(value: unknown, into: Record<string, StructuredValue>): void {
  for (const [key, field] of Object.entries(objectAt(value))) {
    const scalar = scalarAt(field);
    if (scalar !== undefined) into[key] = scalar;
  }
}

/**
 * `analysis.structuredData` first, then structured outputs (VAPI's current way), which win on a clash. Also
 * read from a call fetched from the VAPI API (same `artifact` and `analysis`).
 */
export function readStructured(
  structuredData: unknown,
  structuredOutputs: unknown,
): Record<string, StructuredValue> {
  const fields: Record<string, StructuredValue> = {};
  scalarFields(structuredData, fields);
  for (const output of Object.values(objectAt(structuredOutputs))) {
    const { name, result } = objectAt(output);
    const scalar = scalarAt(result);
    if (typeof name === 'string' && name.length > 0 && scalar !== undefined) fields[name] = scalar;
    else scalarFields(result, fields);
  }
  return Object.fromEntries(Object.entries(fields).slice(0, MAX_STRUCTURED_FIELDS));
}

const withStructured = (fields: Record<string, StructuredValue>) =>
  Object.keys(fields).length > 0 ? { structured: fields } : {};

const numberAt = (value: unknown): number | undefined =>
  typeof value === 'number' && Number.isFinite(value) && value >= 0 ? value : undefined;

/** `artifact.performanceMetrics.turnLatencies` (OpenAPI `PerformanceMetrics`, `TurnLatency`), in ms. */
function readTurnLatencies(message: JsonObject): TurnLatency[] {
  const turns = objectAt(objectAt(message.artifact).performanceMetrics).turnLatencies;
  if (!Array.isArray(turns)) return [];
  return turns.slice(0, 1000).map((entry) => {
    const turn = objectAt(entry);
    return {
      model: numberAt(turn.modelLatency),
      voice: numberAt(turn.voiceLatency),
      transcriber: numberAt(turn.transcriberLatency),
      endpointing: numberAt(turn.endpointingLatency),
      turn: numberAt(turn.turnLatency),
    };
  });
}

/** VAPI requires single-line strings in tool results: line breaks break its parser. */
export function toSingleLine(text: string): string {
  return text
    .replace(/[\r\n\u2028\u2029]+/g, ' ')
    .replace(/\s{2,}/g, ' ')
    .trim();
}
