import { hmacHeaders } from '../../test/fakes/vapi-sender/vapi-signing';
import { prng } from '../../test/fakes/salesforce/fake-faults';
import { randomUUID } from 'node:crypto';
import { loadavg } from 'node:os';
import { join } from 'node:path';
import { monitorEventLoopDelay, performance } from 'node:perf_hooks';
import { Pool } from 'undici';
import { DEMO_CLIENT_ID, DEMO_CLIENT_SECRET } from '../../test/fakes/salesforce/demo-org';
import type { SalesforceFakeStats } from '../../test/fakes/salesforce/salesforce-fake';
import {
  assistantRequest,
  endOfCallReport,
  finalTranscript,
  SimulatedCall,
  statusUpdate,
  toolCalls,
  TranscriptLine,
} from './call-payloads';
import { freePort, sleep, startChild, waitForHttp } from '../processes';
import { createBenchDatabase, formatTable, percentile, procCpuSeconds, procStatusKb } from './support';

/**
 * Section "calls" of `npm run bench`: N simulated calls at once, each an async sequence with think
 * time between messages, through the real service (child process) and the Salesforce fake (child process);
 * this process is only the load generator. After the calls, the outbox is drained and the fake's records are
 * checked: exactly one Case per createSalesforceCase tool call and one Task per call.
 */

export interface CallSectionOptions {
  calls: number;
  /** Mean pause between two messages of one call; each pause is uniform in [0.5, 1.5] × this. */
  thinkMs: number;
  /** Calls start evenly spread over this window. */
  rampMs: number;
  /** HTTP connections from the simulated VAPI to the service. */
  connections: number;
  requestTimeoutMs: number;
  drainTimeoutMs: number;
  /** Quick calls before the measured ones (own contacts), so JIT, token and pools are warm; not reported. */
  warmupCalls: number;
  seed: number;
  secret: string;
  logLevel: string;
  database: 'sqlite' | 'postgres';
  postgresUrl: string;
  dataDir: string;
  /** Print latency per 5-second window of the run (where the slow answers happened). */
  timeline: boolean;
  /** Node flags for the service process, e.g. `--cpu-prof --cpu-prof-dir=/tmp/prof`. */
  serviceNodeArgs: string[];
}

type MessageKind =
  | 'assistant-request'
  | 'status-update'
  | 'transcript'
  | 'tool-calls createSalesforceCase'
  | 'tool-calls lookupCase'
  | 'end-of-call-report';

const MESSAGE_KINDS: MessageKind[] = [
  'assistant-request',
  'status-update',
  'transcript',
  'tool-calls createSalesforceCase',
  'tool-calls lookupCase',
  'end-of-call-report',
];

/** VAPI's response deadlines (docs/vapi.md, "Messages and answers"); acknowledgements have none. */
const VAPI_LIMIT_MS: Partial<Record<MessageKind, number>> = {
  'assistant-request': 7_500,
  'tool-calls createSalesforceCase': 20_000,
  'tool-calls lookupCase': 20_000,
};

const ISSUES = [
  { issueType: 'billing', words: 'I was charged twice for my subscription this month.' },
  { issueType: 'technical', words: 'My router keeps dropping the connection every evening.' },
  { issueType: 'account', words: 'I need to change the billing address on my account.' },
] as const;

interface Caller {
  index: number;
  firstName: string;
  phoneE164: string;
  contactId: string;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

class Recorder {
  readonly latencies = new Map<MessageKind, number[]>(MESSAGE_KINDS.map((kind) => [kind, []]));
  readonly failed = new Map<MessageKind, number>();
  readonly overLimit = new Map<MessageKind, number>();
  readonly failureExamples = new Map<string, number>();
  /** [seconds since the phase started when the message was sent, latency ms] */
  readonly timeline: [number, number][] = [];
  phaseStarted = performance.now();

  answered(kind: MessageKind, ms: number, sentAt: number): void {
    this.latencies.get(kind)?.push(ms);
    this.timeline.push([(sentAt - this.phaseStarted) / 1000, ms]);
    const limit = VAPI_LIMIT_MS[kind];
    if (limit !== undefined && ms > limit) this.overLimit.set(kind, (this.overLimit.get(kind) ?? 0) + 1);
  }

  failure(kind: MessageKind, reason: string): void {
    this.failed.set(kind, (this.failed.get(kind) ?? 0) + 1);
    const key = `${kind}: ${reason}`;
    this.failureExamples.set(key, (this.failureExamples.get(key) ?? 0) + 1);
  }

