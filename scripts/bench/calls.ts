import { loadavg } from 'node:os';
import { monitorEventLoopDelay, performance } from 'node:perf_hooks';
import { BenchOptions, burstSetup, connectionsLabel, loadOptionsFor } from './options';
import {
  drainAndVerify,
  duplicatedOf,
  fakeStats,
  lostOf,
  perCall,
  recordsTable,
  statsDelta,
  recordProblems,
} from './records';
import { serviceMetricLines } from './service-metrics';
import {
  BURST_SCHEDULE,
  Expected,
  callDurations,
  CallPlan,
  CallSimulator,
  fallbacksSpoken,
  MESSAGE_KINDS,
  newOutcomes,
  pacedSchedule,
  playBurst,
  playCalls,
  Recorder,
  Targets,
  VAPI_LIMIT_MS,
  WebhookSender,
} from './simulator';
import { fmt, formatTable, percentile, ProcessSampler, SectionResult } from './support';
import { Caller, exitedServices, startWorld, World } from './world';
import { prng } from '../../test/fakes/salesforce/fake-faults';

/**
 * Sections "burst" and "paced" of `npm run bench`: whole calls through the real service processes and the
 * fakes; this process is only the load generator.
 * - burst: N calls at once, no think time (every call's messages back to back).
 * - paced: N calls, each 60–180 s long with realistic gaps (see `pacedSchedule`), started evenly over a ramp,
 *   so with a ramp no longer than the shortest call all N are in progress together.
 * After the calls the outbox is drained and the records checked.
 */

export type Shape = 'burst' | 'paced';

/** Messages in one call with a case: the bound of a call's time is this many request timeouts. */
const MESSAGES_PER_CALL = 9;
/** Above this event-loop delay (p99) of the load generator, its own lateness is part of the latencies. */
const LATE_GENERATOR_MS = 50;

