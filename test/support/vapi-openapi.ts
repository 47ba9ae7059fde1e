import Ajv, { ValidateFunction } from 'ajv';
import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';

/**
 * Validates our webhook answers against the official VAPI OpenAPI document vendored in test/fixtures (source and
 * date in test/fixtures/README.md; override with VAPI_OPENAPI_PATH). Responses are sent unwrapped (no
 * `messageResponse`), as VAPI's docs and examples do, so each is checked against the inner
 * ServerMessageResponse* schema.
 */
const path = resolve(process.env.VAPI_OPENAPI_PATH ?? resolve(__dirname, '../fixtures/vapi-openapi.json'));

let ajv: Ajv | undefined;

/**
 * A few adjustments make the document checkable by a JSON Schema validator: a few `enum: []` (meaning "no
 * constraint yet") and the enums put on array types (the item schema holds the same enum) are dropped, types
 * that contradict their own enum or example are dropped (`withoutContradictions`), and `oneOf` becomes `anyOf`. VAPI's unions (models, voices, transcribers,
 * tools) have no discriminator and loose branches, so a correct value can match several branches; VAPI selects
 * the branch by `provider` / `type`. A value must still match at least one branch completely. Patterns written
 * as JavaScript literals are unwrapped.
 */
/** Some patterns are written in JavaScript literal form, `/^…$/`; JSON Schema wants the bare expression. */
function unslashed(pattern: unknown): unknown {
  return typeof pattern === 'string' && /^\/.*\/$/.test(pattern) ? pattern.slice(1, -1) : pattern;
}

/**
 * `BackoffPlan.type` is typed `object` although its enum holds strings, and `BackoffPlan.excludedStatusCodes`
 * has `object` items although its example holds status codes: such a `type`, contradicted by the node's own
 * enum or example, is dropped.
 */
function contradictedType(node: Record<string, unknown>): boolean {
  if (node.type !== 'object') return false;
  const values = Array.isArray(node.enum) ? node.enum : undefined;
  return values !== undefined && values.length > 0 && values.every((value) => typeof value !== 'object');
}

function withoutContradictions(node: Record<string, unknown>): Record<string, unknown> {
  const example = node.example;
  const items = node.items as Record<string, unknown> | undefined;
  if (
    node.type === 'array' &&
    items?.type === 'object' &&
    Array.isArray(example) &&
    example.every((value) => typeof value === 'number')
  ) {
    return { ...node, items: Object.fromEntries(Object.entries(items).filter(([key]) => key !== 'type')) };
  }
  if (contradictedType(node))
    return Object.fromEntries(Object.entries(node).filter(([key]) => key !== 'type'));
  return node;
}

function checkable(node: unknown): unknown {
  if (Array.isArray(node)) return node.map(checkable);
  if (typeof node !== 'object' || node === null) return node;
  const isArrayType = (node as { type?: unknown }).type === 'array';
  return Object.fromEntries(
    Object.entries(withoutContradictions(node as Record<string, unknown>))
      .filter(
        ([key, value]) => !(key === 'enum' && Array.isArray(value) && (value.length === 0 || isArrayType)),
      )
      .map(([key, value]) => [
        key === 'oneOf' ? 'anyOf' : key,
        key === 'pattern' ? unslashed(value) : checkable(value),
      ]),
  );
}

function load(): Ajv {
  if (ajv) return ajv;
  if (!existsSync(path)) {
    throw new Error(
      `The VAPI OpenAPI document is needed for schema checks: not found at ${path} (set VAPI_OPENAPI_PATH)`,
    );
  }
  const document = JSON.parse(readFileSync(path, 'utf8')) as {
    components: { schemas: Record<string, unknown> };
  };
  ajv = new Ajv({ strict: false, allErrors: true, validateFormats: false });
  ajv.addSchema({ $id: 'vapi', components: checkable(document.components) });
  return ajv;
}

const cache = new Map<string, ValidateFunction>();

/** Returns the list of schema violations of `value` against `components.schemas[name]` (empty when valid). */
export function vapiSchemaErrors(name: string, value: unknown): string[] {
  let validate = cache.get(name);
  if (!validate) {
    validate = load().compile({ $ref: `vapi#/components/schemas/${name}` });
    cache.set(name, validate);
  }
  if (validate(value)) return [];
  return (validate.errors ?? []).map((error) => `${error.instancePath} ${error.message ?? ''}`);
}