  totalFailed(): number {
    return [...this.failed.values()].reduce((sum, count) => sum + count, 0);
  }
}

interface Outcomes {
  callsCompleted: number;
  greetingsPersonalised: number;
  casesOpenedInline: number;
  casesDeferred: number;
  casesRefused: number;
  lookupsAnswered: number;
  lookupsMissed: number;
  refusalExamples: Map<string, number>;
}

/** What the simulated VAPI expects to find in Salesforce afterwards. */
interface Expected {
  /** The tag in the case descriptions of these calls. */
  marker: 'bench' | 'bench-warmup';
  /** toolCallId → the caller's contact id. */
  cases: Map<string, string>;
  /** call id → the caller's contact id. */
  tasks: Map<string, string>;
}

class WebhookSender {
  inFlight = 0;
  peakInFlight = 0;

  constructor(
    private readonly pool: Pool,
    private readonly secret: string,
    private readonly recorder: Recorder,
  ) {}

  /** Posts one signed message; returns the parsed JSON answer, or undefined after recording the failure. */
  async send(kind: MessageKind, payload: unknown): Promise<Record<string, unknown> | undefined> {
    const body = JSON.stringify(payload);
    const headers = { 'content-type': 'application/json', ...hmacHeaders(this.secret, body) };
    const started = performance.now();
    let status: number;
    let text: string;
    this.inFlight++;
    this.peakInFlight = Math.max(this.peakInFlight, this.inFlight);
    try {
      const response = await this.pool.request({
        path: '/vapi/webhook',
        method: 'POST',
        headers,
        body,
      });
      status = response.statusCode;
      text = await response.body.text();
    } catch (error) {
      const code = (error as { code?: string }).code ?? (error instanceof Error ? error.name : 'error');
      this.recorder.failure(kind, `transport ${code}`);
      return undefined;
    } finally {
      this.inFlight--;
    }
    const ms = performance.now() - started;
    if (status !== 200) {
      this.recorder.failure(kind, `HTTP ${status}`);
      return undefined;
    }
    let parsed: unknown;
    try {
      parsed = JSON.parse(text);
    } catch {
      this.recorder.failure(kind, 'answer is not JSON');
      return undefined;
    }
    if (!isRecord(parsed)) {
      this.recorder.failure(kind, 'answer is not a JSON object');
      return undefined;
    }
    this.recorder.answered(kind, ms, started);
    return parsed;
  }
}

/** The one result of a single-tool `tool-calls` answer, checked against VAPI's shape. */
function toolResult(answer: Record<string, unknown> | undefined, toolCallId: string): string | undefined {
  const results = answer?.results;
  if (!Array.isArray(results) || results.length !== 1) return undefined;
  const first: unknown = results[0];
  if (!isRecord(first) || first.toolCallId !== toolCallId) return undefined;
  if (typeof first.result === 'string') return first.result;
  return typeof first.error === 'string' ? first.error : undefined;
}

class CallSimulator {
  private readonly random: () => number;

  constructor(
    private readonly sender: WebhookSender,
    private readonly outcomes: Outcomes,
    private readonly expected: Expected,
    private readonly thinkMs: number,
    seed: number,
    /** Tags the case descriptions: warm-up cases are told apart from the measured ones. */
    private readonly marker: Expected['marker'] = 'bench',
  ) {
    this.random = prng(seed);
  }

  private think(): Promise<void> {
    return sleep(Math.round(this.thinkMs * (0.5 + this.random())));
  }

