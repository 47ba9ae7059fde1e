import { ChildProcess, spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { resolve } from 'node:path';
import { Client } from 'pg';

export const DIST_ROOT = resolve(__dirname, '..');

function inheritedEnvironment(): Record<string, string> {
  const kept: Record<string, string> = {};
  for (const name of ['PATH', 'HOME', 'TMPDIR', 'LANG', 'TZ', 'NODE_OPTIONS']) {
    const value = process.env[name];
    if (value !== undefined) kept[name] = value;
  }
  return kept;
}

/** Starts a compiled entry point of ours in a child process; pair with `waitForHttp` to know it listens. */
export function startChild(
  entry: string,
  env: Record<string, string>,
  options: { discardStdout?: boolean; nodeArgs?: string[] } = {},
): { child: ChildProcess; output: () => string; stop: () => Promise<void> } {
  const child = spawn(process.execPath, [...(options.nodeArgs ?? []), resolve(DIST_ROOT, entry)], {
    // Only what the child needs from the shell: an exported VAPI_ASSISTANT_ID or DATABASE_URL must not change
    // what the demo or the bench runs.
    env: { ...inheritedEnvironment(), ...env },
    stdio: ['ignore', options.discardStdout ? 'ignore' : 'pipe', 'pipe'],
  });
  let output = '';
  const collect = (chunk: Buffer) => {
    output += chunk.toString('utf8');
    if (output.length > 200_000) output = output.slice(-100_000);
  };
  child.stdout?.on('data', collect);
  child.stderr?.on('data', collect);
  return {
    child,
    output: () => output,
    stop: () =>
      new Promise<void>((resolveStop) => {
        if (child.exitCode !== null || child.signalCode !== null) return resolveStop();
        child.once('exit', () => resolveStop());
        child.kill('SIGTERM');
        setTimeout(() => child.kill('SIGKILL'), 15_000).unref();
      }),
  };
}

/** Waits until `url` answers below 500; with `process`, fails at once (with its output) if the child exits. */
export async function waitForHttp(
  url: string,
  timeoutMs = 30_000,
  process?: { child: ChildProcess; output: () => string },
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (process && (process.child.exitCode !== null || process.child.signalCode !== null))
      throw new Error(`the process behind ${url} exited during start-up:\n${process.output().slice(-4000)}`);
    try {
      const response = await fetch(url);
      if (response.status < 500) return;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) throw new Error(`${url} did not answer within ${timeoutMs} ms`);
    await sleep(100);
  }
}

export function sleep(ms: number): Promise<void> {
  return new Promise((resolveSleep) => setTimeout(resolveSleep, ms));
}

/** A port free on loopback right now (the OS picks it), so concurrent runs on one machine do not collide. */
export function freePort(): Promise<number> {
  return new Promise((resolvePort, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolvePort(port));
    });
  });
}

export function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return 0;
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];
}

/** Fields of /proc/<pid>/status in kB (Linux only; undefined elsewhere or once the process is gone). */
export function procStatusKb(pid: number | undefined, field: 'VmRSS' | 'VmHWM'): number | undefined {
  if (pid === undefined) return undefined;
  try {
    const match = new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(
      readFileSync(`/proc/${pid}/status`, 'utf8'),
    );
    return match ? Number(match[1]) : undefined;
  } catch {
    return undefined;
  }
}

/** User + system CPU seconds of a process so far (Linux /proc/<pid>/stat; clock ticks assumed 100 Hz). */
export function procCpuSeconds(pid: number | undefined): number | undefined {
  if (pid === undefined) return undefined;
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // Fields after the command name (which may hold spaces) start at ")"; utime and stime are the 12th and 13th.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(fields[11]) + Number(fields[12])) / 100;
  } catch {
    return undefined;
  }
}

export interface BenchDatabase {
  url: string;
  label: string;
  drop(): Promise<void>;
}

/**
 * A fresh database for one service run: a SQLite file in `dir`, or a PostgreSQL database created next to the
 * one in BENCH_POSTGRES_URL and dropped afterwards, so every run starts empty.
 */
export async function createBenchDatabase(
  kind: 'sqlite' | 'postgres',
  dir: string,
  name: string,
  postgresUrl: string,
): Promise<BenchDatabase> {
  if (kind === 'sqlite') {
    return {
      url: `sqlite:${resolve(dir, `${name}.db`)}`,
      label: 'SQLite file',
      drop: () => Promise.resolve(),
    };
  }
  const database = `voice_crm_bench_${name.replace(/\W/g, '_')}_${process.pid}_${Date.now()}`;
  const admin = new Client({ connectionString: postgresUrl });
  await admin.connect();
  try {
    await admin.query(`CREATE DATABASE ${database}`);
  } finally {
    await admin.end();
  }
  const url = new URL(postgresUrl);
  url.pathname = `/${database}`;
  return {
    url: url.toString(),
    label: `PostgreSQL (${url.host}, fresh database)`,
    drop: async () => {
      const client = new Client({ connectionString: postgresUrl });
      await client.connect();
      try {
        await client.query(`DROP DATABASE IF EXISTS ${database} WITH (FORCE)`);
      } finally {
        await client.end();
      }
    },
  };
}

/** A fixed-width text table: the first column left-aligned, the others right-aligned. */
export function formatTable(header: string[], rows: (string | number)[][]): string {
  const cells = [header, ...rows.map((row) => row.map(String))];
  const widths = header.map((_, column) => Math.max(...cells.map((row) => (row[column] ?? '').length)));
  return cells
    .map((row) =>
      row
        .map((cell, column) => (column === 0 ? cell.padEnd(widths[column]) : cell.padStart(widths[column])))
        .join('  '),
    )
    .join('\n');
}
