import { ChildProcess, spawn } from 'node:child_process';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';

/**
 * Loads TypeScript in the child with @swc/core (installed for Jest) — same transform options as .swcrc —
 * so the child runs the real source without a build step.
 */
const SWC_REGISTER = `
const swc = require('@swc/core');
const fs = require('node:fs');
require.extensions['.ts'] = (module, filename) => {
  const { code } = swc.transformSync(fs.readFileSync(filename, 'utf8'), {
    filename,
    swcrc: false,
    jsc: { parser: { syntax: 'typescript', decorators: true }, transform: { legacyDecorator: true, decoratorMetadata: true }, target: 'es2022', keepClassNames: true },
    module: { type: 'commonjs' },
  });
  module._compile(code, filename);
};
require(process.argv[1]);
`;

export const CHILD_ENTRY = join(__dirname, 'outbox-child.ts');

export interface RunningChild {
  process: ChildProcess;
  /** Lines the child printed so far. */
  lines: string[];
  /** Resolves with the exit code (null when killed by a signal). */
  exited: Promise<number | null>;
  /** Resolves once the child printed a line matching `pattern`. */
  waitFor(pattern: RegExp): Promise<void>;
}

/** Runs `entry` (default: the outbox child) as a child process with `env` on top of this process's. */
export function spawnChild(env: Record<string, string>, entry: string = CHILD_ENTRY): RunningChild {
  const child = spawn(process.execPath, ['-e', SWC_REGISTER, entry], {
    cwd: join(__dirname, '../..'),
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const lines: string[] = [];
  const waiters: Array<{ pattern: RegExp; resolve: () => void }> = [];
  let buffered = '';
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
    buffered += chunk;
    const complete = buffered.split('\n');
    buffered = complete.pop() ?? '';
    for (const line of complete) {
      lines.push(line);
      for (const waiter of waiters.filter((candidate) => candidate.pattern.test(line))) {
        waiters.splice(waiters.indexOf(waiter), 1);
        waiter.resolve();
      }
    }
  });
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => process.stderr.write(chunk));
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  return {
    process: child,
    lines,
    exited,
    waitFor: (pattern) =>
      lines.some((line) => pattern.test(line))
        ? Promise.resolve()
        : new Promise<void>((resolve, reject) => {
            waiters.push({ pattern, resolve });
            void exited.then(() => reject(new Error(`child exited before printing ${String(pattern)}`)));
          }),
  };
}

/**
 * Rounds of the outbox child accepting a burst of writes, each killed with SIGKILL after a random pause once it
 * accepted its first: what the crash tests restart from. Returns the keys the children said they accepted and
 * each child's exit code (null: ended by the signal).
 */
export async function killDuringBursts(
  env: Record<string, string>,
  options: { rounds: number; minPauseMs: number; maxPauseMs: number },
): Promise<{ accepted: Set<string>; exitCodes: (number | null)[] }> {
  const accepted = new Set<string>();
  const exitCodes: (number | null)[] = [];
  for (let round = 0; round < options.rounds; round++) {
    const child = spawnChild({ ...env, CHILD_MODE: 'burst', START: String(round * 10_000), COUNT: '10000' });
    await child.waitFor(/^accepted /);
    const pauseMs = options.minPauseMs + Math.random() * (options.maxPauseMs - options.minPauseMs);
    await sleep(Math.floor(pauseMs));
    child.process.kill('SIGKILL');
    exitCodes.push(await child.exited);
    for (const line of child.lines)
      if (line.startsWith('accepted ')) accepted.add(line.slice('accepted '.length));
  }
  return { accepted, exitCodes };
}
