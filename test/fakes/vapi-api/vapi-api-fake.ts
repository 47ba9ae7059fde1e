import { randomBytes, randomUUID } from 'node:crypto';
import { createServer, IncomingMessage, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createProblems, updateProblems } from './vapi-dto-rules';

/**
 * A local stand-in for VAPI's REST API: `GET /call/{id}` with real-shaped Call objects (OAS
 * `components.schemas.Call`) and the provisioning routes `/credential`, `/phone-number`, `/tool` and
 * `/assistant` (list with `?limit`, create, read, update), which check the rules of the OAS create and update
 * DTOs that provisioning relies on (see `vapi-dto-rules.ts`) and store what they receive. Also a call's Live
 * Call Control URL (`POST /control/{callId}`, no API key, as with `controlAuthenticationEnabled` false). Errors use VAPI's
 * NestJS shape `{message, error, statusCode}`, validation messages as a list.
 */

export type FakeVapiResource = Record<string, unknown> & { id: string };

export interface VapiApiFakeFaults {
  /** The next N requests get 503. */
  serverErrors: number;
  /** The next N requests get 429. */
  rateLimited: number;
  /** Delay before each answer. */
  latencyMs: number;
  /** The next write (POST or PATCH) gets 400 with these validation messages. */
  refuseNextWrite?: string[];
}

export interface RecordedVapiRequest {
  method: string;
  /** Without the query string. */
  path: string;
  query?: string;
  /** Whether the bearer key matched. */
  authorized: boolean;
  body?: unknown;
}

export interface VapiApiFake {
  /** Base URL to use as VAPI_API_URL. */
  url: string;
  /** Stores (or replaces) a call; missing required fields (`id`, `orgId`, `createdAt`, `updatedAt`) are filled. */
  putCall(call: Partial<FakeVapiResource>): FakeVapiResource;
  calls: Map<string, FakeVapiResource>;
  credentials: Map<string, FakeVapiResource>;
  assistants: Map<string, FakeVapiResource>;
  tools: Map<string, FakeVapiResource>;
  phoneNumbers: Map<string, FakeVapiResource>;
  requests: RecordedVapiRequest[];
  /** A call's Live Call Control URL on this fake (`call.monitor.controlUrl`). */
  controlUrlFor(callId: string): string;
  /** Control messages accepted, in order (`ClientInboundMessage*` bodies). */
  controlMessages: { callId: string; body: Record<string, unknown> }[];
  faults: { set(faults: Partial<VapiApiFakeFaults>): void };
  reset(): void;
  close(): Promise<void>;
}

export interface VapiApiFakeOptions {
  port?: number;
  apiKey: string;
}

const ORG_ID = '5b0b2b5e-0000-4000-8000-00000000f00d';
const NO_FAULTS: VapiApiFakeFaults = { serverErrors: 0, rateLimited: 0, latencyMs: 0 };

/**
 * A complete ended inbound Twilio call as `GET /call/{id}` returns it. Override any field; nested objects
 * given in `overrides` replace the defaults whole.
 */
export function buildVapiCall(overrides: Partial<FakeVapiResource> = {}): FakeVapiResource {
  const id = typeof overrides.id === 'string' ? overrides.id : randomUUID();
  const startedAt = new Date(Date.UTC(2026, 0, 15, 14, 0, 0));
  const endedAt = new Date(startedAt.getTime() + 95_000);
  const start = startedAt.getTime();
  const messages = [
    { role: 'system', message: 'You are the support line of Acme.', time: start, secondsFromStart: 0 },
    {
      role: 'bot',
      message: 'Hello, this is Acme support.',
      time: start + 500,
      endTime: start + 2_500,
      secondsFromStart: 0.5,
      duration: 2000,
      source: '',
    },
    {
      role: 'user',
      message: 'My printer is broken.',
      time: start + 3_000,
      endTime: start + 5_000,
      secondsFromStart: 3,
      duration: 2000,
    },
    {
      role: 'tool_calls',
      message: '',
      time: start + 5_500,
      secondsFromStart: 5.5,
      toolCalls: [
        {
          id: 'call_abc123',
          type: 'function',
          function: { name: 'create_case', arguments: '{"subject":"Printer broken"}' },
        },
      ],
    },
    {
      role: 'tool_call_result',
      toolCallId: 'call_abc123',
      name: 'create_case',
      result: 'Case 00001234 created.',
      time: start + 6_500,
      secondsFromStart: 6.5,
    },
    {
      role: 'bot',
      message: 'I created case 00001234 for you.',
      time: start + 7_000,
      endTime: start + 9_000,
      secondsFromStart: 7,
      duration: 2000,
      source: '',
    },
  ];
  const callSid = `CA${randomBytes(16).toString('hex')}`;
  const recordingBase = `https://storage.vapi.ai/${id}`;
  return {
    id,
    orgId: ORG_ID,
    type: 'inboundPhoneCall',
    createdAt: new Date(start - 1_000).toISOString(),
    updatedAt: new Date(endedAt.getTime() + 2_000).toISOString(),
    startedAt: startedAt.toISOString(),
    endedAt: endedAt.toISOString(),
    status: 'ended',
    endedReason: 'customer-ended-call',
    cost: 0.1423,
    costs: [{ type: 'transport', provider: 'twilio', minutes: 1.58, cost: 0.0134 }],
    phoneCallProvider: 'twilio',
    phoneCallProviderId: callSid,
    phoneCallTransport: 'pstn',
    transport: { provider: 'twilio', accountSid: `AC${'0'.repeat(32)}`, callSid },
    assistantId: randomUUID(),
    phoneNumberId: randomUUID(),
    customer: { number: '+14155550123' },
    messages,
    artifact: {
      messages,
      transcript:
        'AI: Hello, this is Acme support.\nUser: My printer is broken.\nAI: I created case 00001234 for you.\n',
      recordingUrl: `${recordingBase}-mono.wav`,
      stereoRecordingUrl: `${recordingBase}-stereo.wav`,
      recording: {
        stereoUrl: `${recordingBase}-stereo.wav`,
        mono: {
          combinedUrl: `${recordingBase}-mono.wav`,
          assistantUrl: `${recordingBase}-assistant.wav`,
          customerUrl: `${recordingBase}-customer.wav`,
        },
      },
      logUrl: `https://calllogs.vapi.ai/${id}.jsonl.gz`,
    },
    analysis: {
      summary: 'The caller reported a broken printer; case 00001234 was created.',
      successEvaluation: 'true',
    },
    ...overrides,
  };
}