  /** One call: assistant-request → in-progress → transcripts → two tools → ended → end-of-call report. */
  async run(caller: Caller): Promise<void> {
    const call: SimulatedCall = {
      id: randomUUID(),
      customerNumber: caller.phoneE164,
      twilioCallSid: `CA${randomUUID().replace(/-/g, '')}`,
      startedAt: Date.now(),
    };
    const issue = ISSUES[caller.index % ISSUES.length];
    const lines: TranscriptLine[] = [];
    const heard = (role: TranscriptLine['role'], text: string) => lines.push({ role, text, at: Date.now() });

    const greeting = await this.sender.send('assistant-request', assistantRequest(call));
    const greetingText = JSON.stringify(greeting ?? {});
    if (
      greetingText.includes(`Hi ${caller.firstName},`) ||
      greetingText.includes(`"firstName":"${caller.firstName}"`)
    )
      this.outcomes.greetingsPersonalised++;
    heard('bot', `Hi ${caller.firstName}, thanks for calling. How can I help?`);
    await this.think();
    await this.sender.send('status-update', statusUpdate(call, 'in-progress'));
    await this.think();

    heard('user', issue.words);
    await this.sender.send('transcript', finalTranscript(call, 'user', issue.words));
    await this.think();
    const confirm = `I'm sorry to hear that. Shall I open a ${issue.issueType} case for you?`;
    heard('bot', confirm);
    await this.sender.send('transcript', finalTranscript(call, 'assistant', confirm));
    await this.think();

    // The description carries the tool call id, so the check afterwards can count Cases per tool call.
    const caseToolCallId = `call_${randomUUID().replace(/-/g, '')}`;
    const description = `${issue.words} [${this.marker} tool=${caseToolCallId}]`;
    const caseAnswer = await this.sender.send(
      'tool-calls createSalesforceCase',
      toolCalls(call, caseToolCallId, 'createSalesforceCase', { issueType: issue.issueType, description }),
    );
    const caseReply = toolResult(caseAnswer, caseToolCallId);
    let caseNumber: string | undefined;
    if (caseReply?.startsWith("I've opened case ")) {
      this.outcomes.casesOpenedInline++;
      caseNumber = /opened case ([\d ]+) for/.exec(caseReply)?.[1]?.replace(/ /g, '');
      this.expected.cases.set(caseToolCallId, caller.contactId);
    } else if (caseReply?.startsWith("I've noted your request")) {
      this.outcomes.casesDeferred++;
      this.expected.cases.set(caseToolCallId, caller.contactId);
    } else if (caseAnswer) {
      // An identified caller's case was not accepted (nothing promised, so nothing to find afterwards): a failure
      // of its own, reported apart from lost records.
      this.outcomes.casesRefused++;
      const key = caseReply === undefined ? 'malformed tool-calls answer' : caseReply.slice(0, 90);
      this.outcomes.refusalExamples.set(key, (this.outcomes.refusalExamples.get(key) ?? 0) + 1);
    } else {
      // The webhook itself failed (recorded as such); the write may still have been accepted.
      this.expected.cases.set(caseToolCallId, caller.contactId);
    }
    heard('bot', caseReply ?? 'Sorry, something went wrong.');
    await this.think();

    const ask = caseNumber ? `What is the status of case ${caseNumber}?` : 'What is the status of my cases?';
    heard('user', ask);
    await this.sender.send('transcript', finalTranscript(call, 'user', ask));
    await this.think();
    const lookupToolCallId = `call_${randomUUID().replace(/-/g, '')}`;
    const lookupAnswer = await this.sender.send(
      'tool-calls lookupCase',
      toolCalls(call, lookupToolCallId, 'lookupCase', caseNumber ? { caseNumber } : {}),
    );
    const lookupReply = toolResult(lookupAnswer, lookupToolCallId);
    if (lookupReply !== undefined && /^(Case |You have one open case|Your \d+ most recent)/.test(lookupReply))
      this.outcomes.lookupsAnswered++;
    else if (lookupAnswer) this.outcomes.lookupsMissed++;
    heard('bot', lookupReply ?? 'Sorry, something went wrong.');
    await this.think();

    await this.sender.send('status-update', statusUpdate(call, 'ended'));
    await this.think();
    this.expected.tasks.set(call.id, caller.contactId);
    await this.sender.send('end-of-call-report', endOfCallReport(call, lines, Date.now()));
    this.outcomes.callsCompleted++;
  }
}

/** N contacts with distinct numbers, stored in the formats people type (SOSL must match all of them). */
async function seedCallers(fake: Pool, count: number): Promise<Caller[]> {
  const post = async (type: string, fields: Record<string, unknown>): Promise<string> => {
    const response = await fake.request({
      path: `/__fake/records/${type}`,
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(fields),
    });
    const answer = (await response.body.json()) as { id?: string };
    if (response.statusCode !== 201 || !answer.id)
      throw new Error(`seeding ${type} failed: ${response.statusCode}`);
    return answer.id;
  };
  const accountIds: string[] = [];
  for (let a = 0; a < Math.ceil(count / 100); a++) {
    accountIds.push(
      await post('Account', { Name: `Bench Account ${a}`, AccountNumber: `BENCH-${1000 + a}` }),
    );
  }
  const callers: Caller[] = new Array<Caller>(count);
  const seedOne = async (index: number) => {
    // 628-2xx-xxxx: one distinct number per caller; never a number of the demo org (415-555-01xx).
    const national = `628${String(2_000_000 + index)}`;
    const [area, exchange, line] = [national.slice(0, 3), national.slice(3, 6), national.slice(6)];
    const formats = [
      `(${area}) ${exchange}-${line}`,
      `${area}.${exchange}.${line}`,
      `+1 ${area} ${exchange} ${line}`,
      national,
    ];
    const firstName = `Caller${index}`;
    const contactId = await post('Contact', {
      FirstName: firstName,
      LastName: 'Bench',
      Phone: formats[index % formats.length],
      AccountId: accountIds[Math.floor(index / 100)],
    });
    callers[index] = { index, firstName, phoneE164: `+1${national}`, contactId };
  };
  const batch = 32;
  for (let start = 0; start < count; start += batch) {
    const indexes = Array.from({ length: Math.min(batch, count - start) }, (_, k) => start + k);
    await Promise.all(indexes.map(seedOne));
  }
  return callers;
}

async function getJson<T>(pool: Pool, path: string): Promise<{ status: number; body: T }> {
  const response = await pool.request({ path, method: 'GET', headersTimeout: 30_000, bodyTimeout: 30_000 });
  return { status: response.statusCode, body: (await response.body.json()) as T };
}

interface Verification {
  casesFound: number;
  casesLost: number;
  casesDuplicated: number;
  casesWrongOwner: number;
  tasksFound: number;
  tasksLost: number;
  tasksDuplicated: number;
  tasksWrongOwner: number;
}

/** Counts what the fake holds against what the calls were promised. */
async function verifyRecords(fake: Pool, expected: Expected): Promise<Verification> {
  const cases = (await getJson<Record<string, unknown>[]>(fake, '/__fake/records/Case')).body;
  const tasks = (await getJson<Record<string, unknown>[]>(fake, '/__fake/records/Task')).body;
  const casesByTool = new Map<string, Record<string, unknown>[]>();
  for (const record of cases) {
    const tag = /\[(bench|bench-warmup) tool=([^\]]+)\]/.exec(
      typeof record.Description === 'string' ? record.Description : '',
    );
    const key = tag?.[1] === expected.marker ? tag[2] : undefined;
    if (key) casesByTool.set(key, [...(casesByTool.get(key) ?? []), record]);
  }
  const tasksByCall = new Map<string, Record<string, unknown>[]>();
  for (const record of tasks) {
    const key = typeof record.CallObject === 'string' ? record.CallObject : undefined;
    if (key && expected.tasks.has(key)) tasksByCall.set(key, [...(tasksByCall.get(key) ?? []), record]);
  }
  const tally = (
    expectations: Map<string, string>,
    found: Map<string, Record<string, unknown>[]>,
    ownerField: string,
  ) => {
    let present = 0;
    let lost = 0;
    let duplicated = 0;
    let wrongOwner = 0;
    for (const [key, contactId] of expectations) {
      const records = found.get(key) ?? [];
      if (records.length === 0) lost++;
      else present++;
      duplicated += Math.max(0, records.length - 1);
      wrongOwner += records.filter((record) => record[ownerField] !== contactId).length;
    }
    // Records nobody asked for (a tool call id the simulator never sent) count as duplicates too.
    for (const key of found.keys()) if (!expectations.has(key)) duplicated += found.get(key)?.length ?? 0;
    return { present, lost, duplicated, wrongOwner };
  };
  const caseTally = tally(expected.cases, casesByTool, 'ContactId');
  const taskTally = tally(expected.tasks, tasksByCall, 'WhoId');
  return {
    casesFound: caseTally.present,
    casesLost: caseTally.lost,
    casesDuplicated: caseTally.duplicated,
    casesWrongOwner: caseTally.wrongOwner,
    tasksFound: taskTally.present,
    tasksLost: taskTally.lost,
    tasksDuplicated: taskTally.duplicated,
    tasksWrongOwner: taskTally.wrongOwner,
  };
}

