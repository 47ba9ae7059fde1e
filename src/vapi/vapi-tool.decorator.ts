import { applyDecorators, Injectable, SetMetadata } from '@nestjs/common';
import type { ClassConstructor } from 'class-transformer';

export const VAPI_TOOL_METADATA = Symbol('VAPI_TOOL_METADATA');

export interface VapiToolDefinition {
  /** The function name the assistant calls (the public tool catalogue, docs/vapi.md). */
  name: string;
  description: string;
  /** class-validator DTO the arguments must satisfy. */
  args: ClassConstructor<object>;
  /** JSON Schema of the arguments, sent to VAPI in the tool definition. */
  parameters: Record<string, unknown>;
  /** The question the agent asks when an argument is missing or invalid, by property name. */
  questions?: Record<string, string>;
}

export interface ToolCallContext {
  toolCallId: string;
  callId?: string;
  customerNumber?: string;
  phoneCallProviderId?: string;
}

/** A tool's behaviour: validated arguments in, one speakable sentence out. Errors are turned into speech. */
export interface VapiToolHandler<Args extends object = object> {
  run(args: Args, context: ToolCallContext): Promise<string>;
}

/** Marks a provider as the handler of one tool; the registry discovers it at start-up. */
export const VapiTool = (definition: VapiToolDefinition): ClassDecorator =>
  applyDecorators(Injectable(), SetMetadata(VAPI_TOOL_METADATA, definition));
