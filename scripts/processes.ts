import { ChildProcess, spawn } from 'node:child_process';
import { createServer } from 'node:net';
import { resolve } from 'node:path';

/** The compiled tree (build/): entry points such as `src/main.js` are resolved against it. */
export const BUILD_ROOT = resolve(__dirname, '..');

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
  const child = spawn(process.execPath, [...(options.nodeArgs ?? []), resolve(BUILD_ROOT, entry)], {
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