interface Backlog {
  pending: number;
  deadLetters: number;
}

async function readBacklog(service: Pool): Promise<Backlog | undefined> {
  try {
    const { body } = await getJson<{ details?: { delivery?: { pending?: number; deadLetters?: number } } }>(
      service,
      '/health/ready',
    );
    const delivery = body.details?.delivery;
    if (typeof delivery?.pending !== 'number') return undefined;
    return { pending: delivery.pending, deadLetters: delivery.deadLetters ?? 0 };
  } catch {
    return undefined;
  }
}

/**
 * Waits until the outbox is empty and every expected record is in the fake, or the deadline passes; a backlog
 * that stays empty while records are still missing ends the wait early (nothing left that could deliver them).
 */
async function drainAndVerify(
  service: Pool,
  fake: Pool,
  expected: Expected,
  timeoutMs: number,
): Promise<{ verification: Verification; backlog: Backlog | undefined; drainMs: number }> {
  const started = performance.now();
  const deadline = Date.now() + timeoutMs;
  let emptyPolls = 0;
  for (;;) {
    const backlog = await readBacklog(service);
    if (backlog?.pending === 0) {
      const verification = await verifyRecords(fake, expected);
      emptyPolls++;
      if (
        (verification.casesLost === 0 && verification.tasksLost === 0) ||
        emptyPolls >= 6 ||
        Date.now() > deadline
      )
        return { verification, backlog, drainMs: performance.now() - started };
    } else {
      emptyPolls = 0;
    }
    if (Date.now() > deadline) {
      return {
        verification: await verifyRecords(fake, expected),
        backlog,
        drainMs: performance.now() - started,
      };
    }
    await sleep(500);
  }
}

