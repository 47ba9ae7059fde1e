import autocannon from 'autocannon';
import { createHmac } from 'node:crypto';

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
  const timestamp = String(Date.now());
  const signature = createHmac('sha256', secret).update(`${timestamp}.${body}`).digest('hex');
  const result = await autocannon({
    url: `${url}/vapi/webhook`,
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-signature': signature, 'x-timestamp': timestamp },
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
