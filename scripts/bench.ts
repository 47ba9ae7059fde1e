/**
 * `npm run bench`: measurements on this machine, loopback only, bounded in time.
 * Section "acks": signed `status-update` acknowledgements through the real service (child process, production
 * logging at info to /dev/null) beside a bare node:http server doing the same HMAC check, with the ratio.
 * Options (env): BENCH_CONNECTIONS (default 50), BENCH_DURATION_SECONDS (default 10).
 */
import 'reflect-metadata';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { measureAcks, AckResult } from './bench-ack';
import { startChild, waitForHttp } from './bench-support';

const SECRET = 'bench-webhook-secret-0123456789';

function row(result: AckResult): string {
  return [
    result.label.padEnd(28),
    result.requestsPerSecond.toFixed(0).padStart(8),
    result.p50Ms.toFixed(1).padStart(8),
    result.p99Ms.toFixed(1).padStart(8),
    String(result.non2xx + result.errors).padStart(8),
  ].join(' ');
}

async function benchAcks(connections: number, durationSeconds: number): Promise<void> {
  const dataDir = mkdtempSync(join(tmpdir(), 'voice-crm-bench-'));
  const servicePort = '3901';
  const barePort = '3902';
  const service = startChild(
    'src/main.js',
    {
      PORT: servicePort,
      LOG_LEVEL: process.env.BENCH_LOG_LEVEL ?? 'info',
      DATABASE_URL: `sqlite:${join(dataDir, 'bench.db')}`,
      VAPI_WEBHOOK_SECRET: SECRET,
      SALESFORCE_AUTH_FLOW: 'client_credentials',
      SALESFORCE_LOGIN_URL: 'http://127.0.0.1:9',
      SALESFORCE_CLIENT_ID: 'bench',
      SALESFORCE_CLIENT_SECRET: 'bench',
      SHUTDOWN_DRAIN_DELAY_MS: '0',
    },
    { discardStdout: true },
  );
  const bare = startChild('scripts/bare-ack-server.js', { PORT: barePort, VAPI_WEBHOOK_SECRET: SECRET });
  try {
    await waitForHttp(`http://127.0.0.1:${servicePort}/health/live`);
    await waitForHttp(`http://127.0.0.1:${barePort}/`);
    const options = { connections, durationSeconds };
    // Warm-up, then the measured runs, the floor first so both see the same machine state.
    await measureAcks('warm-up', `http://127.0.0.1:${servicePort}`, SECRET, {
      connections,
      durationSeconds: 2,
    });
    const floor = await measureAcks('bare node:http + HMAC', `http://127.0.0.1:${barePort}`, SECRET, options);
    const ours = await measureAcks(
      'voice-crm /vapi/webhook',
      `http://127.0.0.1:${servicePort}`,
      SECRET,
      options,
    );
    process.stdout.write(`\nstatus-update acks, ${connections} connections, ${durationSeconds} s each\n`);
    process.stdout.write(
      `${'server'.padEnd(28)} ${'req/s'.padStart(8)} ${'p50 ms'.padStart(8)} ${'p99 ms'.padStart(8)} ${'failed'.padStart(8)}\n`,
    );
    process.stdout.write(`${row(floor)}\n${row(ours)}\n`);
    process.stdout.write(
      `ratio voice-crm / floor: throughput ${(ours.requestsPerSecond / floor.requestsPerSecond).toFixed(2)}, ` +
        `p99 ${(ours.p99Ms / Math.max(floor.p99Ms, 0.001)).toFixed(2)}\n`,
    );
    if (ours.non2xx + ours.errors > 0) throw new Error('the service failed some acknowledgements');
  } finally {
    await Promise.all([service.stop(), bare.stop()]);
    rmSync(dataDir, { recursive: true, force: true });
  }
}

async function main(): Promise<void> {
  const connections = Number(process.env.BENCH_CONNECTIONS ?? 50);
  const durationSeconds = Number(process.env.BENCH_DURATION_SECONDS ?? 10);
  await benchAcks(connections, durationSeconds);
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? error.stack : String(error)}\n`);
  process.exit(1);
});
