import type { ToolName } from '../../src/calls/tools/tool-catalogue';
import type { ToolSpeech } from '../../src/vapi/vapi-call.handler';
import { vapiSchemaErrors } from './vapi-openapi';

/** Each kind of tool message and the schema of its own (OAS ToolMessage*): CreateFunctionToolDTO's union is loose. */
const MESSAGE_SCHEMA: Record<string, string> = {
  'request-start': 'ToolMessageStart',
  'request-response-delayed': 'ToolMessageDelayed',
  'request-failed': 'ToolMessageFailed',
};

export interface ToolWithMessages {
  function?: { name: string };
  messages?: { type: string; content: string }[];
}

/**
 * Asserts that every function tool carries the three messages VAPI speaks while it runs, worded from `byTool` of
 * one sentence table (start not blocking, delayed after 3 s, failed), each valid against its own schema.
 */
export function expectToolMessagesFrom(
  tools: ToolWithMessages[],
  byTool: Record<ToolName, ToolSpeech>,
): void {
  for (const tool of tools) {
    const name = tool.function?.name as ToolName;
    const words = byTool[name];
    expect(tool.messages).toEqual([
      { type: 'request-start', content: words.start, blocking: false },
      { type: 'request-response-delayed', content: words.delayed, timingMilliseconds: 3000 },
      { type: 'request-failed', content: words.failed },
    ]);
    for (const message of tool.messages ?? []) {
      expect([name, vapiSchemaErrors(MESSAGE_SCHEMA[message.type], message)]).toEqual([name, []]);
    }
  }
}
