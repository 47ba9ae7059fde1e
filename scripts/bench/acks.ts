import { loadavg } from 'node:os';
import { freePort, startChild, waitForHttp } from '../processes';
import type { AckClientResult } from './ack-client';
import { BenchOptions, SERVICE_NODE_FLAGS } from './options';
import { createBenchDatabase, formatTable, ProcessSampler, SectionResult } from './support';
import type { Child } from './world';

/**
 * Section "acks": signed `status-update` acknowledgements, side by side in one run, through
 * - the real service (child process, production logging to /dev/null),
 * - the smallest NestJS + Fastify + rawBody app doing the same signature check (nest-floor-server.ts), the floor
 *   the service is measured against,
 * - a bare node:http server doing the same check (bare-ack-server.ts), the machine's ceiling,
 * each driven by autocannon from a separate client process (ack-client.ts). Rounds rotate the order, so drift
 * of a shared machine falls on every server; the figures are the medians over rounds.
 */

interface Server {
  label: string;
  url: string;
  child: Child;
}

interface Measured extends AckClientResult {
  serverCorePercent: number;
}

const median = (values: number[]) => {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
};

/** One autocannon run from its own process; the server's CPU is sampled meanwhile. */
async function measure(
  server: Server,
  secret: string,
  connections: number,
  seconds: number,
): Promise<Measured> {
  const sampler = new ProcessSampler([{ name: server.label, pid: server.child.child.pid }]);
  const client = startChild('scripts/bench/ack-client.js', {
    BENCH_ACK_URL: server.url,
    BENCH_ACK_CONNECTIONS: String(connections),
    BENCH_ACK_SECONDS: String(seconds),
    VAPI_WEBHOOK_SECRET: secret,
  });
  const code = await new Promise<number | null>((resolve) => {
    const timer = setTimeout(() => client.child.kill('SIGKILL'), (seconds + 60) * 1000);
    client.child.once('exit', (exitCode) => {
      clearTimeout(timer);
      resolve(exitCode);
    });
  });
  const [usage] = sampler.stop();
  const line = client.output().trim().split('\n').at(-1) ?? '';
  if (code !== 0)
    throw new Error(`the ack client failed against ${server.label}: ${client.output().slice(-2000)}`);
  // Over the measured seconds: the client's own start-up (loading autocannon) costs the server nothing.
  return { ...(JSON.parse(line) as AckClientResult), serverCorePercent: (usage.cpuSeconds / seconds) * 100 };
}

