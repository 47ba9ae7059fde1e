import { Injectable, Logger, OnModuleInit } from '@nestjs/common';
import { DiscoveryService, Reflector } from '@nestjs/core';
import { plainToInstance } from 'class-transformer';
import { ValidationError, validate } from 'class-validator';
import { CallerVoice } from './caller-voice';
import { CallRef, ToolCallRequest } from './vapi-events';
import { toSingleLine } from './vapi-message.parser';
import { ToolCallResult } from './vapi-responses';
import { VapiErrorCode } from './vapi.errors';
import { ToolResultStore } from './tool-result.store';
import { VAPI_TOOL_METADATA, VapiToolDefinition, VapiToolHandler } from './vapi-tool.decorator';

interface RegisteredTool {
  definition: VapiToolDefinition;
  handler: VapiToolHandler;
}

export type ToolOutcome =
  | 'ok'
  | 'invalid_arguments'
  | 'unknown_tool'
  | 'failed'
  | 'repeated'
  /** Beyond the per-message limit: answered without running. */
  | 'over_limit'
  /** Still running at the message's deadline: answered with a fallback, the tool goes on. */
  | 'deadline';
export interface ToolRun {
  result: ToolCallResult;
  outcome: ToolOutcome;
}

function firstProblem(errors: ValidationError[]): string | undefined {
  for (const error of errors) {
    if (error.constraints) return error.property;
    const nested = firstProblem(error.children ?? []);
    if (nested) return `${error.property}.${nested}`;
  }
  return undefined;
}

/** Finds every `@VapiTool` provider and runs tool calls against them, always producing a speakable result. */
@Injectable()
export class VapiToolRegistry implements OnModuleInit {
  private readonly logger = new Logger(VapiToolRegistry.name);
  private readonly tools = new Map<string, RegisteredTool>();

  constructor(
    private readonly discovery: DiscoveryService,
    private readonly reflector: Reflector,
    private readonly answers: ToolResultStore,
    private readonly voice: CallerVoice,
  ) {}

  onModuleInit(): void {
    for (const wrapper of this.discovery.getProviders()) {
      const instance: unknown = wrapper.instance;
      if (typeof instance !== 'object' || instance === null) continue;
      // The instance's class, so that class, factory and value providers of a tool are all found.
      const definition = this.reflector.get<VapiToolDefinition | undefined>(
        VAPI_TOOL_METADATA,
        instance.constructor,
      );
      if (!definition) continue;
      const handler = instance as VapiToolHandler;
      if (handler.available && !handler.available()) continue;
      if (this.tools.has(definition.name)) throw new Error(`Two handlers for tool ${definition.name}`);
      this.tools.set(definition.name, { definition, handler });
    }
  }

  /** The catalogue, in discovery order: what the transient assistant offers the model. */
  definitions(): VapiToolDefinition[] {
    return [...this.tools.values()].map((tool) => tool.definition);
  }

  /** Whether a tool of this name is registered (tool names come from the payload). */
  knows(name: string): boolean {
    return this.tools.has(name);
  }

  /** The answer to a call the front door does not run (or stopped waiting for), spoken as an error. */
  refuse(call: ToolCallRequest, code: VapiErrorCode, outcome: 'over_limit' | 'deadline'): ToolRun {
    return {
      outcome,
      result: { toolCallId: call.id, name: call.name, error: toSingleLine(this.voice.frontDoor(code)) },
    };
  }

  /**
   * Runs one call; never throws. A call id answered before gets the stored answer without running again. The
   * outcome is for metrics.
   */
  async run(call: ToolCallRequest, ref: CallRef): Promise<ToolRun> {
    if (call.id) {
      const stored = await this.answers.find(call.id, ref.callId);
      if (stored) return { result: stored, outcome: 'repeated' };
    }
    const run = await this.execute(call, ref);
    // Unknown tools and unreadable arguments change nothing and may well be answered differently next time.
    if (call.id && (run.outcome === 'ok' || run.outcome === 'failed')) {
      await this.answers.save(run.result, ref.callId).catch((error: unknown) => {
        const code = (error as { code?: string }).code;
        this.logger.warn({ event: 'tool_result_not_stored', code }, 'tool result not stored');
      });
    }
    return run;
  }

  private async execute(call: ToolCallRequest, ref: CallRef): Promise<ToolRun> {
    const answer = (outcome: ToolOutcome, field: 'result' | 'error', text: string): ToolRun => ({
      outcome,
      result: { toolCallId: call.id, name: call.name, [field]: toSingleLine(text) },
    });

    const tool = this.tools.get(call.name);
    if (!tool) return answer('unknown_tool', 'error', this.voice.frontDoor(VapiErrorCode.UNKNOWN_TOOL));
    if (call.argumentsError) {
      return answer('invalid_arguments', 'result', this.voice.frontDoor(VapiErrorCode.INVALID_ARGUMENTS));
    }

    const args = plainToInstance(tool.definition.args, call.arguments);
    const property = firstProblem(await validate(args, { forbidUnknownValues: false }));
    if (property) return answer('invalid_arguments', 'result', this.voice.question(call.name, property));

    try {
      const text = await tool.handler.run(args, { toolCallId: call.id, ...ref });
      return answer('ok', 'result', text);
    } catch (error) {
      this.logger.error(
        { event: 'tool_failed', tool: call.name, code: (error as { code?: string }).code },
        error instanceof Error ? error.message : 'tool failed',
      );
      return answer('failed', 'error', this.voice.failure(error));
    }
  }
}
