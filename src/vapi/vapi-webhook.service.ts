import { Injectable } from '@nestjs/common';
import { Counter, Registry } from 'prom-client';
import { InjectMetricsRegistry } from '../metrics/metrics.tokens';
import { AssistantResponseBuilder } from './assistant-response.builder';
import { CallerVoice } from './caller-voice';
import { VapiCallHandler, WarmTransfer } from './vapi-call.handler';
import { VapiEvent } from './vapi-events';
import { toSingleLine } from './vapi-message.parser';
import {
  KnowledgeBaseResponse,
  TransferDestinationResponse,
  VapiTransferPlan,
  WebhookResponse,
} from './vapi-responses';
import { ToolOutcome, VapiToolRegistry } from './vapi-tool.registry';

/** A warm transfer in VAPI's terms (docs/vapi.md, "Transfers"). */
function transferPlanOf(warm: WarmTransfer): VapiTransferPlan {
  const fallbackPlan = { message: warm.notAnswered, endCallEnabled: false };
  switch (warm.style) {
    case 'message':
      return { mode: 'warm-transfer-say-message', message: warm.message, fallbackPlan };
    case 'summary':
      return {
        mode: 'warm-transfer-say-summary',
        summaryPlan: {
          enabled: true,
          messages: [
            { role: 'system', content: warm.summaryInstructions },
            // {{transcript}} is a SummaryPlan template variable VAPI fills in (OpenAPI `SummaryPlan.messages`).
            { role: 'user', content: 'Here is the transcript:\n\n{{transcript}}' },
          ],
        },
        fallbackPlan,
      };
  }
}

/** Routes one parsed event to the call workflow and shapes the answer VAPI expects for its type. */
@Injectable()
export class VapiWebhookService {
  private readonly toolCalls: Counter;

  constructor(
    private readonly tools: VapiToolRegistry,
    private readonly calls: VapiCallHandler,
    private readonly voice: CallerVoice,
    private readonly assistants: AssistantResponseBuilder,
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

  async handle(event: VapiEvent): Promise<WebhookResponse> {
    switch (event.type) {
      case 'assistant-request':
        return this.assistants.build(await this.calls.assistantFor(event.call), this.tools.definitions());
      case 'tool-calls': {
        // Calls of one message are independent by VAPI's design; run them together, answer in call order.
        const runs = await Promise.all(event.toolCalls.map((call) => this.tools.run(call, event.call)));
        for (const run of runs) this.count(run.result.name, run.outcome);
        return { results: runs.map((run) => run.result) };
      }
      case 'function-call': {
        if (!event.toolCall) return { result: '' };
        const run = await this.tools.run(event.toolCall, event.call);
        this.count(event.toolCall.name, run.outcome);
        return { result: run.result.result ?? run.result.error ?? '' };
      }
      case 'transfer-destination-request': {
        const plan = await this.calls.transferFor(event.call);
        if (plan.kind !== 'transfer') return { error: toSingleLine(plan.message) };
        return {
          destination: {
            type: 'number',
            number: plan.number,
            message: plan.message,
            ...(plan.warm ? { transferPlan: transferPlanOf(plan.warm) } : {}),
          },
        } satisfies TransferDestinationResponse;
      }
      case 'knowledge-base-request': {
        const documents = await this.calls.knowledgeFor(event.call, event.question);
        return {
          documents: documents.map((document) => ({
            content: document.content,
            similarity: document.similarity,
            uuid: document.id,
          })),
        } satisfies KnowledgeBaseResponse;
      }
      case 'status-update':
      case 'transcript':
      case 'end-of-call-report':
      case 'hang':
      case 'transfer-update':
        await this.calls.record(event);
        return {};
      case 'acknowledged':
        return {};
    }
  }

  /**
   * The answer when handling `event` failed: still in the shape of its type, with a spoken sentence, so the
   * caller hears something instead of silence. Synchronous and free of I/O.
   */
  fallback(event: VapiEvent, error: unknown): WebhookResponse {
    const spoken = toSingleLine(this.voice.failure(error));
    switch (event.type) {
      case 'tool-calls':
        return {
          results: event.toolCalls.map((call) => ({ toolCallId: call.id, name: call.name, error: spoken })),
        };
      case 'function-call':
        return { result: spoken };
      case 'assistant-request':
        return this.assistants.build(this.calls.fallbackAssistant(), this.tools.definitions());
      case 'transfer-destination-request':
        return { error: spoken };
      case 'knowledge-base-request':
        // No documents: the model answers without them (and its prompt says to offer a case or a colleague).
        return { documents: [] };
      case 'status-update':
      case 'transcript':
      case 'end-of-call-report':
      case 'hang':
      case 'transfer-update':
      case 'acknowledged':
        return {};
    }
  }
}
