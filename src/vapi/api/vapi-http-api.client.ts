import { noAnswerError } from '../../common/transport-failure';
import { OnModuleDestroy } from '@nestjs/common';
import { ExponentialBackoff, handleWhen, retry, type RetryPolicy } from 'cockatiel';
import { Agent, request, type Dispatcher } from 'undici';
import type { StructuredValue } from '../vapi-events';
import { readStructured } from '../vapi-message.parser';
import { VapiApiClient } from './vapi-api.client';
import { VapiApiError, VapiApiErrorCode } from './vapi-api.errors';
import {
  VapiCallMessage,
  VapiCallRecord,
  VapiResource,
  VapiResourceBody,
  VapiResourceKind,
} from './vapi-api.types';

/** The list endpoints answer 100 items unless asked for more; 1,000 is their maximum (OAS `limit`). */
const LIST_LIMIT = 1000;

export interface VapiHttpApiClientOptions {
  /** Private API key (Bearer). */
  apiKey: string;
  /** Base URL without trailing slash, e.g. `https://api.vapi.ai` or a local fake. */
  apiUrl: string;
  /** Whole-request timeout per attempt. Default 10 s. */
  timeoutMs?: number;
  /** Retries of reads on 429, 5xx, network errors and timeouts (reads are safe to repeat). */
  readRetry?: { maxRetries?: number; initialDelayMs?: number; maxDelayMs?: number };
  /** For tests; by default the client owns a keep-alive agent and closes it on shutdown. */
  dispatcher?: Dispatcher;
}

type Json = Record<string, unknown>;

/** VAPI REST API over HTTP (`Authorization: Bearer <private key>`). */
export class VapiHttpApiClient extends VapiApiClient implements OnModuleDestroy {
  readonly enabled = true;
  private readonly timeoutMs: number;
  private readonly dispatcher: Dispatcher;
  private readonly ownsDispatcher: boolean;
  private readonly readPolicy: RetryPolicy;

  constructor(private readonly options: VapiHttpApiClientOptions) {
    super();
    this.timeoutMs = options.timeoutMs ?? 10_000;
    this.ownsDispatcher = options.dispatcher === undefined;
    this.dispatcher = options.dispatcher ?? new Agent({ keepAliveTimeout: 30_000, connections: 8 });
    const { maxRetries = 2, initialDelayMs = 250, maxDelayMs = 2_000 } = options.readRetry ?? {};
    this.readPolicy = retry(
      handleWhen((error) => error instanceof VapiApiError && error.retryable),
      {
        maxAttempts: maxRetries,
        backoff: new ExponentialBackoff({ initialDelay: initialDelayMs, maxDelay: maxDelayMs }),
      },
    );
  }

  async getCall(callId: string): Promise<VapiCallRecord | null> {
    const path = `/call/${encodeURIComponent(callId)}`;
    try {
      const call = await this.readPolicy.execute(() => this.requestJson('GET', path));
      return toVapiCallRecord(expectObject(call, 'GET', path));
    } catch (error) {
      if (error instanceof VapiApiError && error.code === VapiApiErrorCode.NOT_FOUND) return null;
      throw error;
    }
  }

  async listResources(kind: VapiResourceKind): Promise<VapiResource[]> {
    const path = `/${kind}?limit=${LIST_LIMIT}`;
    const answer = await this.readPolicy.execute(() => this.requestJson('GET', path));
    if (!Array.isArray(answer)) throw unexpected('GET', path, 'a list');
    return answer.map((item) => expectResource(item, 'GET', path));
  }

  async createResource(kind: VapiResourceKind, body: VapiResourceBody): Promise<VapiResource> {
    const path = `/${kind}`;
    return expectResource(await this.requestJson('POST', path, body), 'POST', path);
  }

  async updateResource(kind: VapiResourceKind, id: string, body: VapiResourceBody): Promise<VapiResource> {
    const path = `/${kind}/${encodeURIComponent(id)}`;
    return expectResource(await this.requestJson('PATCH', path, body), 'PATCH', path);
  }

  async onModuleDestroy(): Promise<void> {
    if (this.ownsDispatcher) await this.dispatcher.close();
  }

  /** The one place that talks HTTP to VAPI and turns every failure into a `VapiApiError`. */
  private async requestJson(method: Dispatcher.HttpMethod, path: string, body?: unknown): Promise<unknown> {
    let statusCode: number;
    let text: string;
    try {
      const response = await request(`${this.options.apiUrl}${path}`, {
        method,
        dispatcher: this.dispatcher,
        signal: AbortSignal.timeout(this.timeoutMs),
        headers: {
          authorization: `Bearer ${this.options.apiKey}`,
          accept: 'application/json',
          ...(body === undefined ? {} : { 'content-type': 'application/json' }),
        },
        body: body === undefined ? undefined : JSON.stringify(body),
      });
      statusCode = response.statusCode;
      text = await response.body.text();
    } catch (error) {
      throw transportError(error);
    }
    const json = parseJson(text);
    if (statusCode >= 200 && statusCode < 300) {
      if (json === undefined) throw unexpected(method, path, 'JSON', statusCode);
      return json;
    }
    throw errorFromResponse(statusCode, method, path, object(json));
  }
}

/** Stands in when VAPI_API_KEY is not set. */
export class UnconfiguredVapiApiClient extends VapiApiClient {
  readonly enabled = false;

  getCall(): Promise<VapiCallRecord | null> {
    return notConfigured();
  }

  listResources(): Promise<VapiResource[]> {
    return notConfigured();
  }

  createResource(): Promise<VapiResource> {
    return notConfigured();
  }

