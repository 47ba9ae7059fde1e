import { Inject, Injectable, Logger } from '@nestjs/common';
import { Counter, Histogram, Registry } from 'prom-client';
import { InjectMetricsRegistry } from '../metrics/metrics.tokens';
import { AssistantResponseBuilder } from './assistant-response.builder';
import { CallerVoice } from './caller-voice';
import { VapiCallHandler, WarmTransfer } from './vapi-call.handler';
import { CallRef, ToolCallRequest, VapiEvent } from './vapi-events';
import { toSingleLine } from './vapi-message.parser';
import { vapiConfig, VapiConfig } from './vapi.config';
import { VapiErrorCode } from './vapi.errors';
import { beforeDeadline, mapWithConcurrency } from './tool-call-bounds';
import {
  KnowledgeBaseResponse,
  TransferDestinationResponse,
  VapiTransferPlan,
  WebhookResponse,
} from './vapi-responses';
import { ToolOutcome, ToolRun, VapiToolRegistry } from './vapi-tool.registry';

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
  private readonly logger = new Logger(VapiWebhookService.name);
  private readonly toolCalls: Counter;
  private readonly toolDuration: Histogram;
  private readonly bounds: VapiConfig['toolBounds'];

  constructor(
    private readonly tools: VapiToolRegistry,
    private readonly calls: VapiCallHandler,
    private readonly voice: CallerVoice,
    private readonly assistants: AssistantResponseBuilder,
    @InjectMetricsRegistry() registry: Registry,
    @Inject(vapiConfig.KEY) config: VapiConfig,
  ) {
    this.bounds = config.toolBounds;
    this.toolDuration =
      (registry.getSingleMetric('vapi_tool_call_duration_seconds') as Histogram | undefined) ??
      new Histogram({
        name: 'vapi_tool_call_duration_seconds',
        help: 'Time from a tool call being started to its answer, by tool and outcome',
        labelNames: ['tool', 'outcome'],
        buckets: [0.01, 0.05, 0.1, 0.25, 0.5, 1, 2, 5, 10, 15, 20],
        registers: [registry],
      });
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
  private toolLabel(name: string): string {
    return this.tools.knows(name) ? name : 'unknown';
  }

  private count(name: string, outcome: ToolOutcome, amount = 1): void {
    this.toolCalls.inc({ tool: this.toolLabel(name), outcome }, amount);
  }

  /**
   * One tool call, answered by the message's deadline: a run still going then is answered with a fallback and
   * left to finish (what it stores is kept, and a repeated delivery gets its real answer). One log line each,
   * without the arguments.
   */
  private async runBounded(call: ToolCallRequest, ref: CallRef, deadlineMs: number): Promise<ToolRun> {
    const startedMs = Date.now();
    const run = await beforeDeadline(
      () => this.tools.run(call, ref),
      deadlineMs,
      () => this.tools.refuse(call, VapiErrorCode.TOOL_DEADLINE, 'deadline'),
    );
    const tool = this.toolLabel(call.name);
    const durationMs = Date.now() - startedMs;
    this.count(call.name, run.outcome);
    this.toolDuration.observe({ tool, outcome: run.outcome }, durationMs / 1000);
    this.logger.log({ event: 'tool_call', tool, outcome: run.outcome, durationMs }, 'tool call answered');
    return run;
  }

  private async runToolCalls(calls: ToolCallRequest[], ref: CallRef): Promise<ToolRun[]> {
    // VAPI's timeout covers the whole request, so the deadline runs from the message's arrival.
    const deadlineMs = Date.now() + this.bounds.deadlineMs;
    const admitted = calls.slice(0, this.bounds.maxCallsPerMessage);
    const surplus = calls.slice(this.bounds.maxCallsPerMessage);
    const runs = await mapWithConcurrency(admitted, this.bounds.concurrency, (call) =>
      this.runBounded(call, ref, deadlineMs),
    );
    if (surplus.length === 0) return runs;
    const refused = surplus.map((call) =>
      this.tools.refuse(call, VapiErrorCode.TOO_MANY_TOOL_CALLS, 'over_limit'),
    );
    for (const call of surplus) this.count(call.name, 'over_limit');
    this.logger.warn(
      { event: 'tool_calls_over_limit', refused: surplus.length, limit: this.bounds.maxCallsPerMessage },
      'tool calls beyond the per-message limit answered without running',
    );
    return [...runs, ...refused];
  }

  async handle(event: VapiEvent): Promise<WebhookResponse> {
    switch (event.type) {
      case 'assistant-request':
        return this.assistants.build(await this.calls.assistantFor(event.call), this.tools.definitions());
      case 'tool-calls': {
        // Calls of one message are independent by VAPI's design; run a few together, answer in call order.
        const runs = await this.runToolCalls(event.toolCalls, event.call);
        return { results: runs.map((run) => run.result) };
      }
      case 'function-call': {
        if (!event.toolCall) return { result: '' };
        const deadlineMs = Date.now() + this.bounds.deadlineMs;
        const run = await this.runBounded(event.toolCall, event.call, deadlineMs);
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
