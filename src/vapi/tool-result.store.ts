import { ToolCallResult } from './vapi-responses';

/**
 * Remembers the answer given to each tool call id, so a tool call delivered twice is answered with the first
 * result and causes no new writes (VAPI duplicates deliveries: backoff plans, platform bugs).
 */
export abstract class ToolResultStore {
  abstract find(toolCallId: string): Promise<ToolCallResult | undefined>;
  abstract save(result: ToolCallResult, callId: string | undefined): Promise<void>;
}
