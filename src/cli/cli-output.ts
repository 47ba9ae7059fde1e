import { ConfigValidationError } from '../config/config.util';

/** Where a command writes what it has to say (stdout; a buffer in tests). */
export interface CliOutput {
  line(text?: string): void;
}

export const STDOUT: CliOutput = {
  line: (text = '') => {
    process.stdout.write(`${text}\n`);
  },
};

const MASK = '********';
/** Fields that hold a secret in VAPI's DTOs, masked whatever their value. */
const SECRET_FIELDS = new Set(['secretKey', 'twilioAuthToken', 'twilioApiSecret', 'token', 'clientSecret']);

/**
 * Keeps the deployment's secrets out of everything a command prints: each configured secret is replaced
 * wherever it appears (in a body, an error a vendor echoed, a URL), and secret fields of VAPI's DTOs are
 * masked whatever they hold.
 */
export class SecretMask {
  private readonly secrets: string[];

  constructor(secrets: (string | undefined)[]) {
    // Longest first, so a secret containing another is masked whole. Very short values would mask ordinary text.
    this.secrets = [
      ...new Set(secrets.filter((secret): secret is string => (secret ?? '').length >= 6)),
    ].sort((a, b) => b.length - a.length);
  }

  text(value: string): string {
    return this.secrets.reduce((masked, secret) => masked.split(secret).join(MASK), value);
  }

  json(value: unknown): string {
    return this.text(JSON.stringify(this.fields(value), null, 2));
  }

  private fields(value: unknown): unknown {
    if (Array.isArray(value)) return value.map((item) => this.fields(item));
    if (typeof value !== 'object' || value === null) return value;
    return Object.fromEntries(
      Object.entries(value).map(([key, field]) => [
        key,
        SECRET_FIELDS.has(key) && typeof field === 'string' ? MASK : this.fields(field),
      ]),
    );
  }
}

/**
 * Reads configuration through the modules' config factories (which alone read the environment); when any is
 * invalid, every problem of every factory instead.
 */
export function readConfigs<T extends Record<string, unknown>>(factories: {
  [K in keyof T]: () => T[K];
}): { config: T } | { problems: string[] } {
  const config: Partial<T> = {};
  const problems: string[] = [];
  for (const key of Object.keys(factories) as (keyof T)[]) {
    try {
      config[key] = factories[key]();
    } catch (error) {
      if (!(error instanceof ConfigValidationError)) throw error;
      problems.push(...error.problems);
    }
  }
  return problems.length > 0 ? { problems } : { config: config as T };
}

/** `Set VAR=value` lines: what the operator must put in the service's environment. */
export function printSettings(output: CliOutput, settings: [string, string][]): void {
  if (settings.length === 0) return;
  output.line();
  output.line("Set in the service's environment (then restart it):");
  for (const [name, value] of settings) output.line(`  ${name}=${value}`);
}

/** Runs a command as `node dist/cli/<name>.js`: its exit code becomes the process's. */
export function runAsCommand(name: string, command: (argv: string[]) => Promise<number>): void {
  // Output piped into `head` and cut short is not a failure of the command.
  process.stdout.on('error', (error: NodeJS.ErrnoException) => {
    if (error.code === 'EPIPE') process.exit(process.exitCode ?? 0);
  });
  command(process.argv.slice(2)).then(
    (code) => {
      process.exitCode = code;
    },
    (error: unknown) => {
      // Only the message: a stack could quote configuration.
      process.stderr.write(
        `voice-crm ${name} failed: ${error instanceof Error ? error.message : String(error)}\n`,
      );
      process.exitCode = 1;
    },
  );
}
