import { performance } from 'node:perf_hooks';
import { Logger } from '@nestjs/common';
import { Registry } from 'prom-client';
import { Agent } from 'undici';
import { SalesforceFake, startSalesforceFake } from '../fakes/salesforce/salesforce-fake';
import { buildSalesforceConfig } from '../src/salesforce/salesforce.config';
import { NewCallTask } from '../src/salesforce/salesforce.types';
import { SalesforceHttpClient } from '../src/salesforce/salesforce-http.client';

/**
 * The Salesforce client against the fake: API calls per operation, token requests under a cold burst, and the
 * latency the client adds over a bare undici request for the same Salesforce request (p50/p99).
 *
 *   npx tsc -p tsconfig.build.json --outDir /tmp/voice-crm-bench --tsBuildInfoFile /tmp/voice-crm-bench/.tsbuildinfo; \
 *     NODE_PATH=node_modules node /tmp/voice-crm-bench/src/salesforce/bench/salesforce-client.bench.js [samples]
 */
const SAMPLES = Number(process.argv[2] ?? 2000);
const CLIENT = { clientId: 'bench-client', clientSecret: 'bench-secret' };

function clientFor(fake: SalesforceFake, registry = new Registry()): SalesforceHttpClient {
  const config = buildSalesforceConfig({
    SALESFORCE_AUTH_FLOW: 'client_credentials',
    SALESFORCE_LOGIN_URL: fake.url,
    SALESFORCE_CLIENT_ID: CLIENT.clientId,
    SALESFORCE_CLIENT_SECRET: CLIENT.clientSecret,
    SALESFORCE_MAX_CONCURRENCY: '100',
    SALESFORCE_REQUEST_TIMEOUT_MS: '30000',
  });
  return SalesforceHttpClient.create(config, { registry });
}

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
}

function summary(samples: number[]): { p50: number; p99: number } {
  const sorted = [...samples].sort((a, b) => a - b);
  return { p50: percentile(sorted, 50), p99: percentile(sorted, 99) };
}

async function timed(fn: () => Promise<unknown>): Promise<number> {
  const start = performance.now();
  await fn();
  return performance.now() - start;
}

async function apiCallsPerOperation(fake: SalesforceFake): Promise<void> {
  const client = clientFor(fake);
  const accountId = fake.insert('Account', { Name: 'Acme', AccountNumber: 'B-1', Phone: '(415) 555-0100' });
  const contactId = fake.insert('Contact', {
    LastName: 'Doe',
    Phone: '(415) 555-0101',
    AccountId: accountId,
  });
  await client.findAccountByNumber('warm-up'); // token + first call out of the way
  const tasks: NewCallTask[] = Array.from({ length: 200 }, (_, index) => ({
    callId: `bench-call-${index}`,
    subject: 'Call',
    description: 'Summary',
    activityDate: '2026-11-24',
  }));
  let caseId = '';
  let caseNumber = '';
  let taskId = '';
  const operations: [string, () => Promise<unknown>][] = [
    ['findCallerByPhone (found by SOSL)', () => client.findCallerByPhone('+14155550101')],
    ['findCallerByPhone (unknown: SOSL + SOQL fallback)', () => client.findCallerByPhone('+14155550199')],
    ['findAccountByNumber', () => client.findAccountByNumber('B-1')],
    [
      'createCase',
      async () => {
        const created = await client.createCase({
          idempotencyKey: 'bench-key',
          contactId,
          issueType: 'billing',
          subject: 'Bench',
          description: 'Bench',
        });
        caseId = created.id;
        caseNumber = created.caseNumber;
      },
    ],
    ['getCaseByNumber', () => client.getCaseByNumber(caseNumber)],
    ['listOpenCases', () => client.listOpenCases({ contactId }, 3)],
    ['findCaseByIdempotencyKey', () => client.findCaseByIdempotencyKey('bench-key', 'live', { contactId })],
    ['addCaseComment', () => client.addCaseComment(caseId, 'Bench comment')],
    ['updateContact', () => client.updateContact(contactId, { email: 'bench@example.com' })],
    [
      'createCallTasks (200 tasks)',
      async () => {
        const [first] = await client.createCallTasks(tasks);
        if (first.ok) taskId = first.id;
      },
    ],
    ['findCallTasks (200 call ids)', () => client.findCallTasks(tasks.map((task) => task.callId))],
    ['attachTranscript', () => client.attachTranscript(taskId, 'Transcript', 'AI: Hello')],
    ['checkSchema (first, uncached)', () => client.checkSchema()],
    ['checkSchema (cached)', () => client.checkSchema()],
  ];
  console.log('\nAPI calls per operation (counted by the fake against the daily limit)');
  for (const [name, run] of operations) {
    const before = fake.stats.apiCallsCounted;
    await run();
    console.log(`  ${name.padEnd(52)} ${fake.stats.apiCallsCounted - before}`);
  }
  await client.close();
}

