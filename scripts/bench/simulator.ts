import { randomUUID } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import type { Pool } from 'undici';
import { LOCALES } from '../../src/calls/voice/locales';
import { prng } from '../../test/fakes/salesforce/fake-faults';
import { hmacHeaders } from '../../test/fakes/vapi-sender/vapi-signing';
import { sleep } from '../processes';
import {
  assistantRequest,
  endOfCallReport,
  finalTranscript,
  SimulatedCall,
  statusUpdate,
  toolCalls,
  TranscriptLine,
} from './call-payloads';
import type { Spread } from './options';
import type { Caller, World } from './world';

const ENGLISH = LOCALES.en.sentences;

/**
 * The simulated VAPI: signed webhooks of whole calls, each call an async sequence of messages, with the answers
 * checked as a caller would hear them. What a call was promised is noted in `Expected`, for the record check.
 */

export type MessageKind =
  | 'assistant-request'
  | 'status-update'
  | 'transcript'
  | 'tool-calls createSalesforceCase'
  | 'end-of-call-report';

export const MESSAGE_KINDS: MessageKind[] = [
  'assistant-request',
  'status-update',
  'transcript',
  'tool-calls createSalesforceCase',
  'end-of-call-report',
];

/** VAPI's response deadlines (docs/vapi.md, "Messages and answers"); acknowledgements have none. */
export const VAPI_LIMIT_MS: Partial<Record<MessageKind, number>> = {
  'assistant-request': 7_500,
  'tool-calls createSalesforceCase': 20_000,
};

export const COMPANY = 'Acme Support';

const ISSUES = [
  { issueType: 'billing', words: 'I was charged twice for my subscription this month.' },
  { issueType: 'technical', words: 'My router keeps dropping the connection every evening.' },
  { issueType: 'account', words: 'I need to change the billing address on my account.' },
] as const;

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

export class Recorder {
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

/**
 * Where a message goes when there are several service processes: round robin per request (a load balancer in
 * front of replicas, as VAPI's webhooks carry no affinity), or every message of a call to the same process.
 */
export class Targets {
  private next = 0;

  constructor(
    private readonly pools: Pool[],
    private readonly spread: Spread,
  ) {}

  forCall(callIndex: number): () => Pool {
    switch (this.spread) {
      case 'call': {
        const pool = this.pools[callIndex % this.pools.length];
        return () => pool;
      }
      case 'request':
        return () => this.pools[this.next++ % this.pools.length];
    }
  }
}

export class WebhookSender {
  inFlight = 0;
  peakInFlight = 0;

  constructor(
    private readonly secret: string,
    private readonly recorder: Recorder,
  ) {}

