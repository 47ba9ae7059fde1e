import { ToolCallResult } from './vapi-responses';

/**
 * Remembers the answer given to each tool call of each call, so a tool call delivered twice is answered with the
 * first result and causes no new writes (VAPI duplicates deliveries: backoff plans, platform bugs). Keyed by the
 * call and the tool call id: ids are only unique within a call, and another call reusing one must not get this
 * call's answer.
 */
export abstract class ToolResultStore {
  abstract find(toolCallId: string, callId: string | undefined): Promise<ToolCallResult | undefined>;
  abstract save(result: ToolCallResult, callId: string | undefined): Promise<void>;
}
