/*
 * Personal data and secrets must never reach the logs. Two layers: `redactFields` removes known fields
 * (headers that carry credentials or signatures, and any field named like a phone, email or transcript), and
 * `scrubText` masks anything that still looks like an email, phone number or bearer token inside free text
 * such as error messages.
 */
export const REDACTED_PATHS = [
  'req.headers.authorization',
  'req.headers["x-vapi-secret"]',
  'req.headers["x-vapi-signature"]',
  'req.headers["x-signature"]',
  'req.headers["x-twilio-signature"]',
  'req.headers["x-api-key"]',
  'req.headers.cookie',
  'res.headers["set-cookie"]',
  '*.phone',
  '*.number',
  '*.customerNumber',
  '*.callerNumber',
  '*.to',
  '*.from',
  '*.email',
  '*.transcript',
  '*.summary',
  '*.description',
  '*.comment',
  '*.body',
  '*.token',
  '*.accessToken',
  '*.access_token',
  '*.refreshToken',
  '*.secret',
  '*.password',
];

const EMAIL = /[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\.[A-Za-z]{2,}/g;
// E.164 and common national formats: "+14155550100", "(415) 555-0100", "415.555.0101", "415-555-0102".
const PHONE = /\+\d[\d\s().-]{6,}\d|\(\d{3}\)\s?\d{3}[\s.-]?\d{4}|\b\d{3}[.-]\d{3}[.-]\d{4}\b/g;
const BEARER = /\b(Bearer|Basic)\s+[A-Za-z0-9._~+/=-]+/gi;
// Salesforce access tokens: org id, '!', then the session part.
const SALESFORCE_TOKEN = /\b00D[A-Za-z0-9]{12,15}![A-Za-z0-9._-]+/g;

/** What each pattern above needs somewhere in the text: most log messages have none of it. */
const MAYBE_SENSITIVE = /[0-9@]|bearer|basic/i;

export function scrubText(text: string): string {
  if (!MAYBE_SENSITIVE.test(text)) return text;
  return text
    .replace(SALESFORCE_TOKEN, '[token]')
    .replace(BEARER, '$1 [token]')
    .replace(EMAIL, '[email]')
    .replace(PHONE, '[phone]');
}

export const REDACTION_CENSOR = '[redacted]';

/** Where a path leads: censor the value here, or look further into the keys below. */
interface RedactionNode {
  censor: boolean;
  keys: Map<string, RedactionNode>;
  /** For a `*` segment: applies to every own key. */
  any?: RedactionNode;
}

const emptyNode = (): RedactionNode => ({ censor: false, keys: new Map() });

/** `a.b["c-d"]` → ['a', 'b', 'c-d'], as pino reads its redaction paths. */
function pathSegments(path: string): string[] {
  return [...path.matchAll(/[^.[\]]+|\[([^[\]]*?)\]/g)].map((match) =>
    match[1] !== undefined ? match[1].replace(/^(["'`])(.*)\1$/, '$2') : match[0],
  );
}

function addPath(node: RedactionNode, segments: string[]): void {
  if (segments.length === 0) {
    node.censor = true;
    return;
  }
  const [first, ...rest] = segments;
  if (first === '*') {
    node.any ??= emptyNode();
    addPath(node.any, rest);
  } else {
    const child = node.keys.get(first) ?? emptyNode();
    node.keys.set(first, child);
    addPath(child, rest);
  }
}

/** A copy of `into` with `from`'s paths added: a key named in a path also gets the paths under `*`. */
function mergeNodes(into: RedactionNode, from: RedactionNode): RedactionNode {
  const merged: RedactionNode = {
    censor: into.censor || from.censor,
    keys: new Map(into.keys),
    any: into.any,
  };
  for (const [key, child] of from.keys) {
    const existing = merged.keys.get(key);
    merged.keys.set(key, existing ? mergeNodes(existing, child) : child);
  }
  if (from.any) merged.any = merged.any ? mergeNodes(merged.any, from.any) : from.any;
  return merged;
}

/** The paths as a tree, a literal key's subtree holding the `*` paths at its level as well. */
function compile(node: RedactionNode): RedactionNode {
  const keys = new Map<string, RedactionNode>();
  for (const [key, child] of node.keys)
    keys.set(key, compile(node.any ? mergeNodes(child, node.any) : child));
  return { censor: node.censor, keys, any: node.any && compile(node.any) };
}

function redactionTree(paths: readonly string[]): RedactionNode {
  const root = emptyNode();
  for (const path of paths) addPath(root, pathSegments(path));
  return compile(root);
}

/**
 * `value` with what `node` names censored; the value itself when nothing is, else a copy of what changed
 * (the caller's objects are never modified). A key counts when it is `in` the object, as for pino's redact.
 */
function redactValue(value: unknown, node: RedactionNode): unknown {
  if (typeof value !== 'object' || value === null) return value;
  const source = value as Record<string, unknown>;
  let copy: Record<string, unknown> | undefined;
  const replace = (key: string, replacement: unknown) => {
    copy ??= Array.isArray(source) ? ([...source] as unknown as Record<string, unknown>) : { ...source };
    copy[key] = replacement;
  };
  for (const [key, child] of node.keys) {
    if (!(key in source)) continue;
    if (child.censor) replace(key, REDACTION_CENSOR);
    else {
      const redacted = redactValue(source[key], child);
      if (redacted !== source[key]) replace(key, redacted);
    }
  }
  if (node.any) {
    for (const key of Object.keys(source)) {
      if (node.keys.has(key)) continue;
      const redacted = node.any.censor ? REDACTION_CENSOR : redactValue(source[key], node.any);
      if (redacted !== source[key]) replace(key, redacted);
    }
  }
  return copy ?? source;
}

const REDACTION_TREE = redactionTree(REDACTED_PATHS);

/**
 * The fields of a log line with every value at one of REDACTED_PATHS replaced by the censor, as pino's own
 * `redact` option would, but without its cost on every plain field of every line (pino runs all paths on each
 * top-level value, strings included). Fields given to a serializer are passed over: `err` is serialized into
 * type, code, message and stack, none of which is a redacted name.
 */
export function redactFields(
  fields: Record<string, unknown>,
  serialized: ReadonlySet<string>,
): Record<string, unknown> {
  let copy: Record<string, unknown> | undefined;
  for (const key in fields) {
    if (!Object.hasOwn(fields, key) || serialized.has(key)) continue;
    const value = fields[key];
    const node = REDACTION_TREE.keys.get(key) ?? REDACTION_TREE.any;
    if (value === undefined || !node) continue;
    const redacted = node.censor ? REDACTION_CENSOR : redactValue(value, node);
    if (redacted !== value) (copy ??= { ...fields })[key] = redacted;
  }
  return copy ?? fields;
}