export async function startVapiApiFake(options: VapiApiFakeOptions): Promise<VapiApiFake> {
  const calls = new Map<string, FakeVapiResource>();
  const collections: Record<string, Map<string, FakeVapiResource>> = {
    credential: new Map(),
    assistant: new Map(),
    tool: new Map(),
    'phone-number': new Map(),
  };
  const requests: RecordedVapiRequest[] = [];
  const controlMessages: { callId: string; body: Record<string, unknown> }[] = [];
  const timers = new Set<NodeJS.Timeout>();
  let faults: VapiApiFakeFaults = { ...NO_FAULTS };

  const send = (response: ServerResponse, status: number, body: unknown): void => {
    response
      .writeHead(status, { 'content-type': 'application/json; charset=utf-8' })
      .end(JSON.stringify(body));
  };
  const error = (response: ServerResponse, status: number, error: string, message: string | string[]): void =>
    send(response, status, { message, error, statusCode: status });

  const handle = (request: IncomingMessage, response: ServerResponse, rawBody: string): void => {
    const method = request.method ?? 'GET';
    const [path, search] = (request.url ?? '/').split('?');
    const query = search === undefined ? {} : { query: search };
    const authorized = request.headers.authorization === `Bearer ${options.apiKey}`;
    let body: unknown;
    if (rawBody !== '') {
      try {
        body = JSON.parse(rawBody);
      } catch {
        requests.push({ method, path, ...query, authorized });
        return error(response, 400, 'Bad Request', 'Unexpected token in JSON');
      }
    }
    requests.push({ method, path, ...query, authorized, body });

    if (faults.serverErrors > 0) {
      faults.serverErrors -= 1;
      return error(response, 503, 'Service Unavailable', 'Service Unavailable');
    }
    if (faults.rateLimited > 0) {
      faults.rateLimited -= 1;
      return error(response, 429, 'Too Many Requests', 'ThrottlerException: Too Many Requests');
    }
    if (faults.refuseNextWrite && (method === 'POST' || method === 'PATCH')) {
      const messages = faults.refuseNextWrite;
      faults.refuseNextWrite = undefined;
      return error(response, 400, 'Bad Request', messages);
    }
    const control = /^\/control\/([^/]+)$/.exec(path);
    if (control) {
      if (method !== 'POST') return error(response, 404, 'Not Found', `Cannot ${method} ${path}`);
      const problems = controlProblems(body);
      if (problems.length > 0) return error(response, 400, 'Bad Request', problems);
      controlMessages.push({ callId: decodeURIComponent(control[1]), body: body as Record<string, unknown> });
      return send(response, 200, {});
    }
    if (!authorized) {
      return error(
        response,
        401,
        'Unauthorized',
        'Invalid Key. Hot tip, you may be using the private key instead of the public key, or vice versa.',
      );
    }

    const [, collection, id, ...rest] = path.split('/');
    if (rest.length > 0 || collection === undefined)
      return error(response, 404, 'Not Found', `Cannot ${method} ${path}`);
    if (collection === 'call' && method === 'GET' && id) {
      const call = calls.get(decodeURIComponent(id));
      return call ? send(response, 200, call) : error(response, 404, 'Not Found', 'Not Found');
    }
    const store = collections[collection];
    if (store === undefined) return error(response, 404, 'Not Found', `Cannot ${method} ${path}`);

    if (method === 'GET' && !id) {
      // OAS `limit`: "the maximum number of items to return. Defaults to 100", at most 1000.
      const limit = Number(new URLSearchParams(search ?? '').get('limit') ?? 100);
      if (!Number.isInteger(limit) || limit < 0 || limit > 1000) {
        return error(response, 400, 'Bad Request', ['limit must not be greater than 1000']);
      }
      return send(response, 200, [...store.values()].slice(0, limit));
    }
    if (method === 'GET' && id) {
      const found = store.get(id);
      return found ? send(response, 200, found) : error(response, 404, 'Not Found', 'Not Found');
    }
    if (typeof body !== 'object' || body === null || Array.isArray(body)) {
      return error(response, 400, 'Bad Request', ['body must be an object']);
    }
    const fields = body as Record<string, unknown>;
    if (method === 'POST' && !id) {
      const problems = createProblems(collection, fields);
      if (problems.length > 0) return error(response, 400, 'Bad Request', problems);
      const now = new Date().toISOString();
      const created: FakeVapiResource = {
        ...fields,
        ...readOnlyFields(collection),
        id: randomUUID(),
        orgId: ORG_ID,
        createdAt: now,
        updatedAt: now,
      };
      store.set(created.id, created);
      return send(response, 201, created);
    }
    if (method === 'PATCH' && id) {
      const existing = store.get(id);
      if (!existing) return error(response, 404, 'Not Found', 'Not Found');
      const problems = updateProblems(collection, fields);
      if (problems.length > 0) return error(response, 400, 'Bad Request', problems);
      // VAPI replaces nested objects on PATCH rather than merging them: a shallow merge does exactly that.
      const updated: FakeVapiResource = { ...existing, ...fields, id, updatedAt: new Date().toISOString() };
      store.set(id, updated);
      return send(response, 200, updated);
    }
    return error(response, 404, 'Not Found', `Cannot ${method} ${path}`);
  };

  const server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      const answer = (): void => handle(request, response, Buffer.concat(chunks).toString('utf8'));
      if (faults.latencyMs <= 0) return answer();
      const timer = setTimeout(() => {
        timers.delete(timer);
        answer();
      }, faults.latencyMs);
      timers.add(timer);
    });
  });

  await new Promise<void>((resolve) => server.listen(options.port ?? 0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  const url = `http://127.0.0.1:${port}`;

  return {
    url,
    putCall: (call) => {
      const now = new Date().toISOString();
      const stored: FakeVapiResource = {
        orgId: ORG_ID,
        createdAt: now,
        updatedAt: now,
        ...call,
        id: call.id ?? randomUUID(),
      };
      calls.set(stored.id, stored);
      return stored;
    },
    calls,
    credentials: collections.credential,
    assistants: collections.assistant,
    tools: collections.tool,
    phoneNumbers: collections['phone-number'],
    requests,
    controlMessages,
    controlUrlFor: (callId: string) => `${url}/control/${encodeURIComponent(callId)}`,
    faults: {
      set: (changes) => {
        faults = { ...faults, ...changes };
      },
    },
    reset: () => {
      calls.clear();
      for (const store of Object.values(collections)) store.clear();
      requests.length = 0;
      controlMessages.length = 0;
      faults = { ...NO_FAULTS };
    },
    close: async () => {
      for (const timer of timers) clearTimeout(timer);
      timers.clear();
      server.closeAllConnections();
      await new Promise<void>((resolve, reject) =>
        server.close((failure) => (failure ? reject(failure) : resolve())),
      );
    },
  };
}

/** Fields VAPI adds to what it was sent (required in the OAS response schemas). */
function readOnlyFields(collection: string): Record<string, unknown> {
  if (collection === 'credential') return { authenticationSession: {} };
  if (collection === 'phone-number') return { status: 'active' };
  return {};
}

const CONTROL_TYPES = ['say', 'add-message', 'transfer', 'end-call', 'control'];
const OPENAI_ROLES = ['assistant', 'function', 'user', 'system', 'tool'];

/**
 * Live Call Control bodies (OAS `ClientInboundMessage*`, fern/calls/call-features.mdx): a known `type`; for
 * `add-message`, `message: {role, content}` (OpenAIMessage) and an optional boolean `triggerResponseEnabled`.
 */
function controlProblems(body: unknown): string[] {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) return ['body must be an object'];
  const fields = body as Record<string, unknown>;
  if (typeof fields.type !== 'string' || !CONTROL_TYPES.includes(fields.type)) {
    return [`type must be one of the following values: ${CONTROL_TYPES.join(', ')}`];
  }
  if (fields.type !== 'add-message') return [];
  const problems: string[] = [];
  const message = fields.message as Record<string, unknown> | undefined;
  if (typeof message !== 'object' || message === null) problems.push('message must be an object');
  else {
    if (typeof message.role !== 'string' || !OPENAI_ROLES.includes(message.role)) {
      problems.push(`message.role must be one of the following values: ${OPENAI_ROLES.join(', ')}`);
    }
    if (typeof message.content !== 'string') problems.push('message.content must be a string');
  }
  if (fields.triggerResponseEnabled !== undefined && typeof fields.triggerResponseEnabled !== 'boolean') {
    problems.push('triggerResponseEnabled must be a boolean value');
  }
  return problems;
}