export async function runAckSection(options: BenchOptions, dataDir: string): Promise<SectionResult> {
  const { secret } = options.world;
  const { connections, seconds, rounds, warmupSeconds } = options.acks;
  const database = await createBenchDatabase(
    options.world.database,
    dataDir,
    'acks',
    options.world.postgresUrl,
  );
  const [servicePort, nestPort, barePort] = [await freePort(), await freePort(), await freePort()];
  const service = startChild(
    'src/main.js',
    {
      PORT: String(servicePort),
      LOG_LEVEL: options.world.logLevel,
      DATABASE_URL: database.url,
      VAPI_WEBHOOK_SECRET: secret,
      // Acknowledgements never reach Salesforce: a login URL where nothing listens.
      SALESFORCE_AUTH_FLOW: 'client_credentials',
      SALESFORCE_LOGIN_URL: 'http://127.0.0.1:9',
      SALESFORCE_CLIENT_ID: 'bench',
      SALESFORCE_CLIENT_SECRET: 'bench',
      RECONCILER_ENABLED: 'false',
      VAPI_SERVER_CREDENTIAL_ID: 'bench-webhook-credential',
      STARTUP_CHECKS: 'false',
      SHUTDOWN_DRAIN_DELAY_MS: '0',
      ...options.world.serviceEnv,
    },
    { discardStdout: true, nodeArgs: options.world.serviceNodeArgs },
  );
  // The floors run with the image's node flags too, so the comparison is of the code, not of the heap settings.
  const floorFlags = { nodeArgs: [...SERVICE_NODE_FLAGS] };
  const nest = startChild(
    'scripts/bench/nest-floor-server.js',
    { PORT: String(nestPort), VAPI_WEBHOOK_SECRET: secret },
    floorFlags,
  );
  const bare = startChild(
    'scripts/bench/bare-ack-server.js',
    { PORT: String(barePort), VAPI_WEBHOOK_SECRET: secret },
    floorFlags,
  );
  const servers: Server[] = [
    { label: 'NestJS + Fastify + rawBody + HMAC (floor)', url: `http://127.0.0.1:${nestPort}`, child: nest },
    { label: 'bare node:http + HMAC', url: `http://127.0.0.1:${barePort}`, child: bare },
    { label: 'voice-crm /vapi/webhook', url: `http://127.0.0.1:${servicePort}`, child: service },
  ];
  try {
    await Promise.all(
      servers.map((server) => waitForHttp(`${server.url}/health/live`, 90_000, server.child)),
    );
    const loadBefore = loadavg();
    if (warmupSeconds > 0)
      for (const server of servers) await measure(server, secret, connections, warmupSeconds);
    const results = new Map<string, Measured[]>(servers.map((server) => [server.label, []]));
    const sampler = new ProcessSampler(
      servers.map((server) => ({ name: server.label, pid: server.child.child.pid })),
    );
    const ratios: { nest: number; bare: number }[] = [];
    for (let round = 0; round < rounds; round++) {
      const order = servers.map((_, k) => servers[(k + round) % servers.length]);
      const inRound = new Map<string, Measured>();
      for (const server of order)
        inRound.set(server.label, await measure(server, secret, connections, seconds));
      for (const [label, result] of inRound) results.get(label)?.push(result);
      const rate = (server: Server) => inRound.get(server.label)?.requestsPerSecond ?? 0;
      ratios.push({
        nest: rate(servers[2]) / Math.max(rate(servers[0]), 1),
        bare: rate(servers[2]) / Math.max(rate(servers[1]), 1),
      });
    }
    const usage = sampler.report(sampler.stop());
    const rows = servers.map((server) => {
      const runs = results.get(server.label) ?? [];
      const of = (pick: (run: Measured) => number) => median(runs.map(pick));
      return [
        server.label,
        of((run) => run.requestsPerSecond).toFixed(0),
        of((run) => run.p50Ms).toFixed(1),
        of((run) => run.p99Ms).toFixed(1),
        runs.reduce((sum, run) => sum + run.non2xx + run.errors + run.timeouts, 0),
        of((run) => run.serverCorePercent).toFixed(0),
        runs.map((run) => run.requestsPerSecond.toFixed(0)).join(' '),
      ];
    });
    const toNest = median(ratios.map((ratio) => ratio.nest));
    const toBare = median(ratios.map((ratio) => ratio.bare));
    const failed = (results.get(servers[2].label) ?? []).reduce(
      (sum, run) => sum + run.non2xx + run.errors + run.timeouts,
      0,
    );
    process.stdout.write(
      [
        `\n== acks: signed status-update, autocannon from a separate process, ${connections} connections, ` +
          `${rounds} round${rounds > 1 ? 's' : ''} of ${seconds} s per server (order rotated), medians; ${database.label}; ` +
          `load average at start ${loadBefore.map((v) => v.toFixed(2)).join(' ')}`,
        formatTable(
          ['server', 'req/s', 'p50 ms', 'p99 ms', 'failed', 'server CPU %', 'req/s per round'],
          rows,
        ),
        `voice-crm throughput / NestJS floor: ${toNest.toFixed(2)}; / bare node:http: ${toBare.toFixed(2)} (medians of per-round ratios)`,
        `servers over all rounds (the autocannon clients count as other work):\n${usage}`,
        failed > 0 ? `acks: FAILED (the service failed ${failed} acknowledgements)` : 'acks: OK',
        '',
      ].join('\n'),
    );
    return {
      ok: failed === 0,
      summary: [
        [
          'acks: voice-crm / NestJS floor / bare node:http, req/s',
          `${rows[2][1]} / ${rows[0][1]} / ${rows[1][1]}; p99 ${rows[2][3]} / ${rows[0][3]} / ${rows[1][3]} ms`,
        ],
        ['acks: voice-crm throughput / NestJS floor', toNest.toFixed(2)],
      ],
    };
  } finally {
    await Promise.all(servers.map((server) => server.child.stop()));
    await database.drop();
  }
}
