import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { Pool } from 'undici';
import { DEMO_CLIENT_ID, DEMO_CLIENT_SECRET } from '../../test/fakes/salesforce/demo-org';
import { freePort, startChild, waitForHttp } from '../processes';
import type { WorldOptions } from './options';
import { BenchDatabase, createBenchDatabase, postJson } from './support';

/**
 * One section's world, all on loopback and each in its own process: the Salesforce fake (40–60 ms per data
 * request and 250 ms per token by default, set through its fault controls), the Twilio fake, a fresh database,
 * and one or more service processes built from `build/src/main.js` sharing it. The bench process itself is only
 * the load generator.
 */

export type Child = ReturnType<typeof startChild>;

export interface Caller {
  index: number;
  firstName: string;
  phoneE164: string;
  /** The seeded Contact; null for a number Salesforce does not know. */
  contactId: string | null;
}

export interface ServiceProcess {
  name: string;
  url: string;
  pool: Pool;
  child: Child;
}

export interface World {
  /** e.g. "SQLite file, 1 service process". */
  label: string;
  salesforceLabel: string;
  services: ServiceProcess[];
  fake: Pool;
  fakeUrl: string;
  twilio: Pool | undefined;
  callers: Caller[];
  /** Callers whose numbers are in no Salesforce record. */
  unknownCallers: Caller[];
  /** Every process of the world by name (for the RSS and CPU table); the load generator last. */
  processes(): { name: string; pid: number | undefined }[];
  stop(): Promise<void>;
}

export const CASE_KEY_FIELD = 'Voice_Call_Key__c';
const SEEDED_DAYS_AGO = 30;

/** N contacts with distinct numbers, stored in the formats people type (the lookup must match all of them). */
async function seedCallers(fake: Pool, count: number): Promise<Caller[]> {
  // Established customers: their records are older than any search-index lag.
  const since = new Date(Date.now() - SEEDED_DAYS_AGO * 86_400_000).toISOString();
  const post = async (type: string, fields: Record<string, unknown>): Promise<string> => {
    const response = await fake.request({
      path: `/__fake/records/${type}`,
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ ...fields, CreatedDate: since, LastModifiedDate: since }),
    });
    const answer = (await response.body.json()) as { id?: string };
    if (response.statusCode !== 201 || !answer.id)
      throw new Error(`seeding ${type} failed: ${response.statusCode}`);
    return answer.id;
  };
  const accountIds: string[] = [];
  for (let a = 0; a < Math.ceil(count / 100); a++) {
    accountIds.push(
      await post('Account', { Name: `Bench Account ${a}`, AccountNumber: `BENCH-${1000 + a}` }),
    );
  }
  const callers: Caller[] = new Array<Caller>(count);
  const seedOne = async (index: number) => {
    // 628-2xx-xxxx: one distinct number per caller; never a number of the demo org (415-555-01xx).
    const national = `628${String(2_000_000 + index)}`;
    const [area, exchange, line] = [national.slice(0, 3), national.slice(3, 6), national.slice(6)];
    const formats = [
      `(${area}) ${exchange}-${line}`,
      `${area}.${exchange}.${line}`,
      `+1 ${area} ${exchange} ${line}`,
      national,
    ];
    const firstName = `Caller${index}`;
    const contactId = await post('Contact', {
      FirstName: firstName,
      LastName: 'Bench',
      Phone: formats[index % formats.length],
      AccountId: accountIds[Math.floor(index / 100)],
    });
    callers[index] = { index, firstName, phoneE164: `+1${national}`, contactId };
  };
  const batch = 32;
  for (let start = 0; start < count; start += batch) {
    const indexes = Array.from({ length: Math.min(batch, count - start) }, (_, k) => start + k);
    await Promise.all(indexes.map(seedOne));
  }
  return callers;
}

/** Numbers in no record (628-3xx-xxxx). */
function unknownCallersOf(count: number): Caller[] {
  return Array.from({ length: count }, (_, index) => ({
    index,
    firstName: '',
    phoneE164: `+1628${String(3_000_000 + index)}`,
    contactId: null,
  }));
}

