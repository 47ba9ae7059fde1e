import { randomUUID } from 'node:crypto';
import { loadavg } from 'node:os';
import { performance } from 'node:perf_hooks';
import { Pool } from 'undici';
import { DEMO_CLIENT_ID, DEMO_CLIENT_SECRET } from '../../test/fakes/salesforce/demo-org';
import { freePort, startChild, waitForHttp } from '../processes';
import { assistantRequest, SimulatedCall, statusUpdate, toolCalls } from './call-payloads';
import { BenchOptions, connectionsLabel, loadOptionsFor } from './options';
import {
  drainAndVerify,
  fakeStats,
  recordProblems,
  perCall,
  recordsTable,
  statsDelta,
  StatsDelta,
} from './records';
import { classifyCaseReply, Expected, Recorder, Targets, toolResult, WebhookSender } from './simulator';
import { fmt, formatTable, percentile, ProcessSampler, SectionResult } from './support';
import { Caller, exitedServices, startWorld } from './world';

/**
 * Section "creates": the create-only burst. Every call is first set up (assistant-request and in-progress,
 * not timed, so the caller is identified), then all N createSalesforceCase tool calls are sent at once and
 * timed. The same N requests then go to the naive handler (naive-case-server.ts: a new token and one
 * `POST /sobjects/Case` each, nothing durable) against the same Salesforce fake, in the same run.
 */

const KIND = 'tool-calls createSalesforceCase';
const ISSUE = {
  issueType: 'technical',
  words: 'My router keeps dropping the connection every evening.',
} as const;

interface CreatePhase {
  label: string;
  recorder: Recorder;
  wallMs: number;
  spoken: number;
  delta: StatsDelta;
  /** The processes' table and the machine's load over the phase. */
  usage: string;
}

function newCall(caller: Caller): SimulatedCall {
  return {
    id: randomUUID(),
    customerNumber: caller.phoneE164,
    twilioCallSid: `CA${randomUUID().replace(/-/g, '')}`,
    startedAt: Date.now(),
  };
}

/** Runs `work` over `items`, at most `limit` at a time. */
async function inBatches<T>(items: T[], limit: number, work: (item: T) => Promise<void>): Promise<void> {
  for (let start = 0; start < items.length; start += limit)
    await Promise.all(items.slice(start, start + limit).map(work));
}

/** Sends one createSalesforceCase per call, all at once; notes what was promised in `expected`. */
async function burstOfCreates(
  sender: WebhookSender,
  pools: () => Pool,
  calls: { call: SimulatedCall; caller: Caller }[],
  expected: Expected | undefined,
  smsEnabled: boolean,
): Promise<{ wallMs: number; spoken: number }> {
  let spoken = 0;
  const started = performance.now();
  await Promise.all(
    calls.map(async ({ call, caller }) => {
      const toolCallId = `call_${randomUUID().replace(/-/g, '')}`;
      const description = `${ISSUE.words} [${expected?.marker ?? 'bench-naive'} tool=${toolCallId}]`;
      const answer = await sender.send(
        pools(),
        KIND,
        toolCalls(call, toolCallId, 'createSalesforceCase', { issueType: ISSUE.issueType, description }),
      );
      const reply = toolResult(answer, toolCallId);
      const verdict = reply === undefined ? undefined : classifyCaseReply(reply, ISSUE.issueType).verdict;
      // The naive handler speaks a record id, not a case number; any answer of its counts.
      if (expected === undefined ? reply !== undefined : verdict === 'spoken') spoken++;
      if (expected && (answer === undefined || verdict === 'spoken' || verdict === 'deferred'))
        expected.caseFor(toolCallId, caller, answer !== undefined, smsEnabled);
    }),
  );
  return { wallMs: performance.now() - started, spoken };
}

function phaseRow(phase: CreatePhase, creates: number): (string | number)[] {
  const sorted = [...(phase.recorder.latencies.get(KIND) ?? [])].sort((a, b) => a - b);
  return [
    phase.label,
    creates,
    phase.recorder.totalFailed(),
    phase.spoken,
    fmt(percentile(sorted, 50)),
    fmt(percentile(sorted, 95)),
    fmt(percentile(sorted, 99)),
    fmt(sorted.at(-1) ?? 0),
    (creates / (phase.wallMs / 1000)).toFixed(0),
  ];
}

