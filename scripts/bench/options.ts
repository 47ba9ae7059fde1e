/**
 * The bench's options: environment variables (documented at the top of main.ts and in the README), each with a
 * default of the chosen profile. An explicitly set variable always wins over the profile.
 */

export const SECTIONS = ['acks', 'economy', 'burst', 'creates', 'paced'] as const;

/**
 * The node flags the production image starts the service with (the Dockerfile's CMD; a test keeps the two the
 * same): the bench measures the service as it runs. BENCH_SERVICE_NODE_ARGS replaces them.
 */
export const SERVICE_NODE_FLAGS = ['--max-semi-space-size=64'] as const;
export type Section = (typeof SECTIONS)[number];
export type Database = 'sqlite' | 'postgres';
/** How the load is spread over several service processes: per request (a load balancer) or per call. */
export type Spread = 'request' | 'call';

export interface SalesforceTiming {
  latencyMs: number;
  jitterMs: number;
  tokenLatencyMs: number;
}

/** What every section's world is built from: the databases, the fakes, the service processes. */
export interface WorldOptions {
  database: Database;
  postgresUrl: string;
  processes: number;
  spread: Spread;
  logLevel: string;
  serviceNodeArgs: string[];
  /** Extra variables for the service processes (BENCH_SERVICE_ENV), e.g. SALESFORCE_MAX_CONCURRENCY. */
  serviceEnv: Record<string, string>;
  salesforce: SalesforceTiming;
  /** The Twilio fake and SMS confirmations; 0 ms latency when off. */
  sms: boolean;
  twilioLatencyMs: number;
  secret: string;
  dataDir: string;
}

export interface LoadOptions {
  /**
   * HTTP connections from the simulated VAPI to each service process; null: no cap, a connection per request in
   * flight, as VAPI sends every webhook on its own (a capped pool would make quick acks wait behind slow tools).
   */
  connections: number | null;
  requestTimeoutMs: number;
  drainTimeoutMs: number;
  warmupCalls: number;
  seed: number;
  timeline: boolean;
}

export interface BenchOptions {
  profile: 'default' | 'smoke';
  sections: Section[];
  world: Omit<WorldOptions, 'dataDir'>;
  load: LoadOptions;
  acks: { connections: number; seconds: number; rounds: number; warmupSeconds: number };
  economy: { calls: number };
  burst: { calls: number };
  creates: { calls: number };
  paced: { calls: number; rampSeconds: number; minSeconds: number; maxSeconds: number };
}

/** Sizes of a profile; the smoke profile proves that every section runs, in well under a minute of load. */
const PROFILES = {
  default: {
    BENCH_ACK_CONNECTIONS: 50,
    BENCH_ACK_SECONDS: 5,
    BENCH_ACK_ROUNDS: 3,
    BENCH_ACK_WARMUP_SECONDS: 2,
    BENCH_ECONOMY_CALLS: 20,
    BENCH_BURST_CALLS: 1000,
    BENCH_CREATE_CALLS: 1000,
    BENCH_PACED_CALLS: 10_000,
    BENCH_PACED_RAMP_SECONDS: 60,
    BENCH_PACED_MIN_SECONDS: 60,
    BENCH_PACED_MAX_SECONDS: 180,
    BENCH_WARMUP_CALLS: 20,
    BENCH_DRAIN_TIMEOUT_SECONDS: 120,
  },
  smoke: {
    BENCH_ACK_CONNECTIONS: 10,
    BENCH_ACK_SECONDS: 1,
    BENCH_ACK_ROUNDS: 1,
    BENCH_ACK_WARMUP_SECONDS: 0,
    BENCH_ECONOMY_CALLS: 3,
    BENCH_BURST_CALLS: 20,
    BENCH_CREATE_CALLS: 20,
    BENCH_PACED_CALLS: 30,
    BENCH_PACED_RAMP_SECONDS: 2,
    BENCH_PACED_MIN_SECONDS: 3,
    BENCH_PACED_MAX_SECONDS: 6,
    BENCH_WARMUP_CALLS: 3,
    BENCH_DRAIN_TIMEOUT_SECONDS: 30,
  },
} as const;
type SizedOption = keyof (typeof PROFILES)['default'];

function text(env: NodeJS.ProcessEnv, name: string): string | undefined {
  const raw = env[name]?.trim();
  return raw === undefined || raw === '' ? undefined : raw;
}

function numberFrom(env: NodeJS.ProcessEnv, name: string, fallback: number, min: number, max = Infinity) {
  const raw = text(env, name);
  if (raw === undefined) return fallback;
  const value = Number(raw);
  if (!Number.isFinite(value) || value < min || value > max)
    throw new Error(`${name} must be a number from ${min}${max === Infinity ? '' : ` to ${max}`}`);
  return value;
}

function choice<T extends string>(
  env: NodeJS.ProcessEnv,
  name: string,
  allowed: readonly T[],
  fallback: T,
): T {
  const raw = text(env, name) ?? fallback;
  if (!(allowed as readonly string[]).includes(raw))
    throw new Error(`${name} must be ${allowed.join(' or ')}`);
  return raw as T;
}