  /** Posts one signed message; returns the parsed JSON answer, or undefined after recording the failure. */
  async send(pool: Pool, kind: MessageKind, payload: unknown): Promise<Record<string, unknown> | undefined> {
    const body = JSON.stringify(payload);
    const headers = { 'content-type': 'application/json', ...hmacHeaders(this.secret, body) };
    const started = performance.now();
    let status: number;
    let text: string;
    this.inFlight++;
    this.peakInFlight = Math.max(this.peakInFlight, this.inFlight);
    try {
      const response = await pool.request({ path: '/vapi/webhook', method: 'POST', headers, body });
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

/** What the callers heard: the success sentences, and every fallback by kind. */
export interface Outcomes {
  callsCompleted: number;
  greetingsPersonalised: number;
  greetingsGeneric: number;
  cases: {
    /** "I've opened case 0 0 0 0 1 2 3 4 …": the success sentence. */
    spoken: number;
    /** The write is queued; the caller is promised a text (or a colleague). */
    deferred: number;
    /** The caller was not identified, so the tool asked for an account number. */
    askedAccount: number;
    refused: number;
    other: number;
    /** The webhook itself failed (counted with the failures too). */
    unanswered: number;
  };
  /** Fallback sentences heard (first 90 characters) × count. */
  fallbackExamples: Map<string, number>;
}

export function newOutcomes(): Outcomes {
  return {
    callsCompleted: 0,
    greetingsPersonalised: 0,
    greetingsGeneric: 0,
    cases: { spoken: 0, deferred: 0, askedAccount: 0, refused: 0, other: 0, unanswered: 0 },
    fallbackExamples: new Map(),
  };
}

export function fallbacksSpoken(outcomes: Outcomes): number {
  const { deferred, askedAccount, refused, other } = outcomes.cases;
  return outcomes.greetingsGeneric + deferred + askedAccount + refused + other;
}

/** One record the simulated VAPI looks for afterwards, and whose it must be. */
export interface Expectation {
  /** The contact id (Case, Task) or the number texted (SMS); null: no contact (an unknown number). */
  owner: string | null;
  /**
   * True when the service acknowledged the write (a case spoken or promised, a report answered 200): then it
   * must be there exactly once. False after a failed webhook: it may or may not have been accepted, so it may be
   * there once, never twice.
   */
  acknowledged: boolean;
}

/** What the simulated VAPI expects to find afterwards. */
export class Expected {
  /** toolCallId → the Case. */
  readonly cases = new Map<string, Expectation>();
  /** call id → the call's Task. */
  readonly tasks = new Map<string, Expectation>();
  /** toolCallId → the SMS with the case number. */
  readonly sms = new Map<string, Expectation>();

  /** `marker`: the tag in the case descriptions of these calls. */
  constructor(readonly marker: string) {}

  caseFor(toolCallId: string, caller: Caller, acknowledged: boolean, smsEnabled: boolean): void {
    this.cases.set(toolCallId, { owner: caller.contactId, acknowledged });
    if (smsEnabled) this.sms.set(toolCallId, { owner: caller.phoneE164, acknowledged });
  }

  taskFor(callId: string, caller: Caller, acknowledged: boolean): void {
    this.tasks.set(callId, { owner: caller.contactId, acknowledged });
  }
}

/** The one result of a single-tool `tool-calls` answer, checked against VAPI's shape. */
export function toolResult(
  answer: Record<string, unknown> | undefined,
  toolCallId: string,
): string | undefined {
  const results = answer?.results;
  if (!Array.isArray(results) || results.length !== 1) return undefined;
  const first: unknown = results[0];
  if (!isRecord(first) || first.toolCallId !== toolCallId) return undefined;
  if (typeof first.result === 'string') return first.result;
  return typeof first.error === 'string' ? first.error : undefined;
}

type CaseVerdict = Exclude<keyof Outcomes['cases'], 'unanswered'>;

/** Which sentence of the voice table a createSalesforceCase answer is (the English table in src/calls/voice/locales/en.ts is the one source). */
export function classifyCaseReply(
  reply: string,
  issueType: (typeof ISSUES)[number]['issueType'],
): { verdict: CaseVerdict; caseNumber?: string } {
  const { cases } = ENGLISH;
  // The success sentence around a placeholder case number, from the voice table itself.
  const [before, after] = cases.opened('\u0000', issueType).split('\u0000');
  if (reply.startsWith(before)) {
    const rest = reply.slice(before.length);
    const end = rest.indexOf(after);
    const caseNumber = end > 0 ? rest.slice(0, end).replace(/ /g, '') : '';
    const sentence = cases.opened(caseNumber, issueType);
    if (/^\d+$/.test(caseNumber) && (reply === sentence || reply === `${sentence}${cases.willText}`))
      return { verdict: 'spoken', caseNumber };
  }
  if (reply === cases.queuedWillText || reply === cases.queuedColleagueWillFollowUp)
    return { verdict: 'deferred' };
  if (reply === cases.askAccountNumber) return { verdict: 'askedAccount' };
  if (reply === cases.refused) return { verdict: 'refused' };
  return { verdict: 'other' };
}

/** When each message of a call is sent, in ms after the call starts (a message also waits for the one before). */
export interface CallSchedule {
  inProgress: number;
  /** The four transcripts: the issue, the confirmation (then the tool call), thanks, goodbye. */
  transcripts: [number, number, number, number];
  toolCall: number;
  ended: number;
  report: number;
}

/** A burst: no think time at all. */
export const BURST_SCHEDULE: CallSchedule = {
  inProgress: 0,
  transcripts: [0, 0, 0, 0],
  toolCall: 0,
  ended: 0,
  report: 0,
};

/**
 * A real call of `durationMs`: answered 1–3 s after the assistant-request, the issue told at about 15 % of the
 * call, the case opened at about 35 %, goodbyes near the end, and the end-of-call report 2–8 s after the hang-up
 * (VAPI sends it once the recording is processed). Short calls (the smoke profile) scale the fixed gaps down.
 */
export function pacedSchedule(durationMs: number, random: () => number): CallSchedule {
  const between = (low: number, high: number) => low + (high - low) * random();
  const at = (share: number) => Math.round(durationMs * (share + between(-0.03, 0.03)));
  return {
    inProgress: Math.round(Math.min(between(1000, 3000), 0.05 * durationMs)),
    transcripts: [at(0.15), at(0.25), at(0.75), at(0.85)],
    toolCall: at(0.35),
    ended: durationMs,
    report: durationMs + Math.round(Math.min(between(2000, 8000), 0.1 * durationMs)),
  };
}

export interface CallPlan {
  caller: Caller;
  /** The caller asks for a case (one createSalesforceCase); false: the call only talks. */
  withCase: boolean;
  schedule: CallSchedule;
  /** Where each message goes. */
  target: () => Pool;
}

export class CallSimulator {
  constructor(
    private readonly sender: WebhookSender,
    private readonly outcomes: Outcomes,
    private readonly expected: Expected,
    private readonly smsEnabled: boolean,
  ) {}

  /**
   * One call: assistant-request → status in-progress → two transcripts → createSalesforceCase → two
   * transcripts → status ended → end-of-call report, each message at its scheduled time or when the one before
   * was answered, whichever is later.
   */
  async run(plan: CallPlan): Promise<void> {
    const { caller, schedule, target } = plan;
    const startedAt = Date.now();
    const started = performance.now();
    const call: SimulatedCall = {
      id: randomUUID(),
      customerNumber: caller.phoneE164,
      twilioCallSid: `CA${randomUUID().replace(/-/g, '')}`,
      startedAt,
    };
    const waitUntil = async (offsetMs: number) => {
      const wait = started + offsetMs - performance.now();
      if (wait > 0) await sleep(Math.round(wait));
    };
    const send = (kind: MessageKind, payload: unknown) => this.sender.send(target(), kind, payload);
    const issue = ISSUES[caller.index % ISSUES.length];
    const lines: TranscriptLine[] = [];
    const heard = (role: TranscriptLine['role'], text: string) => lines.push({ role, text, at: Date.now() });
    const transcript = async (offsetMs: number, role: 'user' | 'assistant', text: string) => {
      await waitUntil(offsetMs);
      heard(role === 'user' ? 'user' : 'bot', text);
      await send('transcript', finalTranscript(call, role, text));
    };

    const greeting = JSON.stringify((await send('assistant-request', assistantRequest(call))) ?? {});
    // Greeted by name: the transient assistant's first message, or the variables for a saved assistant.
    // Every seeded caller has no open case when the call starts.
    const byName = JSON.stringify(ENGLISH.assistant.greetKnown(caller.firstName, COMPANY, 0)).slice(1, -1);
    if (
      caller.contactId !== null &&
      (greeting.includes(byName) || greeting.includes(`"firstName":"${caller.firstName}"`))
    )
      this.outcomes.greetingsPersonalised++;
    else if (caller.contactId !== null) this.outcomes.greetingsGeneric++;
    heard(
      'bot',
      caller.contactId
        ? ENGLISH.assistant.greetKnown(caller.firstName, COMPANY, 0)
        : ENGLISH.assistant.greetUnknown(COMPANY),
    );
    await waitUntil(schedule.inProgress);
    await send('status-update', statusUpdate(call, 'in-progress'));

    await transcript(schedule.transcripts[0], 'user', issue.words);
    await transcript(
      schedule.transcripts[1],
      'assistant',
      plan.withCase
        ? `I'm sorry to hear that. Shall I open a ${issue.issueType} case for you?`
        : 'Let me explain.',
    );

    if (plan.withCase) {
      await waitUntil(schedule.toolCall);
      // The description carries the tool call id, so the check afterwards can count Cases per tool call.
      const toolCallId = `call_${randomUUID().replace(/-/g, '')}`;
      const description = `${issue.words} [${this.expected.marker} tool=${toolCallId}]`;
      const answer = await send(
        'tool-calls createSalesforceCase',
        toolCalls(call, toolCallId, 'createSalesforceCase', { issueType: issue.issueType, description }),
      );
      const reply = toolResult(answer, toolCallId);
      if (!answer) {
        // The webhook failed (recorded as such); the write may still have been accepted, so it is looked for.
        this.outcomes.cases.unanswered++;
        this.expected.caseFor(toolCallId, caller, false, this.smsEnabled);
      } else {
        const { verdict } =
          reply === undefined ? { verdict: 'other' as const } : classifyCaseReply(reply, issue.issueType);
        this.outcomes.cases[verdict]++;
        // Any other answer promised nothing, yet the write may have been accepted before it (a tool deadline
        // speaks "can't confirm" while the outbox finishes the case): a case found then is not a duplicate.
        const promised = verdict === 'spoken' || verdict === 'deferred';
        this.expected.caseFor(toolCallId, caller, promised, this.smsEnabled);
        if (verdict !== 'spoken') {
          const key = reply === undefined ? 'malformed tool-calls answer' : reply.slice(0, 90);
          this.outcomes.fallbackExamples.set(key, (this.outcomes.fallbackExamples.get(key) ?? 0) + 1);
        }
      }
      heard('bot', reply ?? 'Sorry, something went wrong.');
    }

    await transcript(schedule.transcripts[2], 'user', "Thanks, that's all.");
    await transcript(schedule.transcripts[3], 'assistant', ENGLISH.assistant.goodbye(COMPANY));
    await waitUntil(schedule.ended);
    await send('status-update', statusUpdate(call, 'ended'));
    await waitUntil(schedule.report);
    const report = await send('end-of-call-report', endOfCallReport(call, lines, Date.now()));
    this.expected.taskFor(call.id, caller, report !== undefined);
    this.outcomes.callsCompleted++;
  }
}

export interface PlayResult {
  peakActive: number;
  phaseMs: number;
}

/**
 * Starts the calls evenly over `rampMs` (all at once when 0) and waits for all of them, or until `deadlineMs`
 * has passed: calls still running then are left to their request timeouts and counted as not completed.
 */
export async function playCalls(
  simulator: CallSimulator,
  plans: CallPlan[],
  rampMs: number,
  deadlineMs: number,
): Promise<PlayResult> {
  let active = 0;
  let peakActive = 0;
  const started = performance.now();
  const all = Promise.all(
    plans.map(async (plan, position) => {
      if (rampMs > 0) await sleep(Math.floor((position * rampMs) / plans.length));
      active++;
      peakActive = Math.max(peakActive, active);
      try {
        await simulator.run(plan);
      } finally {
        active--;
      }
    }),
  );
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<void>((resolve) => {
    timer = setTimeout(resolve, deadlineMs);
  });
  await Promise.race([all, deadline]).finally(() => clearTimeout(timer));
  return { peakActive, phaseMs: performance.now() - started };
}

/** Durations uniform in [min, max] seconds, from the seeded generator (same plan every run of one seed). */
export function callDurations(count: number, minSeconds: number, maxSeconds: number, seed: number): number[] {
  const random = prng(seed);
  return Array.from({ length: count }, () =>
    Math.round((minSeconds + (maxSeconds - minSeconds) * random()) * 1000),
  );
}

/** Plays `callers` at once with no think time (warm-ups, the economy groups); returns what they heard. */
export async function playBurst(
  world: Pick<World, 'services'>,
  setup: { secret: string; spread: Spread; smsEnabled: boolean; requestTimeoutMs: number },
  callers: Caller[],
  withCase: boolean,
  expected: Expected,
  recorder: Recorder,
): Promise<Outcomes> {
  const outcomes = newOutcomes();
  const simulator = new CallSimulator(
    new WebhookSender(setup.secret, recorder),
    outcomes,
    expected,
    setup.smsEnabled,
  );
  const targets = new Targets(
    world.services.map((service) => service.pool),
    setup.spread,
  );
  const plans = callers.map((caller, index) => ({
    caller,
    withCase,
    schedule: BURST_SCHEDULE,
    target: targets.forCall(index),
  }));
  // Nine messages a call, each bounded by the request timeout.
  await playCalls(simulator, plans, 0, 10 * setup.requestTimeoutMs);
  return outcomes;
}
