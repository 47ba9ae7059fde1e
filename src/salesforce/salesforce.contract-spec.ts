import { PhoneNumbers } from '../common/phone-numbers';
import { appConfig } from '../config/app.config';
import { randomUUID } from 'node:crypto';
import { Registry } from 'prom-client';
import { buildSalesforceConfig, SalesforceConfig } from './salesforce.config';
import { SalesforceErrorCode } from './salesforce.errors';
import { createSalesforceClient, SalesforceAssembly } from './salesforce-client.factory';
import { SalesforceRestClient } from './salesforce-rest.client';

/**
 * The adapter's core checks against a real org (a sandbox or scratch org, never production): the fake and
 * Salesforce must agree on what the client relies on. Not part of `npm test`: `npm run test:contract` with the
 * SALESFORCE_* variables of the chosen auth flow; it creates a Case, a comment, a Task and a file, and deletes
 * them afterwards. Optional: SALESFORCE_CONTRACT_PHONE, the phone of an existing Contact, to check lookup.
 */
const config: SalesforceConfig = buildSalesforceConfig(process.env);

describe('Salesforce contract (real org)', () => {
  const registry = new Registry();
  const created: { type: string; id: string }[] = [];
  let salesforce: SalesforceAssembly;
  let client: SalesforceRestClient;

  beforeAll(() => {
    salesforce = createSalesforceClient(config, {
      registry,
      phones: new PhoneNumbers(appConfig().defaultPhoneRegion),
    });
    client = salesforce.client;
  });

  afterAll(async () => {
    // Through the gateway: the port has no delete, on purpose.
    for (const record of created.reverse()) {
      await salesforce.gateway
        .request({
          operation: 'contract.cleanup',
          method: 'DELETE',
          path: `/sobjects/${record.type}/${record.id}`,
          priority: 'live',
          idempotent: true,
        })
        .catch((error: unknown) => console.log(`cleanup of ${record.type} failed`, error));
    }
    await salesforce.close();
  }, 60_000);

  jest.setTimeout(30_000);

  it('should obtain a token and report it valid', async () => {
    expect(await client.findAccountByNumber(`no-such-${randomUUID().slice(0, 8)}`)).toBeNull();
    expect(client.tokenStatus().state).toBe('valid');
    expect(client.apiUsage()?.limit).toBeGreaterThan(0);
  });

  it('should find every object, field and picklist value the service writes', async () => {
    expect(await client.checkSchema()).toEqual([]);
  });

  it('should return nothing foreign for injection attempts', async () => {
    expect(await client.findAccountByNumber("x' OR Name != '")).toBeNull();
    expect(await client.getCaseByNumber("0' OR CaseNumber != '")).toBeNull();
  });

  it('should look callers up by phone without errors', async () => {
    const unknown = await client.findCallerByPhone('+12025550143');
    expect(['unidentified', 'ambiguous', 'account', 'identified']).toContain(unknown.kind);
    const known = process.env.SALESFORCE_CONTRACT_PHONE;
    if (known) expect((await client.findCallerByPhone(known)).kind).toBe('identified');
  });

  it('should create a case with its number in one call, find it by key and by number, and comment on it', async () => {
    const key = `contract_${randomUUID()}`;
    const newCase = {
      idempotencyKey: key,
      issueType: 'technical' as const,
      subject: 'voice-crm contract test (safe to delete)',
      description: 'Created by the voice-crm Salesforce contract test.',
    };
    const before = await registry.getSingleMetric('salesforce_requests_total')?.get();

    const result = await client.createCase(newCase);
    created.push({ type: 'Case', id: result.id });

    const after = await registry.getSingleMetric('salesforce_requests_total')?.get();
    const count = (values: typeof after) =>
      values?.values
        .filter((value) => value.labels.operation === 'createCase')
        .reduce((sum, value) => sum + value.value, 0) ?? 0;
    expect(count(after) - count(before)).toBe(1);
    expect(result.caseNumber).toBeTruthy();
    expect(await client.findCaseByIdempotencyKey(key, 'live', {})).toEqual(result);
    expect(await client.getCaseByNumber(result.caseNumber)).toMatchObject({ id: result.id, isClosed: false });
    expect((await client.addCaseComment(result.id, 'contract test comment')).id).toBeTruthy();
  });

  it('should log a call Task once, find it by call id and attach a transcript', async () => {
    const callId = `contract-${randomUUID()}`;
    const [result] = await client.createCallTasks([
      {
        callId,
        subject: 'voice-crm contract test call',
        description: 'Summary and transcript',
        activityDate: new Date().toISOString().slice(0, 10),
        durationSeconds: 42,
        disposition: 'customer-ended-call',
      },
    ]);
    if (!result.ok) throw new Error(`task refused: ${result.code}`);
    created.push({ type: 'Task', id: result.id });

    expect((await client.findCallTasks([callId])).get(callId)).toBe(result.id);
    const file = await client.attachTranscript(result.id, `Transcript ${callId}`, 'AI: Hello\nUser: Hi');
    created.push({ type: 'ContentDocument', id: file.contentDocumentId });
    expect(file.contentDocumentId).toMatch(/^069/);
  });

  it('should refuse an invalid contact update before sending it', async () => {
    await expect(client.updateContact('003000000000000AAA', { email: 'nope' })).rejects.toMatchObject({
      code: SalesforceErrorCode.VALIDATION,
    });
  });
});