/** `NAME=value NAME2=value2` (whitespace-separated; values without spaces). */
function assignments(env: NodeJS.ProcessEnv, name: string): Record<string, string> {
  const result: Record<string, string> = {};
  for (const pair of (text(env, name) ?? '').split(/\s+/).filter((item) => item !== '')) {
    const match = /^([A-Z][A-Z0-9_]*)=(.*)$/.exec(pair);
    if (!match) throw new Error(`${name}: "${pair.split('=')[0]}" is not NAME=value`);
    result[match[1]] = match[2];
  }
  return result;
}

export function readOptions(env: NodeJS.ProcessEnv, secret: string): BenchOptions {
  const profile = choice(env, 'BENCH_PROFILE', ['default', 'smoke'], 'default');
  const sized = (name: SizedOption, min: number, max = Infinity) =>
    numberFrom(env, name, PROFILES[profile][name], min, max);
  const sections = (text(env, 'BENCH_SECTIONS') ?? SECTIONS.join(','))
    .split(',')
    .map((name) => name.trim())
    .filter((name) => name !== '');
  for (const name of sections) {
    if (!(SECTIONS as readonly string[]).includes(name))
      throw new Error(`BENCH_SECTIONS: unknown section ${name} (known: ${SECTIONS.join(', ')})`);
  }
  const database = choice<Database>(env, 'BENCH_DB', ['sqlite', 'postgres'], 'sqlite');
  const processes = numberFrom(env, 'BENCH_PROCESSES', database === 'postgres' ? 3 : 1, 1, 16);
  if (processes > 1 && database !== 'postgres')
    throw new Error('BENCH_PROCESSES above 1 needs BENCH_DB=postgres (replicas share one database)');
  const sms = choice(env, 'BENCH_SMS', ['0', '1'], '1') === '1';
  const paced = {
    calls: sized('BENCH_PACED_CALLS', 1),
    rampSeconds: sized('BENCH_PACED_RAMP_SECONDS', 0),
    minSeconds: sized('BENCH_PACED_MIN_SECONDS', 1),
    maxSeconds: sized('BENCH_PACED_MAX_SECONDS', 1),
  };
  if (paced.maxSeconds < paced.minSeconds)
    throw new Error('BENCH_PACED_MAX_SECONDS must not be below BENCH_PACED_MIN_SECONDS');
  const burstCalls = sized('BENCH_BURST_CALLS', 1);
  return {
    profile,
    sections: sections as Section[],
    world: {
      database,
      postgresUrl: text(env, 'BENCH_POSTGRES_URL') ?? 'postgres://postgres@127.0.0.1:5432/test',
      processes,
      spread: choice<Spread>(env, 'BENCH_SPREAD', ['request', 'call'], 'request'),
      logLevel: text(env, 'BENCH_LOG_LEVEL') ?? 'info',
      serviceNodeArgs: (text(env, 'BENCH_SERVICE_NODE_ARGS') ?? SERVICE_NODE_FLAGS.join(' '))
        .split(/\s+/)
        .filter((arg) => arg !== ''),
      serviceEnv: assignments(env, 'BENCH_SERVICE_ENV'),
      salesforce: {
        latencyMs: numberFrom(env, 'BENCH_SF_LATENCY_MS', 40, 0),
        jitterMs: numberFrom(env, 'BENCH_SF_JITTER_MS', 20, 0),
        tokenLatencyMs: numberFrom(env, 'BENCH_SF_TOKEN_LATENCY_MS', 250, 0),
      },
      sms,
      twilioLatencyMs: numberFrom(env, 'BENCH_TWILIO_LATENCY_MS', 100, 0),
      secret,
    },
    load: {
      connections: text(env, 'BENCH_CALL_CONNECTIONS')
        ? numberFrom(env, 'BENCH_CALL_CONNECTIONS', 1, 1)
        : null,
      requestTimeoutMs: numberFrom(env, 'BENCH_REQUEST_TIMEOUT_MS', 30_000, 100),
      drainTimeoutMs: sized('BENCH_DRAIN_TIMEOUT_SECONDS', 1) * 1000,
      warmupCalls: sized('BENCH_WARMUP_CALLS', 0),
      seed: numberFrom(env, 'BENCH_SEED', 1, 0),
      timeline: text(env, 'BENCH_TIMELINE') === '1',
    },
    acks: {
      connections: sized('BENCH_ACK_CONNECTIONS', 1),
      seconds: sized('BENCH_ACK_SECONDS', 1),
      rounds: sized('BENCH_ACK_ROUNDS', 1, 20),
      warmupSeconds: sized('BENCH_ACK_WARMUP_SECONDS', 0),
    },
    economy: { calls: sized('BENCH_ECONOMY_CALLS', 1) },
    burst: { calls: burstCalls },
    creates: { calls: sized('BENCH_CREATE_CALLS', 1) },
    paced,
  };
}

/** A section's world and load options. */
export function loadOptionsFor(options: BenchOptions, dataDir: string) {
  return { world: { ...options.world, dataDir }, load: options.load };
}

export function connectionsLabel(connections: number | null): string {
  return connections === null
    ? 'a connection per request in flight'
    : `${connections} connections per process`;
}

/** What `playBurst` needs to know of the options. */
export function burstSetup(options: BenchOptions) {
  return {
    secret: options.world.secret,
    spread: options.world.spread,
    smsEnabled: options.world.sms,
    requestTimeoutMs: options.load.requestTimeoutMs,
  };
}
