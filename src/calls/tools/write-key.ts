import { createHash } from 'node:crypto';
import { ToolCallContext } from '../../vapi/vapi-tool.decorator';

/**
 * The outbox key of a tool's write: the same tool with the same arguments in the same call is the same
 * write, whatever its `toolCallId`. Models call a slow tool again with the same arguments and a new id
 * (github.com/aplisay/llm-agent/pull/176; livekit/agents#4461), and that retry must not open a second case.
 * The window is the call: within it a repeat is a retry; in another call it is a new request. Without a call
 * id only the tool call id can tell writes apart.
 */
export function writeKey(kind: string, context: ToolCallContext, args: object): string {
  return context.callId
    ? `${kind}:${context.callId}:${argumentsDigest(args)}`
    : `${kind}:${context.toolCallId}`;
}

/**
 * The write was asked for before by another tool call (a model's retry), rather than this same tool call
 * delivered twice: only then does the caller hear "I've already …". `requestedBy` is the tool call id that
 * first submitted it.
 */
export function repeatsAnEarlierRequest(
  delivery: { alreadySubmitted: boolean; payload: { requestedBy?: string } },
  context: ToolCallContext,
): boolean {
  return delivery.alreadySubmitted && delivery.payload.requestedBy !== context.toolCallId;
}

/** A digest of arguments as a person would compare them: trimmed, case and runs of whitespace ignored. */
export function argumentsDigest(args: object): string {
  return createHash('sha256')
    .update(JSON.stringify(normalised(args)))
    .digest('hex')
    .slice(0, 32);
}

function normalised(value: unknown): unknown {
  if (typeof value === 'string') return value.trim().replace(/\s+/g, ' ').toLowerCase();
  if (Array.isArray(value)) return value.map(normalised);
  if (typeof value === 'object' && value !== null) {
    return Object.fromEntries(
      Object.entries(value)
        .filter(([, inner]) => inner !== undefined)
        .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
        .map(([key, inner]) => [key, normalised(inner)]),
    );
  }
  return value;
}
