import { fmt } from './support';
import type { ServiceProcess } from './world';

/**
 * The service's own view from `/metrics` of each process: webhook handling time (it starts when Fastify has the
 * request, so the gap to the simulator's latency is queueing in front of the handler), Salesforce request
 * times, and the event-loop lag since start (nobody else scrapes during the run).
 */

interface HistogramSummary {
  label: string;
  count: number;
  p50Ms: number;
  p99Ms: number;
}

/** Quantiles of Prometheus histograms by one label, read as "at most this bucket bound" (ms), summed over texts. */
function histogramsBy(texts: string[], metric: string, labelName: string): HistogramSummary[] {
  const buckets = new Map<string, Map<number, number>>();
  const pattern = new RegExp(`^${metric}_bucket\\{([^}]*)\\} (\\S+)$`);
  for (const line of texts.join('\n').split('\n')) {
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

function gaugeMs(text: string, name: string): number | undefined {
  const match = new RegExp(`^${name} (\\S+)$`, 'm').exec(text);
  return match ? Number(match[1]) * 1000 : undefined;
}

async function scrape(service: ServiceProcess): Promise<string> {
  try {
    const response = await service.pool.request({ path: '/metrics', method: 'GET' });
    return response.statusCode === 200 ? await response.body.text() : '';
  } catch {
    return '';
  }
}

/** Lines for the report: handling time by message type, Salesforce requests by operation, loop lag per process. */
export async function serviceMetricLines(services: ServiceProcess[]): Promise<string[]> {
  const texts = await Promise.all(services.map(scrape));
  const summaries = (entries: HistogramSummary[]) =>
    entries
      .map((entry) => `${entry.label} ${entry.count}× p50 ≤${fmt(entry.p50Ms)} p99 ≤${fmt(entry.p99Ms)}`)
      .join('; ');
  const webhooks = histogramsBy(texts, 'vapi_webhook_duration_seconds', 'type');
  if (webhooks.length === 0) return ['(the service metrics could not be read)'];
  const lags = services.map(
    (service, index) =>
      `${service.name} p99 ${fmt(gaugeMs(texts[index], 'nodejs_eventloop_lag_p99_seconds') ?? 0)} ms, ` +
      `max ${fmt(gaugeMs(texts[index], 'nodejs_eventloop_lag_max_seconds') ?? 0)} ms`,
  );
  return [
    `inside the service since start, ms (histogram bucket bounds): ${summaries(webhooks)}`,
    `its Salesforce requests, ms: ${summaries(histogramsBy(texts, 'salesforce_request_duration_seconds', 'operation'))}`,
    `its event-loop lag since start: ${lags.join('; ')}`,
  ];
}