/** Starts the fakes, seeds `callers` contacts, then the service processes; stops everything it started on failure. */
export async function startWorld(
  options: WorldOptions & { connections: number | null; requestTimeoutMs: number },
  name: string,
  sizes: { callers: number; unknownCallers?: number },
): Promise<World> {
  const stops: (() => Promise<void>)[] = [];
  const stopAll = async () => {
    for (const stop of stops.reverse()) await stop().catch(() => undefined);
  };
  try {
    const database: BenchDatabase = await createBenchDatabase(
      options.database,
      options.dataDir,
      name,
      options.postgresUrl,
    );
    stops.push(() => database.drop());

    const fakePort = await freePort();
    const fakeUrl = `http://127.0.0.1:${fakePort}`;
    const salesforce = startChild('test/fakes/salesforce/main.js', {
      FAKE_SALESFORCE_PORT: String(fakePort),
      FAKE_SALESFORCE_PRIVATE_KEY_FILE: join(options.dataDir, `fake-salesforce-key-${name}.pem`),
      FAKE_SALESFORCE_CASE_EXTERNAL_ID_FIELD: CASE_KEY_FIELD,
      // Room for the run: every call costs a handful of API calls.
      FAKE_SALESFORCE_DAILY_LIMIT: String(Math.max(100_000, sizes.callers * 50)),
    });
    stops.push(() => salesforce.stop());
    const fake = new Pool(fakeUrl, { connections: 8 });
    stops.push(() => fake.close());
    await waitForHttp(`${fakeUrl}/__fake/stats`, 30_000, salesforce);
    const callers = await seedCallers(fake, sizes.callers);
    const { latencyMs, jitterMs, tokenLatencyMs } = options.salesforce;
    if (
      (await postJson(fake, '/__fake/faults', { latencyMs, latencyJitterMs: jitterMs, tokenLatencyMs })) !==
      200
    )
      throw new Error('the Salesforce fake refused its latency settings');

    let twilio: Pool | undefined;
    let twilioChild: Child | undefined;
    const twilioEnv: Record<string, string> = {};
    if (options.sms) {
      const twilioPort = await freePort();
      const twilioUrl = `http://127.0.0.1:${twilioPort}`;
      const accountSid = `AC${randomBytes(16).toString('hex')}`;
      const authToken = randomBytes(16).toString('hex');
      twilioChild = startChild(
        'test/fakes/twilio/main.js',
        {
          FAKE_TWILIO_PORT: String(twilioPort),
          TWILIO_ACCOUNT_SID: accountSid,
          TWILIO_AUTH_TOKEN: authToken,
          FAKE_TWILIO_STATUS_CALLBACKS: 'false',
        },
        { discardStdout: true },
      );
      stops.push(() => twilioChild!.stop());
      const pool = new Pool(twilioUrl, { connections: 4 });
      stops.push(() => pool.close());
      await waitForHttp(`${twilioUrl}/__fake/messages`, 30_000, twilioChild);
      if ((await postJson(pool, '/__fake/faults', { latencyMs: options.twilioLatencyMs })) !== 200)
        throw new Error('the Twilio fake refused its latency setting');
      twilio = pool;
      Object.assign(twilioEnv, {
        TWILIO_ACCOUNT_SID: accountSid,
        TWILIO_AUTH_TOKEN: authToken,
        TWILIO_FROM_NUMBER: '+14155550000',
        TWILIO_API_URL: twilioUrl,
        TWILIO_STATUS_CALLBACKS: 'false',
      });
    }

    const services: ServiceProcess[] = [];
    const startService = async (index: number): Promise<ServiceProcess> => {
      const port = await freePort();
      const url = `http://127.0.0.1:${port}`;
      const child = startChild(
        'src/main.js',
        {
          PORT: String(port),
          PUBLIC_URL: url,
          LOG_LEVEL: options.logLevel,
          DATABASE_URL: database.url,
          VAPI_WEBHOOK_SECRET: options.secret,
          SALESFORCE_AUTH_FLOW: 'client_credentials',
          SALESFORCE_LOGIN_URL: fakeUrl,
          SALESFORCE_CLIENT_ID: DEMO_CLIENT_ID,
          SALESFORCE_CLIENT_SECRET: DEMO_CLIENT_SECRET,
          SALESFORCE_CASE_EXTERNAL_ID_FIELD: CASE_KEY_FIELD,
          COMPANY_NAME: 'Acme Support',
          // The VAPI API is not part of this run; end-of-call reports always arrive.
          RECONCILER_ENABLED: 'false',
          VAPI_SERVER_CREDENTIAL_ID: 'bench-webhook-credential',
          // Once per start, not per call: kept out of the API calls the bench counts.
          STARTUP_CHECKS: 'false',
          SHUTDOWN_DRAIN_DELAY_MS: '0',
          ...twilioEnv,
          ...options.serviceEnv,
        },
        { discardStdout: true, nodeArgs: options.serviceNodeArgs },
      );
      stops.push(() => child.stop());
      const pool = new Pool(url, {
        connections: options.connections,
        headersTimeout: options.requestTimeoutMs,
        bodyTimeout: options.requestTimeoutMs,
        keepAliveTimeout: 10_000,
      });
      stops.push(() => pool.close());
      await waitForHttp(`${url}/health/live`, 90_000, child);
      return { name: options.processes > 1 ? `service ${index + 1}` : 'service', url, pool, child };
    };
    // The first process alone runs the migrations; the others start once the schema is there.
    services.push(await startService(0));
    services.push(
      ...(await Promise.all(Array.from({ length: options.processes - 1 }, (_, k) => startService(k + 1)))),
    );

    const salesforceLabel =
      `Salesforce fake ${latencyMs}–${latencyMs + jitterMs} ms per request, token ${tokenLatencyMs} ms` +
      (options.sms ? `; Twilio fake ${options.twilioLatencyMs} ms` : '; SMS off');
    return {
      label: `${database.label}, ${options.processes} service process${options.processes > 1 ? `es (spread per ${options.spread})` : ''}`,
      salesforceLabel,
      services,
      fake,
      fakeUrl,
      twilio,
      callers,
      unknownCallers: unknownCallersOf(sizes.unknownCallers ?? 0),
      processes: () => [
        ...services.map((service) => ({ name: service.name, pid: service.child.child.pid })),
        { name: 'Salesforce fake', pid: salesforce.child.pid },
        ...(twilioChild ? [{ name: 'Twilio fake', pid: twilioChild.child.pid }] : []),
      ],
      stop: stopAll,
    };
  } catch (error) {
    await stopAll();
    throw error;
  }
}

/** True when a service process died during the run (its output tail is then worth printing). */
export function exitedServices(world: World): ServiceProcess[] {
  return world.services.filter(
    (service) => service.child.child.exitCode !== null || service.child.child.signalCode !== null,
  );
}