export async function runCreateSection(options: BenchOptions, dataDir: string): Promise<SectionResult> {
  const n = options.creates.calls;
  const warmup = options.load.warmupCalls;
  const { world: worldOptions, load } = loadOptionsFor(options, dataDir);
  const world = await startWorld(
    { ...worldOptions, connections: load.connections, requestTimeoutMs: load.requestTimeoutMs },
    'creates',
    { callers: n + warmup },
  );
  const naivePort = await freePort();
  const naive = startChild(
    'scripts/bench/naive-case-server.js',
    {
      PORT: String(naivePort),
      VAPI_WEBHOOK_SECRET: options.world.secret,
      SALESFORCE_LOGIN_URL: world.fakeUrl,
      SALESFORCE_CLIENT_ID: DEMO_CLIENT_ID,
      SALESFORCE_CLIENT_SECRET: DEMO_CLIENT_SECRET,
    },
    { discardStdout: true },
  );
  const naivePool = new Pool(`http://127.0.0.1:${naivePort}`, {
    connections: load.connections,
    headersTimeout: load.requestTimeoutMs,
    bodyTimeout: load.requestTimeoutMs,
  });
  try {
    await waitForHttp(`http://127.0.0.1:${naivePort}/`, 30_000, naive);
    const targets = new Targets(
      world.services.map((service) => service.pool),
      options.world.spread,
    );
    const toService = targets.forCall(0);
    const setupRecorder = new Recorder();
    const setupSender = new WebhookSender(options.world.secret, setupRecorder);
    const calls = world.callers.map((caller) => ({ caller, call: newCall(caller) }));
    // Not timed: the calls exist and their callers are identified before the creates.
    await inBatches(calls, 50, async ({ call }) => {
      const pool = toService();
      await setupSender.send(pool, 'assistant-request', assistantRequest(call));
      await setupSender.send(pool, 'status-update', statusUpdate(call, 'in-progress'));
    });
    const warmupCalls = calls.slice(n);
    const measured = calls.slice(0, n);
    if (warmupCalls.length > 0) {
      const warmed = new Expected('bench-warmup');
      await burstOfCreates(setupSender, toService, warmupCalls, warmed, options.world.sms);
      // The naive handler's warm-up failures are its own, not the service's.
      await burstOfCreates(
        new WebhookSender(options.world.secret, new Recorder()),
        () => naivePool,
        warmupCalls.map(({ caller }) => ({ caller, call: newCall(caller) })),
        undefined,
        false,
      );
      await drainAndVerify(world, warmed, load.drainTimeoutMs);
    }

    const loadBefore = loadavg();
    const expected = new Expected('bench');
    const runPhase = async (
      label: string,
      pool: () => Pool,
      processes: { name: string; pid: number | undefined }[],
      promised: Expected | undefined,
      batch: { call: SimulatedCall; caller: Caller }[],
    ): Promise<CreatePhase> => {
      const before = await fakeStats(world.fake);
      const sampler = new ProcessSampler(processes);
      const recorder = new Recorder();
      const { wallMs, spoken } = await burstOfCreates(
        new WebhookSender(options.world.secret, recorder),
        pool,
        batch,
        promised,
        options.world.sms,
      );
      const usage = sampler.report(sampler.stop());
      return {
        label,
        recorder,
        wallMs,
        spoken,
        delta: statsDelta(await fakeStats(world.fake), before),
        usage,
      };
    };
    const fake = world.processes().filter((entry) => entry.name === 'Salesforce fake');
    const services = world.processes().filter((entry) => entry.name.startsWith('service'));
    const ours = await runPhase('voice-crm (durable)', toService, [...services, ...fake], expected, measured);
    const drained = await drainAndVerify(world, expected, load.drainTimeoutMs);
    const naiveCalls = measured.map(({ caller }) => ({ caller, call: newCall(caller) }));
    const floor = await runPhase(
      'naive handler (token + POST, nothing durable)',
      () => naivePool,
      [{ name: 'naive handler', pid: naive.child.pid }, ...fake],
      undefined,
      naiveCalls,
    );

    const ratio = floor.wallMs / ours.wallMs;
    const out = [
      `\n== creates: ${n} createSalesforceCase at once (callers identified beforehand), the service then the naive handler; ${world.label}`,
      `${world.salesforceLabel}; ${connectionsLabel(load.connections)}; load average at start ${loadBefore.map((v) => v.toFixed(2)).join(' ')}`,
      formatTable(
        [
          'handler',
          'creates',
          'failed',
          'answered with the case',
          'p50 ms',
          'p95 ms',
          'p99 ms',
          'max ms',
          'creates/s',
        ],
        [phaseRow(ours, n), phaseRow(floor, n)],
      ),
      `throughput voice-crm / naive: ${ratio.toFixed(2)} (creates/s over the whole burst, first send to last answer)`,
      `Salesforce API calls, voice-crm: ${perCall(ours.delta, n, 'create')}; token requests ${ours.delta.tokenRequests}`,
      `Salesforce API calls, naive: ${perCall(floor.delta, n, 'create')}; token requests ${floor.delta.tokenRequests}`,
      recordsTable(drained.verification),
      `processes, voice-crm phase:\n${ours.usage}`,
      `processes, naive phase:\n${floor.usage}`,
    ];
    const exited = exitedServices(world);
    const failed = ours.recorder.totalFailed() + setupRecorder.totalFailed();
    const problems = [
      failed > 0 && `${failed} webhooks failed`,
      ...recordProblems(drained),
      exited.length > 0 && 'a service process exited',
    ].filter((problem): problem is string => typeof problem === 'string');
    for (const phase of [ours, floor])
      for (const [reason, count] of phase.recorder.failureExamples)
        out.push(`  ${phase.label} failure: ${reason} × ${count}`);
    if (floor.recorder.totalFailed() > 0)
      out.push(`note: the naive handler failed ${floor.recorder.totalFailed()} creates`);
    out.push(problems.length === 0 ? 'creates: OK' : `creates: FAILED (${problems.join('; ')})`);
    process.stdout.write(`${out.join('\n')}\n`);
    const rate = (phase: CreatePhase) => `${(n / (phase.wallMs / 1000)).toFixed(0)}/s`;
    return {
      ok: problems.length === 0,
      summary: [
        [
          `creates ${n}: voice-crm vs naive handler, creates/s`,
          `${rate(ours)} vs ${rate(floor)} (ratio ${ratio.toFixed(2)}); case numbers spoken ${ours.spoken} of ${n}`,
        ],
        [`creates ${n}: Salesforce API calls per create`, perCall(ours.delta, n, 'create')],
      ],
    };
  } finally {
    await naivePool.close();
    await naive.stop();
    await world.stop();
  }
}
