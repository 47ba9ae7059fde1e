/**
 * The acks load generator, in its own process so the client's CPU is not the server's: autocannon posting one
 * signed `status-update` to BENCH_ACK_URL with BENCH_ACK_CONNECTIONS connections for BENCH_ACK_SECONDS, then one
 * JSON line with the result on stdout.
 */
import autocannon from 'autocannon';
import { hmacHeaders } from '../../test/fakes/vapi-sender/vapi-signing';

export interface AckClientResult {
  requestsPerSecond: number;
  p50Ms: number;
  p99Ms: number;
  non2xx: number;
  errors: number;
  timeouts: number;
}

async function main(): Promise<void> {
  const env = process.env;
  const body = JSON.stringify({
    message: {
      type: 'status-update',
      status: 'in-progress',
      call: { id: 'bench-call-1', customer: { number: '+14155550100' }, phoneCallProviderId: 'CAbench' },
      timestamp: Date.now(),
    },
  });
  // One signature for the whole run: it stays inside the 300 s window for runs shorter than that.
  const signed = hmacHeaders(env.VAPI_WEBHOOK_SECRET ?? '', body);
  const result = await autocannon({
    url: `${env.BENCH_ACK_URL}/vapi/webhook`,
    method: 'POST',
    headers: { 'content-type': 'application/json', ...signed },
    body,
    connections: Number(env.BENCH_ACK_CONNECTIONS ?? 50),
    duration: Number(env.BENCH_ACK_SECONDS ?? 5),
  });
  const answer: AckClientResult = {
    requestsPerSecond: result.requests.average,
    p50Ms: result.latency.p50,
    p99Ms: result.latency.p99,
    non2xx: result.non2xx,
    errors: result.errors,
    timeouts: result.timeouts,
  };
  process.stdout.write(`${JSON.stringify(answer)}\n`);
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