async function tokenRequestsUnderLoad(fake: SalesforceFake): Promise<void> {
  fake.reset();
  fake.insert('Account', { Name: 'Acme', AccountNumber: 'B-2' });
  const client = clientFor(fake);
  await Promise.all(Array.from({ length: 1000 }, () => client.findAccountByNumber('B-2')));
  const tokens = Object.values(fake.stats.tokenRequests).reduce((sum, count) => sum + count, 0);
  console.log(`\nToken requests for 1,000 concurrent calls on a cold cache: ${tokens}`);
  fake.faults.expireTokens();
  await Promise.all(Array.from({ length: 1000 }, () => client.findAccountByNumber('B-2')));
  const after = Object.values(fake.stats.tokenRequests).reduce((sum, count) => sum + count, 0);
  console.log(`Token requests after expiring the session under 1,000 concurrent calls: ${after - tokens}`);
  await client.close();
}

async function addedLatency(fake: SalesforceFake): Promise<void> {
  fake.reset();
  fake.insert('Account', { Name: 'Acme', AccountNumber: 'B-3' });
  const client = clientFor(fake);
  await client.findAccountByNumber('B-3');
  const token = await fetch(`${fake.url}/services/oauth2/token`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({
      grant_type: 'client_credentials',
      client_id: CLIENT.clientId,
      client_secret: CLIENT.clientSecret,
    }),
  }).then((response) => response.json() as Promise<{ access_token: string }>);
  const agent = new Agent({ connections: 100, keepAliveTimeout: 30_000 });
  const soql = "SELECT Id, Name, AccountNumber, Phone FROM Account WHERE AccountNumber = 'B-3' LIMIT 2";
  const bare = async (): Promise<void> => {
    const response = await agent.request({
      origin: fake.url,
      path: `/services/data/v62.0/query?q=${encodeURIComponent(soql)}`,
      method: 'GET',
      headers: { authorization: `Bearer ${token.access_token}`, accept: 'application/json' },
    });
    JSON.parse(await response.body.text());
  };
  const viaClient = () => client.findAccountByNumber('B-3');

  for (const concurrency of [1, 20]) {
    const bareSamples: number[] = [];
    const clientSamples: number[] = [];
    for (let round = 0; round < SAMPLES / concurrency; round += 1) {
      // Interleaved so that drift (GC, JIT) hits both sides alike.
      bareSamples.push(...(await Promise.all(Array.from({ length: concurrency }, () => timed(bare)))));
      clientSamples.push(...(await Promise.all(Array.from({ length: concurrency }, () => timed(viaClient)))));
    }
    const b = summary(bareSamples.slice(bareSamples.length / 10));
    const c = summary(clientSamples.slice(clientSamples.length / 10));
    console.log(
      `\nLatency, ${SAMPLES} samples at concurrency ${concurrency} (first 10% dropped as warm-up), ms:\n` +
        `  bare undici request   p50 ${b.p50.toFixed(3)}  p99 ${b.p99.toFixed(3)}\n` +
        `  SalesforceHttpClient  p50 ${c.p50.toFixed(3)}  p99 ${c.p99.toFixed(3)}\n` +
        `  added by the client   p50 ${(c.p50 - b.p50).toFixed(3)}  p99 ${(c.p99 - b.p99).toFixed(3)}`,
    );
  }
  await agent.close();
  await client.close();
}

async function main(): Promise<void> {
  Logger.overrideLogger(['error']);
  const fake = await startSalesforceFake({ clients: [CLIENT] });
  try {
    await apiCallsPerOperation(fake);
    await tokenRequestsUnderLoad(fake);
    await addedLatency(fake);
  } finally {
    await fake.close();
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
