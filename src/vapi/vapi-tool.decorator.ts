import { applyDecorators, Injectable, SetMetadata } from '@nestjs/common';
import type { ClassConstructor } from 'class-transformer';
import { targetConstructorToSchema } from 'class-validator-jsonschema';
import { CallRef } from './vapi-events';

export const VAPI_TOOL_METADATA = Symbol('VAPI_TOOL_METADATA');

export interface VapiToolDefinition {
  /** The function name the assistant calls (the public tool catalogue, docs/vapi.md). */
  name: string;
  /** For the language model: what the tool does and when to call it. */
  description: string;
  /**
   * class-validator DTO the arguments must satisfy. It is also the source of the JSON Schema VAPI gets
   * (`toolParameters`); argument descriptions for the model come from `@JSONSchema({ description })`.
   */
  args: ClassConstructor<object>;
}

export interface ToolCallContext extends CallRef {
  toolCallId: string;
}

/** A tool's behaviour: validated arguments in, one speakable sentence out. Errors are turned into speech. */
export interface VapiToolHandler<Args extends object = object> {
  run(args: Args, context: ToolCallContext): Promise<string>;
  /** False when the tool's feature is not configured: it is then neither offered nor run. Default: true. */
  available?(): boolean;
}

/** Marks a provider as the handler of one tool; the registry discovers it at start-up. */
export const VapiTool = (definition: VapiToolDefinition): ClassDecorator =>
  applyDecorators(Injectable(), SetMetadata(VAPI_TOOL_METADATA, definition));

export function toolDefinitionOf(tool: ClassConstructor<unknown>): VapiToolDefinition {
  const definition = Reflect.getMetadata(VAPI_TOOL_METADATA, tool) as VapiToolDefinition | undefined;
  if (!definition) throw new Error(`${tool.name} is not a @VapiTool`);
  return definition;
}

type SchemaObject = ReturnType<typeof targetConstructorToSchema>;

/** The keywords of VAPI's `JsonSchema` (CreateFunctionToolDTO.function.parameters): nothing else is sent. */
const VAPI_SCHEMA_KEYWORDS = ['type', 'items', 'properties', 'description', 'format', 'required', 'enum'];

function vapiSchema(schema: SchemaObject): Record<string, unknown> {
  const kept: Record<string, unknown> = {};
  for (const keyword of VAPI_SCHEMA_KEYWORDS) {
    const value = (schema as Record<string, unknown>)[keyword];
    if (value === undefined) continue;
    if (keyword === 'properties') {
      kept.properties = Object.fromEntries(
        Object.entries(value as Record<string, SchemaObject>).map(([name, child]) => [
          name,
          vapiSchema(child),
        ]),
      );
    } else if (keyword === 'items') {
      kept.items = vapiSchema(value as SchemaObject);
    } else {
      kept[keyword] = value;
    }
  }
  return kept;
}

/**
 * The JSON Schema of a tool's arguments, derived from its DTO so the two cannot disagree. Length limits and
 * patterns are left out: VAPI's schema has no length keywords, and the DTO's patterns describe values *after*
 * normalisation ("case 1027" becomes 00001027), so the model must not be held to them.
 */
export function toolParameters(definition: VapiToolDefinition): Readonly<Record<string, unknown>> {
  // Derived once per tool (and frozen, as it is shared): every assistant-request carries the tools, and
  // deriving the schema from the class-validator metadata took about 4% of the service's time in a burst.
  let parameters = derivedParameters.get(definition);
  if (!parameters) {
    const schema = vapiSchema(targetConstructorToSchema(definition.args));
    parameters = deepFreeze({
      type: 'object',
      properties: schema.properties ?? {},
      required: schema.required ?? [],
    });
    derivedParameters.set(definition, parameters);
  }
  return parameters;
}

const derivedParameters = new WeakMap<VapiToolDefinition, Readonly<Record<string, unknown>>>();

function deepFreeze<T extends object>(value: T): Readonly<T> {
  for (const child of Object.values(value))
    if (typeof child === 'object' && child !== null) deepFreeze(child as object);
  return Object.freeze(value);
}
