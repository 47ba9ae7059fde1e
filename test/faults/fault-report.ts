import { appendFileSync } from 'node:fs';

/**
 * One scenario's figures. "Acknowledged" is what the service told VAPI it had taken: a webhook answered 200
 * for a recorded message, a tool answer that promises the write ("I've opened…", "I've noted…"). Lost and
 * duplicated count acknowledged writes only, and must be 0.
 */
export interface FaultFigures {
  scenario: string;
  /** Calls whose every message got a valid answer (200, or 503 retried by VAPI's backoff plan). */
  callsCarried: string;
  /** Tool answers that were a spoken fallback instead of the normal result. */
  fallbacksSpoken: number;
  /** Messages answered 503 (not stored) and retried, as VAPI's `server.backoffPlan` does. */
  retried: number;
  lost: number;
  duplicated: number;
  /** From the fault's end to the last acknowledged write landing. */
  recoverySeconds: number;
}

const rows: FaultFigures[] = [];

export function report(figures: FaultFigures): void {
  rows.push(figures);
}

/** Prints the table of every scenario of this file (and appends it to FAULT_REPORT_FILE when set). */
export function printReport(title: string): void {
  const header = [
    'scenario',
    'calls carried',
    'fallbacks spoken',
    'retried (503)',
    'lost',
    'duplicated',
    'recovery s',
  ];
  const lines = [
    `\n${title}`,
    `| ${header.join(' | ')} |`,
    `| ${header.map(() => '---').join(' | ')} |`,
    ...rows.map(
      (row) =>
        `| ${[
          row.scenario,
          row.callsCarried,
          row.fallbacksSpoken,
          row.retried,
          row.lost,
          row.duplicated,
          row.recoverySeconds.toFixed(1),
        ].join(' | ')} |`,
    ),
    '',
  ];
  process.stdout.write(`${lines.join('\n')}\n`);
  if (process.env.FAULT_REPORT_FILE) appendFileSync(process.env.FAULT_REPORT_FILE, `${lines.join('\n')}\n`);
}

/** Polls `check` until it holds; returns the seconds it took, or throws after `timeoutMs`. */
export async function secondsUntil(
  check: () => boolean | Promise<boolean>,
  timeoutMs: number,
): Promise<number> {
  const started = Date.now();
  for (;;) {
    // A check that throws (the test's own connection was terminated too) counts as not yet.
    if (await Promise.resolve(check()).catch(() => false)) return (Date.now() - started) / 1000;
    if (Date.now() - started > timeoutMs) throw new Error(`not recovered within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}