function statsDelta(after: SalesforceFakeStats, before: SalesforceFakeStats) {
  const routes = Object.entries(after.apiRequests)
    .map(
      ([route, count]) =>
        [route, count - (before.apiRequests[route as keyof typeof before.apiRequests] ?? 0)] as const,
    )
    .filter(([, count]) => count > 0);
  const tokens = (stats: SalesforceFakeStats) =>
    Object.values(stats.tokenRequests).reduce((sum, count) => sum + count, 0);
  return {
    apiCalls: after.apiCallsCounted - before.apiCallsCounted,
    routes,
    tokenRequests: tokens(after) - tokens(before),
    unauthorized: after.unauthorized - before.unauthorized,
    limitRejections: after.limitRejections - before.limitRejections,
  };
}

function newOutcomes(): Outcomes {
  return {
    callsCompleted: 0,
    greetingsPersonalised: 0,
    casesOpenedInline: 0,
    casesDeferred: 0,
    casesRefused: 0,
    lookupsAnswered: 0,
    lookupsMissed: 0,
    refusalExamples: new Map(),
  };
}

/** Starts the calls evenly over `rampMs` and waits for all of them; returns the peak of calls in progress. */
async function playCalls(simulator: CallSimulator, callers: Caller[], rampMs: number): Promise<number> {
  let active = 0;
  let peakActive = 0;
  await Promise.all(
    callers.map(async (caller, position) => {
      await sleep(Math.floor((position * rampMs) / callers.length));
      active++;
      peakActive = Math.max(peakActive, active);
      try {
        await simulator.run(caller);
      } finally {
        active--;
      }
    }),
  );
  return peakActive;
}

const fmt = (ms: number) => (ms >= 100 ? ms.toFixed(0) : ms.toFixed(1));

interface HistogramSummary {
  label: string;
  count: number;
  p50Ms: number;
  p99Ms: number;
}

interface ServiceMetrics {
  /** Handling time inside the service (Fastify onResponse), by message type. */
  webhooks: HistogramSummary[];
  /** Salesforce requests as the service saw them, by operation. */
  salesforce: HistogramSummary[];
  loopLagP99Ms?: number;
  loopLagMaxMs?: number;
}

/** Quantiles of Prometheus histograms by one label, read as "at most this bucket bound" (ms). */
function histogramsBy(text: string, metric: string, labelName: string): HistogramSummary[] {
  const buckets = new Map<string, Map<number, number>>();
  const pattern = new RegExp(`^${metric}_bucket\\{([^}]*)\\} (\\S+)$`);
  for (const line of text.split('\n')) {
    const bucket = pattern.exec(line);
    if (!bucket) continue;
    const labels = Object.fromEntries(
      [...bucket[1].matchAll(/(\w+)="((?:[^"\\]|\\.)*)"/g)].map((m) => [m[1], m[2].replace(/\\(.)/g, '$1')]),
    );
    const le = labels.le === '+Inf' ? Infinity : Number(labels.le);
    const perLabel = buckets.get(labels[labelName]) ?? new Map<number, number>();
    perLabel.set(le, (perLabel.get(le) ?? 0) + Number(bucket[2]));
    buckets.set(labels[labelName], perLabel);
  }
  return [...buckets]
    .map(([label, perLabel]) => {
      const bounds = [...perLabel].sort((a, b) => a[0] - b[0]);
      const count = bounds.at(-1)?.[1] ?? 0;
      const quantile = (q: number) =>
        (bounds.find(([, cumulative]) => cumulative >= q * count)?.[0] ?? 0) * 1000;
      return { label, count, p50Ms: quantile(0.5), p99Ms: quantile(0.99) };
    })
    .filter((entry) => entry.count > 0);
}

/**
 * The service's own view from `/metrics`: webhook handling time (it starts when Fastify has the request, so the
 * gap to the simulator's latency is queueing in front of the handler), Salesforce request times, and the
 * event-loop lag since start (nobody else scrapes during the run).
 */
function parseServiceMetrics(text: string): ServiceMetrics {
  const gauge = (name: string) => {
    const match = new RegExp(`^${name} (\\S+)$`, 'm').exec(text);
    return match ? Number(match[1]) * 1000 : undefined;
  };
  return {
    webhooks: histogramsBy(text, 'vapi_webhook_duration_seconds', 'type'),
    salesforce: histogramsBy(text, 'salesforce_request_duration_seconds', 'operation'),
    loopLagP99Ms: gauge('nodejs_eventloop_lag_p99_seconds'),
    loopLagMaxMs: gauge('nodejs_eventloop_lag_max_seconds'),
  };
}

