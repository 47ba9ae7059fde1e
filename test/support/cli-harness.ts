import type { CliOutput } from '../../src/cli/cli-output';

export interface CommandRun {
  code: number;
  lines: string[];
  /** Everything printed, one string. */
  text: string;
}

/**
 * Runs a command of `src/cli/` in-process, as `node dist/cli/<command>.js` would, with exactly `env` as its
 * environment (nothing of the developer's shell leaks in) and its output captured.
 */
function onlyDefined(env: Record<string, string | undefined>): Record<string, string> {
  return Object.fromEntries(
    Object.entries(env).filter((entry): entry is [string, string] => entry[1] !== undefined),
  );
}

/** A module's config as its factory reads it from exactly `env` (defaults for everything else). */
export function configFrom<T>(factory: () => T, env: Record<string, string | undefined>): T {
  const saved = process.env;
  process.env = onlyDefined(env);
  try {
    return factory();
  } finally {
    process.env = saved;
  }
}

export async function runCommand(
  command: (argv: string[], output: CliOutput) => Promise<number>,
  argv: string[],
  env: Record<string, string | undefined>,
): Promise<CommandRun> {
  const lines: string[] = [];
  const saved = process.env;
  process.env = onlyDefined(env);
  try {
    const code = await command(argv, { line: (text = '') => lines.push(...text.split('\n')) });
    return { code, lines, text: lines.join('\n') };
  } finally {
    process.env = saved;
  }
}
