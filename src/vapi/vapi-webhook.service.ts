import { Injectable } from '@nestjs/common';
import { Counter, Registry } from 'prom-client';
import { InjectMetricsRegistry } from '../metrics/metrics.tokens';
import { VapiCallHandler } from './vapi-call.handler';
import {
  AssistantRequestResponse,
  EmptyResponse,
  FunctionCallResponse,
  JsonObject,
  RECORDED_EVENT_TYPES,
  RecordedEventType,
  ToolCallsResponse,
  TransferDestinationResponse,
} from './vapi-message.types';
import { readCallContext, readLegacyFunctionCall, readToolCalls } from './vapi-message.parser';
import { ToolOutcome, VapiToolRegistry } from './vapi-tool.registry';

export type WebhookResponse =
  | AssistantRequestResponse
  | ToolCallsResponse
  | FunctionCallResponse
  | TransferDestinationResponse
  | EmptyResponse;

const isRecordedEvent = (type: string): type is RecordedEventType =>
  (RECORDED_EVENT_TYPES as readonly string[]).includes(type);

/** Routes one server message to its handler and shapes the answer VAPI expects for that type. */
@Injectable()
export class VapiWebhookService {
  private readonly toolCalls: Counter;

  constructor(
    private readonly tools: VapiToolRegistry,
    private readonly calls: VapiCallHandler,
    @InjectMetricsRegistry() registry: Registry,
  ) {
    this.toolCalls =
      (registry.getSingleMetric('vapi_tool_calls_total') as Counter | undefined) ??
      new Counter({
        name: 'vapi_tool_calls_total',
        help: 'Tool calls by tool and outcome',
        labelNames: ['tool', 'outcome'],
        registers: [registry],
      });
  }

  /** Tool names come from the payload: unknown ones share one label so the series count stays bounded. */
  private count(name: string, outcome: ToolOutcome): void {
    this.toolCalls.inc({ tool: outcome === 'unknown_tool' ? 'unknown' : name, outcome });
  }

  async handle(type: string, message: JsonObject): Promise<WebhookResponse> {
    const context = readCallContext(message);
    switch (type) {
      case 'assistant-request':
        return this.calls.assistantRequest(message, context);
      case 'tool-calls': {
        // Calls of one message are independent by VAPI's design; run them together, answer in call order.
        const runs = await Promise.all(readToolCalls(message).map((call) => this.tools.run(call, context)));
        for (const run of runs) this.count(run.result.name, run.outcome);
        return { results: runs.map((run) => run.result) };
      }
      case 'function-call': {
        const call = readLegacyFunctionCall(message);
        if (!call) return { result: '' };
        const run = await this.tools.run(call, context);
        this.count(call.name, run.outcome);
        return { result: run.result.result ?? run.result.error ?? '' };
      }
      case 'transfer-destination-request':
        return this.calls.transferDestination(message, context);
      default:
        if (isRecordedEvent(type)) await this.calls.recordEvent(type, message, context);
        return {};
    }
  }
}
