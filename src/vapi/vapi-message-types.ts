/**
 * Every VAPI server message type this service knows, with what it does about it. The one list: parsing, the
 * transient assistant's `serverMessages`, metric labels and the OpenAPI description all read it.
 *
 * - `answered`: VAPI waits for a shaped answer (docs/vapi.md, "Messages and answers").
 * - `recorded`: the call workflow stores something from it before it is acknowledged.
 * - `subscribed`: listed in the transient assistant's `serverMessages`. VAPI's default set includes chatty
 *   messages we would only acknowledge, and leaves out transcripts.
 */
export const VAPI_MESSAGE_TYPES = {
  'assistant-request': { answered: true, recorded: false, subscribed: false },
  'tool-calls': { answered: true, recorded: false, subscribed: true },
  'function-call': { answered: true, recorded: false, subscribed: false },
  'transfer-destination-request': { answered: true, recorded: false, subscribed: true },
  /** Sent only to an assistant whose knowledgeBase is `custom-knowledge-base` (docs/vapi.md, "Knowledge"). */
  'knowledge-base-request': { answered: true, recorded: false, subscribed: false },
  'status-update': { answered: false, recorded: true, subscribed: true },
  'end-of-call-report': { answered: false, recorded: true, subscribed: true },
  transcript: { answered: false, recorded: true, subscribed: false },
  'transcript[transcriptType="final"]': { answered: false, recorded: true, subscribed: true },
  hang: { answered: false, recorded: true, subscribed: true },
  'transfer-update': { answered: false, recorded: true, subscribed: false },
  'conversation-update': { answered: false, recorded: false, subscribed: false },
  'speech-update': { answered: false, recorded: false, subscribed: false },
  'user-interrupted': { answered: false, recorded: false, subscribed: false },
  'model-output': { answered: false, recorded: false, subscribed: false },
} as const satisfies Record<string, { answered: boolean; recorded: boolean; subscribed: boolean }>;

export type VapiMessageType = keyof typeof VAPI_MESSAGE_TYPES;

export function isKnownMessageType(type: string): type is VapiMessageType {
  return Object.prototype.hasOwnProperty.call(VAPI_MESSAGE_TYPES, type);
}

function typesWhere(flag: 'answered' | 'recorded' | 'subscribed'): VapiMessageType[] {
  return (Object.keys(VAPI_MESSAGE_TYPES) as VapiMessageType[]).filter(
    (type) => VAPI_MESSAGE_TYPES[type][flag],
  );
}

export const ANSWERED_MESSAGE_TYPES = typesWhere('answered');
export const RECORDED_MESSAGE_TYPES = typesWhere('recorded');
/** The transient assistant's `serverMessages`: exactly what this service acts on. */
export const SUBSCRIBED_MESSAGE_TYPES = typesWhere('subscribed');