/** Latency per 5-second window of send time: where in the run the slow answers were. */
function timelineRows(timeline: [number, number][]): (string | number)[][] {
  const windows = new Map<number, number[]>();
  for (const [at, ms] of timeline) {
    const window = Math.floor(at / 5) * 5;
    windows.set(window, [...(windows.get(window) ?? []), ms]);
  }
  return [...windows]
    .sort((a, b) => a[0] - b[0])
    .map(([window, samples]) => {
      const sorted = samples.sort((a, b) => a - b);
      return [
        `${window}-${window + 5} s`,
        sorted.length,
        fmt(percentile(sorted, 50)),
        fmt(percentile(sorted, 99)),
        fmt(sorted.at(-1) ?? 0),
      ];
    });
}

/** Runs the section and prints its report; false when any webhook failed or any record was lost or doubled. */
export async function runCallSection(options: CallSectionOptions): Promise<boolean> {
  const database = await createBenchDatabase(options.database, options.dataDir, 'calls', options.postgresUrl);
  const [fakePort, servicePort] = [await freePort(), await freePort()];
  const fakeUrl = `http://127.0.0.1:${fakePort}`;
  const serviceUrl = `http://127.0.0.1:${servicePort}`;
  const salesforce = startChild('test/fakes/salesforce/main.js', {
    FAKE_SALESFORCE_PORT: String(fakePort),
    FAKE_SALESFORCE_PRIVATE_KEY_FILE: join(options.dataDir, 'fake-salesforce-key.pem'),
    // Room for the run: every call costs a handful of API calls.
    FAKE_SALESFORCE_DAILY_LIMIT: String(Math.max(100_000, options.calls * 50)),
  });
  let service: ReturnType<typeof startChild> | undefined;
  const fakePool = new Pool(fakeUrl, { connections: 8 });
  const servicePool = new Pool(serviceUrl, {
    connections: options.connections,
    headersTimeout: options.requestTimeoutMs,
    bodyTimeout: options.requestTimeoutMs,
    keepAliveTimeout: 10_000,
  });
  try {
    await waitForHttp(`${fakeUrl}/__fake/stats`, 30_000, salesforce);
    const seedStarted = performance.now();
    const seeded = await seedCallers(fakePool, options.calls + options.warmupCalls);
    const callers = seeded.slice(0, options.calls);
    const warmupCallers = seeded.slice(options.calls);
    const seedMs = performance.now() - seedStarted;
    const beforeService = (await getJson<SalesforceFakeStats>(fakePool, '/__fake/stats')).body;

    service = startChild(
      'src/main.js',
      {
        PORT: String(servicePort),
        LOG_LEVEL: options.logLevel,
        DATABASE_URL: database.url,
        VAPI_WEBHOOK_SECRET: options.secret,
        VAPI_SERVER_CREDENTIAL_ID: 'bench-webhook-credential',
        SALESFORCE_AUTH_FLOW: 'client_credentials',
        SALESFORCE_LOGIN_URL: fakeUrl,
        SALESFORCE_CLIENT_ID: DEMO_CLIENT_ID,
        SALESFORCE_CLIENT_SECRET: DEMO_CLIENT_SECRET,
        SALESFORCE_CASE_EXTERNAL_ID_FIELD: 'Voice_Call_Key__c',
        COMPANY_NAME: 'Acme Support',
        // The VAPI API is not part of this run; end-of-call reports always arrive.
        RECONCILER_ENABLED: 'false',
        SHUTDOWN_DRAIN_DELAY_MS: '0',
      },
      { discardStdout: true, nodeArgs: options.serviceNodeArgs },
    );
    const pid = service.child.pid;
    await waitForHttp(`${serviceUrl}/health/live`, 60_000, service);
    let warmupNote = 'no warm-up';
    if (warmupCallers.length > 0) {
      const warmupRecorder = new Recorder();
      const warmupOutcomes = newOutcomes();
      const warmupExpected: Expected = { marker: 'bench-warmup', cases: new Map(), tasks: new Map() };
      const warmupSender = new WebhookSender(servicePool, options.secret, warmupRecorder);
      const warmup = new CallSimulator(
        warmupSender,
        warmupOutcomes,
        warmupExpected,
        50,
        options.seed + 1,
        warmupExpected.marker,
      );
      await playCalls(warmup, warmupCallers, 1000);
      const settled = await drainAndVerify(servicePool, fakePool, warmupExpected, options.drainTimeoutMs);
      const lost = settled.verification.casesLost + settled.verification.tasksLost;
      warmupNote =
        `warm-up ${warmupCallers.length} calls before (not in the table): ${warmupRecorder.totalFailed()} failed, ` +
        `${lost} records lost`;
    } else {
      await sleep(500);
    }
    const beforeCalls = (await getJson<SalesforceFakeStats>(fakePool, '/__fake/stats')).body;
    const cpuBefore = procCpuSeconds(pid) ?? 0;
    const fakeCpuBefore = procCpuSeconds(salesforce.child.pid) ?? 0;
    const loadBefore = loadavg();

    const recorder = new Recorder();
    const outcomes = newOutcomes();
    const expected: Expected = { marker: 'bench', cases: new Map(), tasks: new Map() };
    const sender = new WebhookSender(servicePool, options.secret, recorder);
    const simulator = new CallSimulator(sender, outcomes, expected, options.thinkMs, options.seed);

    let peakRssKb = 0;
    const sampler = setInterval(() => {
      peakRssKb = Math.max(peakRssKb, procStatusKb(pid, 'VmRSS') ?? 0);
    }, 250);
    const loopDelay = monitorEventLoopDelay({ resolution: 10 });
    loopDelay.enable();
    const phaseStarted = performance.now();
    recorder.phaseStarted = phaseStarted;
    const peakActive = await playCalls(simulator, callers, options.rampMs);
    const phaseMs = performance.now() - phaseStarted;
    loopDelay.disable();

    const drained = await drainAndVerify(servicePool, fakePool, expected, options.drainTimeoutMs);
    clearInterval(sampler);
    const afterCalls = (await getJson<SalesforceFakeStats>(fakePool, '/__fake/stats')).body;
    const cpuSeconds = (procCpuSeconds(pid) ?? 0) - cpuBefore;
    const fakeCpuSeconds = (procCpuSeconds(salesforce.child.pid) ?? 0) - fakeCpuBefore;
    const peakHwmKb = procStatusKb(pid, 'VmHWM') ?? peakRssKb;
    const metricsResponse = await servicePool
      .request({ path: '/metrics', method: 'GET' })
      .then(async (response) => (response.statusCode === 200 ? response.body.text() : ''))
      .catch(() => '');
    const serviceMetrics = parseServiceMetrics(metricsResponse);
    const serviceExited = service.child.exitCode !== null || service.child.signalCode !== null;

    // ---- report
    const out: string[] = [];
    out.push(
      `\n== calls: ${options.calls} simulated calls, service and Salesforce fake in child processes, ${database.label}`,
    );
    out.push(
      `think time ${options.thinkMs} ms ±50 %, ramp ${(options.rampMs / 1000).toFixed(0)} s, ` +
        `${options.connections} connections; load average at start ${loadBefore.map((v) => v.toFixed(2)).join(' ')}, ` +
        `at end ${loadavg()
          .map((v) => v.toFixed(2))
          .join(' ')}`,
    );
    out.push(`seeding ${seeded.length} contacts took ${(seedMs / 1000).toFixed(1)} s; ${warmupNote}`);
    const rows = MESSAGE_KINDS.map((kind) => {
      const sorted = [...(recorder.latencies.get(kind) ?? [])].sort((a, b) => a - b);
      const failed = recorder.failed.get(kind) ?? 0;
      return [
        kind,
        sorted.length + failed,
        failed,
        VAPI_LIMIT_MS[kind] === undefined ? '-' : (recorder.overLimit.get(kind) ?? 0),
        fmt(percentile(sorted, 50)),
        fmt(percentile(sorted, 95)),
        fmt(percentile(sorted, 99)),
        fmt(sorted.at(-1) ?? 0),
        ((sorted.length + failed) / (phaseMs / 1000)).toFixed(1),
      ];
    });
    const all = [...recorder.latencies.values()].flat().sort((a, b) => a - b);
    const totalFailed = recorder.totalFailed();
    rows.push([
      'all messages',
      all.length + totalFailed,
      totalFailed,
      [...recorder.overLimit.values()].reduce((sum, count) => sum + count, 0),
      fmt(percentile(all, 50)),
      fmt(percentile(all, 95)),
      fmt(percentile(all, 99)),
      fmt(all.at(-1) ?? 0),
      ((all.length + totalFailed) / (phaseMs / 1000)).toFixed(1),
    ]);
    out.push(
      formatTable(
        ['message type', 'sent', 'failed', '>VAPI limit', 'p50 ms', 'p95 ms', 'p99 ms', 'max ms', 'msg/s'],
        rows,
      ),
    );
    for (const [reason, count] of recorder.failureExamples) out.push(`  failure: ${reason} × ${count}`);
    const summaries = (entries: HistogramSummary[]) =>
      entries
        .map((entry) => `${entry.label} ${entry.count}× p50 ≤${fmt(entry.p50Ms)} p99 ≤${fmt(entry.p99Ms)}`)
        .join('; ');
    if (serviceMetrics.webhooks.length > 0) {
      out.push(`inside the service, ms (histogram bucket bounds): ${summaries(serviceMetrics.webhooks)}`);
      out.push(`its Salesforce requests, ms: ${summaries(serviceMetrics.salesforce)}`);
      out.push(
        `its event-loop lag: p99 ${fmt(serviceMetrics.loopLagP99Ms ?? 0)} ms, max ${fmt(serviceMetrics.loopLagMaxMs ?? 0)} ms`,
      );
    }
    if (options.timeline)
      out.push(
        formatTable(['sent at', 'answers', 'p50 ms', 'p99 ms', 'max ms'], timelineRows(recorder.timeline)),
      );
    out.push(
      `calls completed ${outcomes.callsCompleted}/${options.calls}, peak concurrent calls ${peakActive}, ` +
        `phase ${(phaseMs / 1000).toFixed(1)} s, peak requests in flight ${sender.peakInFlight}; ` +
        `load generator event-loop delay p99 ` +
        `${(loopDelay.percentile(99) / 1e6).toFixed(0)} ms, max ${(loopDelay.max / 1e6).toFixed(0)} ms`,
    );
    out.push(
      `greetings personalised (caller identified within budget): ${outcomes.greetingsPersonalised}/${options.calls}`,
    );
    out.push(
      `createSalesforceCase: ${outcomes.casesOpenedInline} opened at once, ${outcomes.casesDeferred} deferred to the outbox, ` +
        `${outcomes.casesRefused} refused; lookupCase: ${outcomes.lookupsAnswered} answered with the case, ${outcomes.lookupsMissed} without it`,
    );
    for (const [reply, count] of outcomes.refusalExamples) out.push(`  refused: "${reply}" × ${count}`);

    const startup = statsDelta(beforeCalls, beforeService);
    const run = statsDelta(afterCalls, beforeCalls);
    out.push(
      `Salesforce API calls: ${(run.apiCalls / options.calls).toFixed(2)} per call (${run.apiCalls} in all; ` +
        `${run.routes.map(([route, count]) => `${route} ${count}`).join(', ')}); ${startup.apiCalls} in service start-up and warm-up`,
    );
    out.push(
      `token requests: ${run.tokenRequests + startup.tokenRequests} since service start ` +
        `(${startup.tokenRequests} in start-up and warm-up); 401s ${run.unauthorized}, limit rejections ${run.limitRejections}`,
    );
    const v = drained.verification;
    out.push(
      `outbox: ${drained.backlog ? `${drained.backlog.pending} pending, ${drained.backlog.deadLetters} dead letters` : 'backlog unreadable'}, ` +
        `drained ${(drained.drainMs / 1000).toFixed(1)} s after the last message`,
    );
    out.push(
      formatTable(
        ['records', 'expected', 'found', 'lost', 'duplicated', 'wrong owner'],
        [
          [
            'Case (one per createSalesforceCase)',
            expected.cases.size,
            v.casesFound,
            v.casesLost,
            v.casesDuplicated,
            v.casesWrongOwner,
          ],
          [
            'Task (one per call)',
            expected.tasks.size,
            v.tasksFound,
            v.tasksLost,
            v.tasksDuplicated,
            v.tasksWrongOwner,
          ],
        ],
      ),
    );
    out.push(
      `service: peak RSS ${(Math.max(peakHwmKb, peakRssKb) / 1024).toFixed(0)} MB (VmHWM), CPU ${cpuSeconds.toFixed(1)} s ` +
        `(${((cpuSeconds / ((phaseMs + drained.drainMs) / 1000)) * 100).toFixed(0)} % of one core over calls + drain)` +
        `; Salesforce fake CPU ${fakeCpuSeconds.toFixed(1)} s` +
        (serviceExited ? '; THE SERVICE PROCESS EXITED DURING THE RUN' : ''),
    );
    const problems = [
      totalFailed > 0 && `${totalFailed} webhooks failed`,
      outcomes.casesRefused > 0 && `${outcomes.casesRefused} cases refused`,
      v.casesLost + v.tasksLost > 0 && `${v.casesLost + v.tasksLost} records lost`,
      v.casesDuplicated + v.tasksDuplicated > 0 &&
        `${v.casesDuplicated + v.tasksDuplicated} records duplicated`,
      v.casesWrongOwner + v.tasksWrongOwner > 0 &&
        `${v.casesWrongOwner + v.tasksWrongOwner} records on the wrong contact`,
      (drained.backlog?.deadLetters ?? 0) > 0 && `${drained.backlog?.deadLetters} dead letters`,
      serviceExited && 'the service exited',
    ].filter((problem): problem is string => typeof problem === 'string');
    out.push(problems.length === 0 ? 'calls: OK' : `calls: FAILED (${problems.join('; ')})`);
    if (serviceExited) out.push(`service output (tail):\n${service.output().slice(-4000)}`);
    process.stdout.write(`${out.join('\n')}\n`);
    return problems.length === 0;
  } finally {
    await Promise.all([servicePool.close(), fakePool.close()]);
    await Promise.all([service?.stop(), salesforce.stop()]);
    await database.drop();
  }
}
