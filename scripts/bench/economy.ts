import { BenchOptions, burstSetup, loadOptionsFor } from './options';
import { drainAndVerify, duplicatedOf, fakeStats, lostOf, statsDelta, StatsDelta } from './records';
import { Expected, playBurst, Recorder } from './simulator';
import { formatTable, SectionResult } from './support';
import { Caller, startWorld, World } from './world';

/**
 * Section "economy": Salesforce API calls per call, by endpoint, for each kind of call on its own (the fake
 * counts requests, not calls, so kinds are measured one after the other, each drained before the next):
 * an identified caller who opens one case, one who opens none, and a number Salesforce does not know.
 * Small groups of calls at once; the figures are counts, not timings, so they hold on a busy machine too.
 */

interface Group {
  label: string;
  key: string;
  callers: Caller[];
  withCase: boolean;
}

async function playGroup(
  world: World,
  options: BenchOptions,
  group: Group,
  expected: Expected,
  recorder: Recorder,
) {
  const before = await fakeStats(world.fake);
  await playBurst(world, burstSetup(options), group.callers, group.withCase, expected, recorder);
  const drained = await drainAndVerify(world, expected, options.load.drainTimeoutMs);
  return { delta: statsDelta(await fakeStats(world.fake), before), verification: drained.verification };
}

export async function runEconomySection(options: BenchOptions, dataDir: string): Promise<SectionResult> {
  const k = options.economy.calls;
  const warmup = options.load.warmupCalls;
  const { world: worldOptions, load } = loadOptionsFor(options, dataDir);
  const world = await startWorld(
    { ...worldOptions, connections: load.connections, requestTimeoutMs: load.requestTimeoutMs },
    'economy',
    { callers: warmup + 2 * k, unknownCallers: k },
  );
  try {
    const groups: Group[] = [
      {
        label: 'identified caller, one case',
        key: 'with a case',
        callers: world.callers.slice(warmup, warmup + k),
        withCase: true,
      },
      {
        label: 'identified caller, no case',
        key: 'no case',
        callers: world.callers.slice(warmup + k),
        withCase: false,
      },
      {
        label: 'unknown number, no case',
        key: 'unknown number',
        callers: world.unknownCallers,
        withCase: false,
      },
    ];
    const recorder = new Recorder();
    if (warmup > 0) {
      const warm: Group = {
        label: 'warm-up',
        key: 'warm-up',
        callers: world.callers.slice(0, warmup),
        withCase: true,
      };
      await playGroup(world, options, warm, new Expected('bench-warmup'), recorder);
    }
    const results: { group: Group; delta: StatsDelta; lost: number; duplicated: number }[] = [];
    for (const group of groups) {
      const expected = new Expected(`bench-${group.key.replace(/\W/g, '-')}`);
      const { delta, verification } = await playGroup(world, options, group, expected, recorder);
      results.push({ group, delta, lost: lostOf(verification), duplicated: duplicatedOf(verification) });
    }
    const routes = [
      ...new Set(results.flatMap((result) => result.delta.routes.map(([route]) => route))),
    ].sort();
    const share = (count: number) => (count / k).toFixed(2);
    const out = [
      `\n== economy: Salesforce requests per call, ${k} calls of each kind at once, each kind drained before the next; ${world.label}`,
      formatTable(
        ['kind of call', 'API calls per call', ...routes, 'token requests', 'lost', 'duplicated'],
        results.map(({ group, delta, lost, duplicated }) => [
          group.label,
          share(delta.apiCalls),
          ...routes.map((route) => share(delta.routes.find(([name]) => name === route)?.[1] ?? 0)),
          delta.tokenRequests,
          lost,
          duplicated,
        ]),
      ),
      '(Tasks go 200 to a request, so their share depends on how many calls end together.)',
    ];
    const failed = recorder.totalFailed();
    const lost = results.reduce((sum, result) => sum + result.lost, 0);
    const duplicated = results.reduce((sum, result) => sum + result.duplicated, 0);
    const ok = failed === 0 && lost === 0 && duplicated === 0;
    out.push(
      ok
        ? 'economy: OK'
        : `economy: FAILED (${failed} webhooks failed, ${lost} records lost, ${duplicated} duplicated)`,
    );
    process.stdout.write(`${out.join('\n')}\n`);
    return {
      ok,
      summary: results.map(({ group, delta }) => [
        `economy: API calls per call, ${group.label}`,
        `${share(delta.apiCalls)} (${delta.routes.map(([route, count]) => `${route} ${share(count)}`).join(', ')})`,
      ]),
    };
  } finally {
    await world.stop();
  }
}
