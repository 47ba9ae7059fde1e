/**
 * `npm run bench`: measurements on this machine, loopback only, every loop bounded in count and time.
 *
 * Sections (BENCH_SECTIONS, comma list, default `acks,calls`):
 * - acks: signed `status-update` acknowledgements through the real service beside a bare node:http server doing
 *   the same HMAC check (the floor), with the ratio (scripts/bench/acks.ts).
 * - calls: N concurrent simulated calls through the whole event sequence against the real service and the
 *   Salesforce fake; latency per message type, Salesforce API calls and token requests, records lost and
 *   duplicated, peak memory (scripts/bench/calls.ts).
 *
 * Options (env): BENCH_CALLS (1000), BENCH_THINK_MS (6000, mean pause between two messages of a call),
 * BENCH_RAMP_SECONDS (10), BENCH_CALL_CONNECTIONS (one per call, at most 1024), BENCH_REQUEST_TIMEOUT_MS (30000),
 * BENCH_DRAIN_TIMEOUT_SECONDS (120), BENCH_WARMUP_CALLS (20, quick calls before the measured ones), BENCH_SEED (1), BENCH_DB (`sqlite` | `postgres`), BENCH_POSTGRES_URL
 * (postgres://postgres@127.0.0.1:5432/test: a fresh database is created beside it and dropped after),
 * BENCH_CONNECTIONS (50) and BENCH_DURATION_SECONDS (10) for the acks, BENCH_LOG_LEVEL (info: production
 * logging, written to /dev/null), BENCH_TIMELINE=1 (latency per 5 s window of the calls),
 * BENCH_SERVICE_NODE_ARGS (node flags for the service, e.g. `--cpu-prof --cpu-prof-dir=/tmp/prof`).
 * Exits 1 when a section fails.
 */
import 'reflect-metadata';
import { mkdtempSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { runAckSection } from './acks';
import { runCallSection } from './calls';

const SECRET = 'bench-webhook-secret-0123456789';
const SECTIONS = ['acks', 'calls'] as const;
type Section = (typeof SECTIONS)[number];

function numberOption(name: string, fallback: number, min: number): number {
  const raw = process.env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isFinite(value) || value < min) throw new Error(`${name} must be a number ≥ ${min}`);
  return value;
}

function sectionsOption(): Section[] {
  const names = (process.env.BENCH_SECTIONS ?? SECTIONS.join(','))
    .split(',')
    .map((name) => name.trim())
    .filter((name) => name !== '');
  for (const name of names) {
    if (!(SECTIONS as readonly string[]).includes(name))
      throw new Error(`BENCH_SECTIONS: unknown section ${name} (known: ${SECTIONS.join(', ')})`);
  }
  return names as Section[];
}

function databaseOption(): 'sqlite' | 'postgres' {
  const value = process.env.BENCH_DB ?? 'sqlite';
  if (value !== 'sqlite' && value !== 'postgres') throw new Error('BENCH_DB must be sqlite or postgres');
  return value;
}

async function main(): Promise<boolean> {
  const sections = sectionsOption();
  const database = databaseOption();
  const postgresUrl = process.env.BENCH_POSTGRES_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
  const logLevel = process.env.BENCH_LOG_LEVEL ?? 'info';
  const serviceNodeArgs = (process.env.BENCH_SERVICE_NODE_ARGS ?? '')
    .split(/\s+/)
    .filter((arg) => arg !== '');
  const dataDir = mkdtempSync(join(tmpdir(), 'voice-crm-bench-'));
  const started = Date.now();
  process.stdout.write(
    `voice-crm bench: sections ${sections.join(', ')}; database ${database}; node ${process.version}; ` +
      `load average ${loadavg()
        .map((value) => value.toFixed(2))
        .join(' ')}\n`,
  );
  let ok = true;
  try {
    for (const section of sections) {
      switch (section) {
        case 'acks':
          ok =
            (await runAckSection({
              secret: SECRET,
              connections: numberOption('BENCH_CONNECTIONS', 50, 1),
              durationSeconds: numberOption('BENCH_DURATION_SECONDS', 10, 1),
              logLevel,
              database,
              postgresUrl,
              dataDir,
              serviceNodeArgs,
            })) && ok;
          break;
        case 'calls': {
          const calls = numberOption('BENCH_CALLS', 1000, 1);
          ok =
            (await runCallSection({
              calls,
              thinkMs: numberOption('BENCH_THINK_MS', 6000, 0),
              rampMs: numberOption('BENCH_RAMP_SECONDS', 10, 0) * 1000,
              connections: numberOption('BENCH_CALL_CONNECTIONS', Math.min(calls, 1024), 1),
              requestTimeoutMs: numberOption('BENCH_REQUEST_TIMEOUT_MS', 30_000, 100),
              drainTimeoutMs: numberOption('BENCH_DRAIN_TIMEOUT_SECONDS', 120, 1) * 1000,
              warmupCalls: numberOption('BENCH_WARMUP_CALLS', 20, 0),
              seed: numberOption('BENCH_SEED', 1, 0),
              secret: SECRET,
              logLevel,
              database,
              postgresUrl,
              dataDir,
              timeline: process.env.BENCH_TIMELINE === '1',
              serviceNodeArgs,
            })) && ok;
          break;
        }
      }
    }
  } finally {
    rmSync(dataDir, { recursive: true, force: true });
  }
  process.stdout.write(
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
