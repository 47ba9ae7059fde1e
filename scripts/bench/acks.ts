import { hmacHeaders } from '../../test/fakes/vapi-sender/vapi-signing';
import autocannon from 'autocannon';
import { freePort, startChild, waitForHttp } from '../processes';
import { createBenchDatabase, formatTable } from './support';

export interface AckResult {
  label: string;
  requestsPerSecond: number;
  p50Ms: number;
  p99Ms: number;
  non2xx: number;
  errors: number;
}

/** Drives signed `status-update` acknowledgements at `url` with autocannon (loopback only). */
export async function measureAcks(
  label: string,
  url: string,
  secret: string,
  options: { connections: number; durationSeconds: number },
): Promise<AckResult> {
  const body = JSON.stringify({
    message: {
      type: 'status-update',
      status: 'in-progress',
      call: { id: 'bench-call-1', customer: { number: '+14155550100' }, phoneCallProviderId: 'CAbench' },
      timestamp: Date.now(),
    },
  });
  // One signature for the whole run: it stays inside the 300 s window for runs shorter than that.
  const signed = hmacHeaders(secret, body);
  const result = await autocannon({
    url: `${url}/vapi/webhook`,
    method: 'POST',
    headers: { 'content-type': 'application/json', ...signed },
    body,
    connections: options.connections,
    duration: options.durationSeconds,
  });
  return {
    label,
    requestsPerSecond: result.requests.average,
    p50Ms: result.latency.p50,
    p99Ms: result.latency.p99,
    non2xx: result.non2xx,
    errors: result.errors,
  };
}

export interface AckSectionOptions {
  secret: string;
  connections: number;
  durationSeconds: number;
  logLevel: string;
  database: 'sqlite' | 'postgres';
  postgresUrl: string;
  dataDir: string;
  /** Node flags for the service process (profiling). */
  serviceNodeArgs: string[];
}

/**
 * Section "acks": signed `status-update` acknowledgements through the real service (child process, production
 * logging to /dev/null) beside a bare node:http server doing the same HMAC check (the floor), with the ratio.
 * Returns false when the service failed any acknowledgement.
 */
export async function runAckSection(options: AckSectionOptions): Promise<boolean> {
  const { secret, connections, durationSeconds } = options;
  const database = await createBenchDatabase(options.database, options.dataDir, 'acks', options.postgresUrl);
  const [servicePort, barePort] = [await freePort(), await freePort()];
  const service = startChild(
    'src/main.js',
    {
      PORT: String(servicePort),
      LOG_LEVEL: options.logLevel,
      DATABASE_URL: database.url,
      VAPI_WEBHOOK_SECRET: secret,
      VAPI_SERVER_CREDENTIAL_ID: 'bench-webhook-credential',
      SALESFORCE_AUTH_FLOW: 'client_credentials',
      SALESFORCE_LOGIN_URL: 'http://127.0.0.1:9',
      SALESFORCE_CLIENT_ID: 'bench',
      SALESFORCE_CLIENT_SECRET: 'bench',
      RECONCILER_ENABLED: 'false',
      SHUTDOWN_DRAIN_DELAY_MS: '0',
    },
    { discardStdout: true, nodeArgs: options.serviceNodeArgs },
  );
  const bare = startChild('scripts/bench/bare-ack-server.js', {
    PORT: String(barePort),
    VAPI_WEBHOOK_SECRET: secret,
  });
  try {
    await waitForHttp(`http://127.0.0.1:${servicePort}/health/live`, 60_000, service);
    await waitForHttp(`http://127.0.0.1:${barePort}/`, 30_000, bare);
    const measured = { connections, durationSeconds };
    // Warm-up, then the measured runs, the floor first so both see the same machine state.
    await measureAcks('warm-up', `http://127.0.0.1:${servicePort}`, secret, {
      connections,
      durationSeconds: 2,
    });
    const floor = await measureAcks(
      'bare node:http + HMAC',
      `http://127.0.0.1:${barePort}`,
      secret,
      measured,
    );
    const ours = await measureAcks(
      'voice-crm /vapi/webhook',
      `http://127.0.0.1:${servicePort}`,
      secret,
      measured,
    );
    const row = (result: AckResult) => [
      result.label,
      result.requestsPerSecond.toFixed(0),
      result.p50Ms.toFixed(1),
      result.p99Ms.toFixed(1),
      result.non2xx + result.errors,
    ];
    process.stdout.write(
      `\n== acks: signed status-update, ${connections} connections, ${durationSeconds} s each, ${database.label}\n`,
    );
    process.stdout.write(
      `${formatTable(['server', 'req/s', 'p50 ms', 'p99 ms', 'failed'], [row(floor), row(ours)])}\n`,
    );
    process.stdout.write(
      `ratio voice-crm / floor: throughput ${(ours.requestsPerSecond / floor.requestsPerSecond).toFixed(2)}, ` +
        `p99 ${(ours.p99Ms / Math.max(floor.p99Ms, 0.001)).toFixed(2)}\n`,
    );
    const failed = ours.non2xx + ours.errors;
    if (failed > 0) process.stdout.write(`FAILED: the service failed ${failed} acknowledgements\n`);
    return failed === 0;
  } finally {
    await Promise.all([service.stop(), bare.stop()]);
    await database.drop();
  }
}
