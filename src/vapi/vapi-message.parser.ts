import { JsonObject, NormalisedToolCall, VapiCallContext } from './vapi-message.types';

export function isObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

const stringAt = (value: unknown): string | undefined =>
  typeof value === 'string' && value.length > 0 ? value : undefined;

/** Caller number, call id and Twilio CallSid, wherever the message carries them. */
export function readCallContext(message: JsonObject): VapiCallContext {
  const call = isObject(message.call) ? message.call : {};
  const callCustomer = isObject(call.customer) ? call.customer : {};
  const customer = isObject(message.customer) ? message.customer : {};
  const transport = isObject(call.transport) ? call.transport : {};
  return {
    callId: stringAt(call.id),
    customerNumber: stringAt(callCustomer.number) ?? stringAt(customer.number),
    phoneCallProviderId: stringAt(call.phoneCallProviderId) ?? stringAt(transport.callSid),
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

function normaliseOne(entry: unknown): NormalisedToolCall | undefined {
  if (!isObject(entry)) return undefined;
  const fn = isObject(entry.function) ? entry.function : {};
  const id = stringAt(entry.id) ?? stringAt(entry.toolCallId);
  const name = stringAt(fn.name) ?? stringAt(entry.name);
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
export function readToolCalls(message: JsonObject): NormalisedToolCall[] {
  let entries: unknown[] = [];
  if (Array.isArray(message.toolCallList) && message.toolCallList.length > 0) {
    entries = message.toolCallList;
  } else if (Array.isArray(message.toolWithToolCallList) && message.toolWithToolCallList.length > 0) {
    entries = message.toolWithToolCallList.map((item) => (isObject(item) ? item.toolCall : undefined));
  } else if (Array.isArray(message.toolCalls)) {
    entries = message.toolCalls;
  }
  const seen = new Set<string>();
  const calls: NormalisedToolCall[] = [];
  for (const entry of entries) {
    const call = normaliseOne(entry);
    if (!call || seen.has(call.id)) continue;
    seen.add(call.id);
    calls.push(call);
  }
  return calls;
}

/** The legacy `function-call` message: `message.functionCall = {name, parameters}`, answered `{result}`. */
export function readLegacyFunctionCall(message: JsonObject): NormalisedToolCall | undefined {
  const fn = isObject(message.functionCall) ? message.functionCall : undefined;
  if (!fn) return undefined;
  const name = stringAt(fn.name) ?? '';
  const { args, error } = readArguments(fn.parameters ?? fn.arguments);
  return { id: '', name, arguments: args, ...(error ? { argumentsError: error } : {}) };
}

/** VAPI requires single-line strings in tool results: line breaks break its parser. */
export function toSingleLine(text: string): string {
  return text
    .replace(/[\r\n\u2028\u2029]+/g, ' ')
    .replace(/\s{2,}/g, ' ')
    .trim();
}
