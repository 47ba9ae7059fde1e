/**
 * `npm run bench`: measurements on this machine, loopback only, every loop bounded in count and time. Each
 * section starts its own world (fresh database, Salesforce fake, Twilio fake, service processes from
 * `build/src/main.js`); this process only generates the load. Exits 1 when a webhook fails, a record is lost or
 * duplicated, or a service process dies.
 *
 * Sections (BENCH_SECTIONS, comma list, default all, in this order):
 * - acks     signed `status-update` acks: the service beside the smallest NestJS + Fastify + rawBody app doing the
 *            same HMAC check (the floor) and a bare node:http server, autocannon in a separate process (acks.ts)
 * - economy  Salesforce API calls per call by endpoint, for a call with one case, one without, an unknown number
 * - burst    N calls at once, no think time: assistant-request, status in-progress, 4 transcripts, one
 *            createSalesforceCase, status ended, end-of-call report (calls.ts)
 * - creates  the create-only burst (N createSalesforceCase at once) through the service, then through the naive
 *            handler (new token + one POST /sobjects/Case, nothing durable) in the same run (creates.ts)
 * - paced    N calls of 60–180 s each with realistic gaps, started over a ramp (calls.ts, `pacedSchedule`)
 *
 * Options (environment variables; an explicitly set one wins over the profile):
 * - BENCH_PROFILE            default | smoke (every section at a tiny size, under a minute: proves the bench works)
 * - BENCH_DB                 sqlite (default) | postgres
 * - BENCH_PROCESSES          service processes sharing the database (default 1 on SQLite, 3 on PostgreSQL;
 *                            more than 1 needs PostgreSQL)
 * - BENCH_SPREAD             request (default: round robin per message, like a load balancer) | call
 * - BENCH_POSTGRES_URL       postgres://postgres@127.0.0.1:5432/test (a fresh database is created beside it per
 *                            section and dropped after)
 * - BENCH_SF_LATENCY_MS      40, BENCH_SF_JITTER_MS 20: each Salesforce data request takes 40–60 ms
 * - BENCH_SF_TOKEN_LATENCY_MS 250: each token request
 * - BENCH_SMS                1 (default: the Twilio fake and SMS confirmations) | 0; BENCH_TWILIO_LATENCY_MS 100
 * - BENCH_ACK_CONNECTIONS    50 (smoke 10), BENCH_ACK_SECONDS 5 (1) per server and round, BENCH_ACK_ROUNDS 3 (1),
 *                            BENCH_ACK_WARMUP_SECONDS 2 (0)
 * - BENCH_ECONOMY_CALLS      20 (smoke 3) calls of each kind
 * - BENCH_BURST_CALLS        1000 (smoke 20)
 * - BENCH_CREATE_CALLS       1000 (smoke 20)
 * - BENCH_PACED_CALLS        10000 (smoke 30), BENCH_PACED_RAMP_SECONDS 60 (2), BENCH_PACED_MIN_SECONDS 60 (3),
 *                            BENCH_PACED_MAX_SECONDS 180 (6); all N calls overlap when the ramp is no longer than
 *                            the shortest call
 * - BENCH_WARMUP_CALLS       20 (smoke 3) quick calls per section before the measured ones, not reported
 * - BENCH_CALL_CONNECTIONS   cap on connections to each service process (default none: a connection per request
 *                            in flight, as VAPI sends each webhook on its own; a cap makes acks queue behind tools)
 * - BENCH_REQUEST_TIMEOUT_MS 30000 per webhook; BENCH_DRAIN_TIMEOUT_SECONDS 120 (30) for the outbox afterwards
 * - BENCH_SEED               1 (call durations and gaps)
 * - BENCH_TIMELINE=1         latency per 5 s window of the burst and paced loads
 * - BENCH_LOG_LEVEL          info (production logging, written to /dev/null)
 * - BENCH_SERVICE_NODE_ARGS  node flags for the service instead of the image's (`--max-semi-space-size=64`), e.g.
 *                            `--max-semi-space-size=64 --cpu-prof --cpu-prof-dir=/tmp/prof`
 * - BENCH_SERVICE_ENV        extra service variables, e.g. `SALESFORCE_MAX_CONCURRENCY=25 TOOL_WRITE_BUDGET_MS=3000`
 */
import 'reflect-metadata';
import { mkdtempSync, rmSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { runAckSection } from './acks';
import { runCallSection } from './calls';
import { runCreateSection } from './creates';
import { runEconomySection } from './economy';
import { readOptions, Section } from './options';
import { formatTable, SectionResult } from './support';

const SECRET = 'bench-webhook-secret-0123456789';

async function main(): Promise<boolean> {
  const options = readOptions(process.env, SECRET);
  const dataDir = mkdtempSync(join(tmpdir(), 'voice-crm-bench-'));
  const started = Date.now();
  const load = () =>
    loadavg()
      .map((value) => value.toFixed(2))
      .join(' ');
  process.stdout.write(
    `voice-crm bench: profile ${options.profile}; sections ${options.sections.join(', ')}; database ${options.world.database}, ` +
      `${options.world.processes} service process(es); node ${process.version}; ${cpus().length} cores; load average ${load()}\n`,
  );
  const results: { section: Section; result: SectionResult }[] = [];
  const run = (section: Section): Promise<SectionResult> => {
    switch (section) {
      case 'acks':
        return runAckSection(options, dataDir);
      case 'economy':
        return runEconomySection(options, dataDir);
      case 'burst':
        return runCallSection('burst', options, dataDir);
      case 'creates':
        return runCreateSection(options, dataDir);
      case 'paced':
        return runCallSection('paced', options, dataDir);
    }
  };
  try {
    for (const section of options.sections) {
      const sectionStarted = Date.now();
      try {
        results.push({ section, result: await run(section) });
        process.stdout.write(`(${section} took ${((Date.now() - sectionStarted) / 1000).toFixed(0)} s)\n`);
      } catch (error) {
        // One broken section does not hide the others' figures; the run still fails.
        process.stdout.write(
          `\n${section}: FAILED to run: ${error instanceof Error ? error.stack : String(error)}\n`,
        );
        results.push({ section, result: { ok: false, summary: [[section, 'did not run']] } });
      }
    }
  } finally {
    rmSync(dataDir, { recursive: true, force: true });
  }
  const ok = results.every(({ result }) => result.ok);
  process.stdout.write(
    `\n== summary (${options.world.database}, ${options.world.processes} service process(es); load average at end ${load()})\n` +
      `${formatTable(
        ['measure', 'result'],
        results.flatMap(({ result }) => result.summary),
        2,
      )}\n` +
      `\nbench ${ok ? 'passed' : 'FAILED'} in ${((Date.now() - started) / 1000).toFixed(0)} s\n`,
  );
  return ok;
}

main()
  .then((ok) => process.exit(ok ? 0 : 1))
  .catch((error: unknown) => {
    process.stderr.write(`${error instanceof Error ? error.stack : String(error)}\n`);
    process.exit(1);
  });
