import { Injectable } from '@nestjs/common';
import { ToolResultStore } from '../vapi/tool-result.store';
import { ToolCallResult } from '../vapi/vapi-responses';
import { CallsRepository } from './calls.repository';

@Injectable()
export class CallsToolResultStore extends ToolResultStore {
  constructor(private readonly calls: CallsRepository) {
    super();
  }

  find(toolCallId: string, callId: string | undefined): Promise<ToolCallResult | undefined> {
    return this.calls.findToolResult(toolCallId, callId);
  }

  save(result: ToolCallResult, callId: string | undefined): Promise<void> {
    return this.calls.saveToolResult(result, callId, Date.now());
  }
}
