import { resolve } from 'node:path';
import { readFileSync } from 'node:fs';
import { Client } from 'pg';

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