  updateResource(): Promise<VapiResource> {
    return notConfigured();
  }
}

function notConfigured(): Promise<never> {
  return Promise.reject(new VapiApiError(VapiApiErrorCode.NOT_CONFIGURED, 'VAPI_API_KEY is not set', false));
}

function unexpected(method: string, path: string, wanted: string, status?: number): VapiApiError {
  return new VapiApiError(
    VapiApiErrorCode.UNEXPECTED_RESPONSE,
    `VAPI answered ${method} ${routeOf(path)} without ${wanted}`,
    false,
    status === undefined ? undefined : { status },
  );
}

function expectObject(value: unknown, method: string, path: string): Json {
  const found = object(value);
  if (!found) throw unexpected(method, path, 'an object');
  return found;
}

function expectResource(value: unknown, method: string, path: string): VapiResource {
  const found = expectObject(value, method, path);
  if (typeof found.id !== 'string') throw unexpected(method, path, 'an id');
  return found as VapiResource;
}

/**
 * Reads a `Call` (OAS `components.schemas.Call`). Current calls keep transcript, messages and recording under
 * `artifact` and the summary under `analysis`; older ones had them at the top level, so both are read.
 */
export function toVapiCallRecord(call: Json): VapiCallRecord {
  const id = text(call.id);
  if (id === undefined) {
    throw new VapiApiError(VapiApiErrorCode.UNEXPECTED_RESPONSE, 'VAPI returned a call without an id', false);
  }
  const artifact = object(call.artifact);
  const analysis = object(call.analysis);
  const monoRecording = object(object(artifact?.recording)?.mono);
  const rawMessages = Array.isArray(artifact?.messages) ? artifact.messages : call.messages;
  return {
    id,
    status: text(call.status),
    endedReason: text(call.endedReason),
    startedAt: text(call.startedAt),
    endedAt: text(call.endedAt),
    cost: typeof call.cost === 'number' ? call.cost : undefined,
    customerNumber: text(object(call.customer)?.number),
    phoneCallProviderId: text(call.phoneCallProviderId) ?? text(object(call.transport)?.callSid),
    transcript: text(artifact?.transcript) ?? text(call.transcript),
    messages: Array.isArray(rawMessages) ? rawMessages.flatMap(toCallMessage) : [],
    summary: text(analysis?.summary) ?? text(call.summary),
    recordingUrl: text(monoRecording?.combinedUrl) ?? text(artifact?.recordingUrl) ?? text(call.recordingUrl),
    ...structuredOf(readStructured(analysis?.structuredData, artifact?.structuredOutputs)),
  };
}

const structuredOf = (fields: Record<string, StructuredValue>) =>
  Object.keys(fields).length > 0 ? { structured: fields } : {};

function toCallMessage(value: unknown): VapiCallMessage[] {
  const entry = object(value);
  const role = text(entry?.role);
  if (entry === undefined || role === undefined) return [];
  const message: VapiCallMessage = { role };
  const strings = ['message', 'name', 'toolCallId', 'result'] as const;
  for (const key of strings) {
    const field = text(entry[key]);
    if (field !== undefined) message[key] = field;
  }
  const numbers = ['time', 'endTime', 'secondsFromStart', 'duration'] as const;
  for (const key of numbers) {
    const field = entry[key];
    if (typeof field === 'number') message[key] = field;
  }
  if (Array.isArray(entry.toolCalls)) message.toolCalls = entry.toolCalls as unknown[];
  return [message];
}

function errorFromResponse(
  status: number,
  method: string,
  path: string,
  body: Json | undefined,
): VapiApiError {
  // VAPI (NestJS) errors are `{message, error, statusCode}`; `message` may be a list of validation messages.
  // Both are kept as VAPI words them (bounded): they name the field or rule, which is what an operator needs.
  const messages: unknown[] = Array.isArray(body?.message) ? body.message : [body?.message];
  const said = [body?.error, ...messages]
    .filter((part): part is string => typeof part === 'string' && part !== '')
    .join(': ');
  const detail = said === '' ? '' : `: ${said.length > 500 ? `${said.slice(0, 500)}…` : said}`;
  const what = `VAPI answered ${method} ${routeOf(path)} with HTTP ${status}${detail}`;
  const options = { status };
  if (status === 401 || status === 403)
    return new VapiApiError(VapiApiErrorCode.AUTH_FAILED, what, false, options);
  if (status === 404) return new VapiApiError(VapiApiErrorCode.NOT_FOUND, what, false, options);
  if (status === 429) return new VapiApiError(VapiApiErrorCode.RATE_LIMITED, what, true, options);
  if (status >= 500) return new VapiApiError(VapiApiErrorCode.UNAVAILABLE, what, true, options);
  return new VapiApiError(VapiApiErrorCode.REJECTED, what, false, options);
}

function transportError(error: unknown): VapiApiError {
  return noAnswerError(error, 'VAPI', (kind, message) => {
    return new VapiApiError(VapiApiErrorCode[kind], message, true, { cause: error });
  });
}

/** The path with ids replaced and the query left out, so messages group well in logs and carry no ids. */
function routeOf(path: string): string {
  return path.split('?')[0].replace(/^(\/[a-z-]+)\/[^/?]+/, '$1/{id}');
}

function text(value: unknown): string | undefined {
  return typeof value === 'string' ? value : undefined;
}

function object(value: unknown): Json | undefined {
  return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Json) : undefined;
}

function parseJson(body: string): unknown {
  try {
    return JSON.parse(body) as unknown;
  } catch {
    return undefined;
  }
}