/** Latency per 5-second window of send time: where in the run the slow answers were. */
function timelineRows(timeline: [number, number][]): (string | number)[][] {
  const windows = new Map<number, number[]>();
  for (const [at, ms] of timeline) {
    const window = Math.floor(at / 5) * 5;
    const samples = windows.get(window) ?? [];
    samples.push(ms);
    windows.set(window, samples);
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

function latencyTable(
  recorder: Recorder,
  phaseMs: number,
): { table: string; quantiles: Map<string, number[]> } {
  const quantiles = new Map<string, number[]>();
  const row = (label: string, sorted: number[], failed: number, overLimit: number | '-') => {
    quantiles.set(label, [percentile(sorted, 50), percentile(sorted, 95), percentile(sorted, 99)]);
    return [
      label,
      sorted.length + failed,
      failed,
      overLimit,
      fmt(percentile(sorted, 50)),
      fmt(percentile(sorted, 95)),
      fmt(percentile(sorted, 99)),
      fmt(sorted.at(-1) ?? 0),
      ((sorted.length + failed) / (phaseMs / 1000)).toFixed(1),
    ];
  };
  const rows = MESSAGE_KINDS.map((kind) =>
    row(
      kind,
      [...(recorder.latencies.get(kind) ?? [])].sort((a, b) => a - b),
      recorder.failed.get(kind) ?? 0,
      VAPI_LIMIT_MS[kind] === undefined ? '-' : (recorder.overLimit.get(kind) ?? 0),
    ),
  ).filter((cells) => cells[1] !== 0);
  const all = [...recorder.latencies.values()].flat().sort((a, b) => a - b);
  rows.push(
    row(
      'all messages',
      all,
      recorder.totalFailed(),
      [...recorder.overLimit.values()].reduce((sum, count) => sum + count, 0),
    ),
  );
  return {
    table: formatTable(
      ['message type', 'sent', 'failed', '>VAPI limit', 'p50 ms', 'p95 ms', 'p99 ms', 'max ms', 'msg/s'],
      rows,
    ),
    quantiles,
  };
}

/** Quick calls before the measured ones, so JIT, token and pools are warm; not in the figures. */
export async function warmUp(world: World, options: BenchOptions, callers: Caller[]): Promise<string> {
  if (callers.length === 0) return 'no warm-up';
  const recorder = new Recorder();
  const expected = new Expected('bench-warmup');
  await playBurst(world, burstSetup(options), callers, true, expected, recorder);
  const drained = await drainAndVerify(world, expected, options.load.drainTimeoutMs);
  return `warm-up ${callers.length} calls before (not in the figures): ${recorder.totalFailed()} failed, ${lostOf(drained.verification)} records missing`;
}

/** Runs one load shape in a fresh world and prints its report; ok is false when a webhook failed or a record was lost or doubled. */
export async function runCallSection(
  shape: Shape,
  options: BenchOptions,
  dataDir: string,
): Promise<SectionResult> {
  const calls = shape === 'burst' ? options.burst.calls : options.paced.calls;
  const { world: worldOptions, load } = loadOptionsFor(options, dataDir);
  const world = await startWorld(
    { ...worldOptions, connections: load.connections, requestTimeoutMs: load.requestTimeoutMs },
    shape,
    { callers: calls + load.warmupCalls },
  );
  try {
    const warmupNote = await warmUp(world, options, world.callers.slice(calls));
    const targets = new Targets(
      world.services.map((service) => service.pool),
      options.world.spread,
    );
    const random = prng(load.seed);
    const durations =
      shape === 'paced'
        ? callDurations(calls, options.paced.minSeconds, options.paced.maxSeconds, load.seed + 7)
        : [];
    const plans: CallPlan[] = world.callers.slice(0, calls).map((caller, index) => ({
      caller,
      withCase: true,
      schedule: shape === 'paced' ? pacedSchedule(durations[index], random) : BURST_SCHEDULE,
      target: targets.forCall(index),
    }));
    const rampMs = shape === 'paced' ? options.paced.rampSeconds * 1000 : 0;
    const longestCallMs = Math.max(0, ...plans.map((plan) => plan.schedule.report));

    const before = await fakeStats(world.fake);
    const loadBefore = loadavg();
    const recorder = new Recorder();
    const outcomes = newOutcomes();
    const expected = new Expected('bench');
    const sender = new WebhookSender(options.world.secret, recorder);
    const simulator = new CallSimulator(sender, outcomes, expected, options.world.sms);
    const sampler = new ProcessSampler([
      ...world.processes(),
      { name: 'load generator (this process)', pid: process.pid },
    ]);
    let peakQueued = 0;
    const queueSampler = setInterval(() => {
      const queued = world.services.reduce((sum, service) => sum + service.pool.stats.queued, 0);
      peakQueued = Math.max(peakQueued, queued);
    }, 100);
    const loopDelay = monitorEventLoopDelay({ resolution: 10 });
    loopDelay.enable();
    recorder.phaseStarted = performance.now();
    const played = await playCalls(
      simulator,
      plans,
      rampMs,
      rampMs + longestCallMs + MESSAGES_PER_CALL * load.requestTimeoutMs,
    );
    loopDelay.disable();
    clearInterval(queueSampler);
    const drained = await drainAndVerify(world, expected, load.drainTimeoutMs);
    const usage = sampler.stop();
    const delta = statsDelta(await fakeStats(world.fake), before);
    const exited = exitedServices(world);

    const out: string[] = [];
    out.push(
      `\n== ${shape}: ${calls} calls${shape === 'paced' ? ` of ${options.paced.minSeconds}–${options.paced.maxSeconds} s, started over ${options.paced.rampSeconds} s` : ' at once, no think time'}; ${world.label}`,
    );
    out.push(
      `${world.salesforceLabel}; ${connectionsLabel(load.connections)}; load average at start ${loadBefore.map((v) => v.toFixed(2)).join(' ')}, ` +
        `at end ${loadavg()
          .map((v) => v.toFixed(2))
          .join(' ')}`,
    );
    out.push(warmupNote);
    const latency = latencyTable(recorder, played.phaseMs);
    out.push(latency.table);
    for (const [reason, count] of recorder.failureExamples) out.push(`  failure: ${reason} × ${count}`);
    out.push(...(await serviceMetricLines(world.services)));
    if (load.timeline)
      out.push(
        formatTable(['sent at', 'answers', 'p50 ms', 'p99 ms', 'max ms'], timelineRows(recorder.timeline)),
      );
    out.push(
      `calls completed ${outcomes.callsCompleted}/${calls} in ${(played.phaseMs / 1000).toFixed(1)} s ` +
        `(${(outcomes.callsCompleted / (played.phaseMs / 1000)).toFixed(1)} calls/s), peak concurrent calls ${played.peakActive}, ` +
        `peak requests in flight ${sender.peakInFlight}, peak queued in the client ${peakQueued}` +
        (peakQueued > 0
          ? ' (latencies include that wait: BENCH_CALL_CONNECTIONS caps the connections)'
          : '') +
        `; load generator event-loop delay p99 ${(loopDelay.percentile(99) / 1e6).toFixed(0)} ms, max ${(loopDelay.max / 1e6).toFixed(0)} ms`,
    );
    if (loopDelay.percentile(99) / 1e6 > LATE_GENERATOR_MS)
      out.push(
        `WARNING: the load generator itself ran late (p99 ${(loopDelay.percentile(99) / 1e6).toFixed(0)} ms): sends were late ` +
          'and latencies include its delay; the machine was oversubscribed (see "waited for a CPU" below)',
      );
    const { spoken, deferred, askedAccount, refused, other, unanswered } = outcomes.cases;
    out.push(
      `heard: greeted by name ${outcomes.greetingsPersonalised}/${calls}; createSalesforceCase spoke the case number ` +
        `${spoken}/${calls}; fallbacks spoken ${fallbacksSpoken(outcomes)} (generic greeting ${outcomes.greetingsGeneric}, ` +
        `case deferred ${deferred}, asked for an account number ${askedAccount}, refused ${refused}, other ${other}); unanswered ${unanswered}`,
    );
    for (const [reply, count] of outcomes.fallbackExamples) out.push(`  fallback: "${reply}" × ${count}`);
    out.push(`Salesforce API calls: ${perCall(delta, calls)}`);
    out.push(
      `token requests during the calls: ${delta.tokenRequests}; 401s ${delta.unauthorized}, limit rejections ${delta.limitRejections}`,
    );
    out.push(
      `outbox: ${drained.backlog ? `${drained.backlog.pending} pending, ${drained.backlog.deadLetters} dead letters` : 'backlog unreadable'}, ` +
        `drained ${(drained.drainMs / 1000).toFixed(1)} s after the last message`,
    );
    out.push(recordsTable(drained.verification));
    out.push(`processes over calls + drain:\n${sampler.report(usage)}`);
    const v = drained.verification;
    const problems = [
      recorder.totalFailed() > 0 && `${recorder.totalFailed()} webhooks failed`,
      outcomes.callsCompleted < calls && `${calls - outcomes.callsCompleted} calls did not complete`,
      ...recordProblems(drained),
      exited.length > 0 && `${exited.map((service) => service.name).join(', ')} exited`,
    ].filter((problem): problem is string => typeof problem === 'string');
    out.push(problems.length === 0 ? `${shape}: OK` : `${shape}: FAILED (${problems.join('; ')})`);
    for (const service of exited)
      out.push(`${service.name} output (tail):\n${service.child.output().slice(-4000)}`);
    process.stdout.write(`${out.join('\n')}\n`);

    const pair = (label: string) => {
      const [p50, , p99] = latency.quantiles.get(label) ?? [0, 0, 0];
      return `${fmt(p50)} / ${fmt(p99)} ms`;
    };
    const services = usage.filter((entry) => entry.name.startsWith('service'));
    return {
      ok: problems.length === 0,
      summary: [
        [`${shape} ${calls}: tool-calls p50 / p99`, pair('tool-calls createSalesforceCase')],
        [`${shape} ${calls}: assistant-request p50 / p99`, pair('assistant-request')],
        [`${shape} ${calls}: all messages p50 / p99`, pair('all messages')],
        [
          `${shape} ${calls}: case numbers spoken`,
          `${spoken} of ${calls}; fallbacks ${fallbacksSpoken(outcomes)}`,
        ],
        [
          `${shape} ${calls}: records missing / duplicated; webhooks failed`,
          `${lostOf(v)} / ${duplicatedOf(v)}${drained.backlog?.pending ? ` (${drained.backlog.pending} still pending)` : ''}; ${recorder.totalFailed()}`,
        ],
        [
          `${shape} ${calls}: Salesforce API calls`,
          `${perCall(delta, calls)}; ${delta.tokenRequests} token requests`,
        ],
        [
          `${shape} ${calls}: service peak RSS, CPU`,
          services
            .map((entry) => `${entry.peakRssMb.toFixed(0)} MB, ${entry.corePercent.toFixed(0)} %`)
            .join('; '),
        ],
      ],
    };
  } finally {
    await world.stop();
  }
}
