import { readFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { resolve } from 'node:path';
import { Client } from 'pg';
import type { Pool } from 'undici';

export function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return 0;
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))];
}

/** Milliseconds as printed in every table: whole above 100, one decimal below. */
export const fmt = (ms: number) => (ms >= 100 ? ms.toFixed(0) : ms.toFixed(1));

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

/** Seconds the main thread of a process has run, and waited runnable for a CPU (Linux /proc/<pid>/schedstat). */
function schedSeconds(pid: number | undefined): { waiting: number } | undefined {
  if (pid === undefined) return undefined;
  try {
    const [, waitingNs] = readFileSync(`/proc/${pid}/schedstat`, 'utf8').trim().split(/\s+/).map(Number);
    return { waiting: waitingNs / 1e9 };
  } catch {
    return undefined;
  }
}

/** Busy and total jiffies of all cores (/proc/stat): idle and iowait count as not busy. */
function machineJiffies(): { busy: number; total: number } | undefined {
  try {
    const line = readFileSync('/proc/stat', 'utf8').split('\n')[0];
    const values = line.trim().split(/\s+/).slice(1).map(Number);
    const total = values.reduce((sum, value) => sum + value, 0);
    return { busy: total - (values[3] ?? 0) - (values[4] ?? 0), total };
  } catch {
    return undefined;
  }
}

export interface ProcessUsage {
  name: string;
  peakRssMb: number;
  cpuSeconds: number;
  /** CPU over the sampled wall time, in % of one core. */
  corePercent: number;
  /** How long its main thread (where JavaScript runs) was ready to run but waited for a CPU. */
  waitingSeconds: number;
}

/**
 * Peak resident memory and CPU of named processes over one measured phase: RSS sampled every 250 ms (the
 * kernel's VmHWM is the peak since the process started, so it would include start-up and earlier phases), CPU
 * and run-queue wait as the difference of /proc counters between start and stop; and how busy the whole machine
 * was meanwhile, ours or not (the machine is shared: other work there is part of every figure).
 */
export class ProcessSampler {
  private readonly cpuAtStart = new Map<string, number>();
  private readonly waitAtStart = new Map<string, number>();
  private readonly peakRssKb = new Map<string, number>();
  private readonly machineAtStart = machineJiffies();
  private readonly started = Date.now();
  private readonly timer: NodeJS.Timeout;
  private machineBusyCores: number | undefined;

  constructor(private readonly processes: { name: string; pid: number | undefined }[]) {
    for (const { name, pid } of processes) {
      this.cpuAtStart.set(name, procCpuSeconds(pid) ?? 0);
      this.waitAtStart.set(name, schedSeconds(pid)?.waiting ?? 0);
    }
    this.sample();
    this.timer = setInterval(() => this.sample(), 250);
  }

  private sample(): void {
    for (const { name, pid } of this.processes) {
      const rss = procStatusKb(pid, 'VmRSS') ?? 0;
      this.peakRssKb.set(name, Math.max(this.peakRssKb.get(name) ?? 0, rss));
    }
  }

  stop(): ProcessUsage[] {
    this.sample();
    clearInterval(this.timer);
    const seconds = Math.max((Date.now() - this.started) / 1000, 0.001);
    const machine = machineJiffies();
    if (machine && this.machineAtStart) {
      const total = machine.total - this.machineAtStart.total;
      this.machineBusyCores =
        total > 0 ? ((machine.busy - this.machineAtStart.busy) / total) * cpus().length : undefined;
    }
    return this.processes.map(({ name, pid }) => {
      const cpuSeconds = Math.max(0, (procCpuSeconds(pid) ?? 0) - (this.cpuAtStart.get(name) ?? 0));
      return {
        name,
        peakRssMb: (this.peakRssKb.get(name) ?? 0) / 1024,
        cpuSeconds,
        corePercent: (cpuSeconds / seconds) * 100,
        waitingSeconds: Math.max(0, (schedSeconds(pid)?.waiting ?? 0) - (this.waitAtStart.get(name) ?? 0)),
      };
    });
  }

  /** After `stop`: the table, and how busy the machine was, ours and others'. */
  report(usage: ProcessUsage[]): string {
    const seconds = Math.max((Date.now() - this.started) / 1000, 0.001);
    const ours = usage.reduce((sum, entry) => sum + entry.cpuSeconds, 0) / seconds;
    const machine =
      this.machineBusyCores === undefined
        ? ''
        : `\nmachine: ${cpus().length} cores, ${this.machineBusyCores.toFixed(2)} busy on average, ` +
          `${ours.toFixed(2)} of them the processes above, ${Math.max(0, this.machineBusyCores - ours).toFixed(2)} other work`;
    return (
      formatTable(
        ['process', 'peak RSS MB', 'CPU s', '% of one core', 'waited for a CPU s'],
        usage.map((entry) => [
          entry.name,
          entry.peakRssMb.toFixed(0),
          entry.cpuSeconds.toFixed(1),
          entry.corePercent.toFixed(0),
          entry.waitingSeconds.toFixed(1),
        ]),
      ) + machine
    );
  }
}

export async function getJson<T>(pool: Pool, path: string): Promise<{ status: number; body: T }> {
  const response = await pool.request({ path, method: 'GET', headersTimeout: 30_000, bodyTimeout: 30_000 });
  return { status: response.statusCode, body: (await response.body.json()) as T };
}

export async function postJson(pool: Pool, path: string, body: unknown): Promise<number> {
  const response = await pool.request({
    path,
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  await response.body.dump();
  return response.statusCode;
}

export interface BenchDatabase {
  url: string;
  label: string;
  drop(): Promise<void>;
}

/**
 * A fresh database for one section: a SQLite file in `dir`, or a PostgreSQL database created next to the
 * one in BENCH_POSTGRES_URL and dropped afterwards, so every section starts empty.
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

/** A fixed-width text table: the first `leftAligned` columns (default 1) left-aligned, the others right-aligned. */
export function formatTable(header: string[], rows: (string | number)[][], leftAligned = 1): string {
  const cells = [header, ...rows.map((row) => row.map(String))];
  const widths = header.map((_, column) => Math.max(...cells.map((row) => (row[column] ?? '').length)));
  return cells
    .map((row) =>
      row
        .map((cell, column) =>
          column < leftAligned ? cell.padEnd(widths[column]) : cell.padStart(widths[column]),
        )
        .join('  ')
        .trimEnd(),
    )
    .join('\n');
}

/** What a section hands back to main: pass or fail, and the lines of the closing summary. */
export interface SectionResult {
  ok: boolean;
  summary: [string, string][];
}
