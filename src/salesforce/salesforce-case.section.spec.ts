import * as kit from '../../test/support/salesforce-client-harness';
import { SalesforceError, SalesforceErrorCode } from './salesforce.errors';
import { NewCase } from './salesforce.types';

kit.useClientHarnesses();

function newCase(overrides: Partial<NewCase> = {}): NewCase {
  return {
    idempotencyKey: `call_${Math.random().toString(36).slice(2)}`,
    issueType: 'billing',
    subject: 'Double charge on invoice',
    description: 'The caller was charged twice in November.',
    ...overrides,
  };
}

describe('SalesforceRestClient against the Salesforce fake', () => {
  describe('cases', () => {
    it('should create a Case and read its CaseNumber in one API call', async () => {
      const { fake, client, registry } = await kit.startClientHarness({
        env: { SALESFORCE_CASE_AUTO_ASSIGN: 'false' },
      });
      const contactId = fake.insert('Contact', { LastName: 'Doe' });
      const before = fake.stats.apiCallsCounted;

      const created = await client.createCase(newCase({ contactId, priority: 'high' }));

      expect(fake.stats.apiCallsCounted - before).toBe(1);
      expect(
        await kit.metricValue(registry, 'salesforce_requests_total', {
          operation: 'createCase',
          outcome: 'success',
        }),
      ).toBe(1);
      const stored = fake.records('Case').find((row) => row.Id === created.id);
      expect(stored).toMatchObject({
        CaseNumber: created.caseNumber,
        Type: 'Billing',
        Priority: 'High',
        Status: 'New',
        Origin: 'Phone',
        ContactId: contactId,
      });
      expect(created.caseNumber).toMatch(/^\d{8}$/);
      expect(fake.assignmentRulesApplied(created.id)).toBe(false);
    });

    it('should leave assignment rules on by default', async () => {
      const { fake, client } = await kit.startClientHarness();

      const created = await client.createCase(newCase());

      expect(fake.assignmentRulesApplied(created.id)).toBe(true);
    });

    it('should create exactly one Case when the response is lost after the commit (marker in Description)', async () => {
      const { fake, client } = await kit.startClientHarness();
      const contactId = fake.insert('Contact', { LastName: 'Doe' });
      await client.findAccountByNumber('warm-up');
      fake.faults.set({ loseResponses: 1, match: '/composite' });
      const input = newCase({ contactId });

      const created = await client.createCase(input);

      const cases = fake.records('Case');
      expect(cases).toHaveLength(1);
      expect(cases[0].Id).toBe(created.id);
      expect(String(cases[0].Description)).toMatch(/\[vc:call_[a-z0-9]+\]$/);
      expect(await client.findCaseByIdempotencyKey(input.idempotencyKey, 'live', input)).toEqual(created);
    });

    it('should create exactly one Case when the response is lost after the commit (external-ID upsert)', async () => {
      const { fake, client } = await kit.startClientHarness({
        fake: { caseExternalIdField: 'Voice_Call_Key__c' },
        env: { SALESFORCE_CASE_EXTERNAL_ID_FIELD: 'Voice_Call_Key__c' },
      });
      await client.findAccountByNumber('warm-up');
      fake.faults.set({ loseResponses: 1, match: '/composite' });
      const input = newCase();

      const created = await client.createCase(input);

      const cases = fake.records('Case');
      expect(cases).toHaveLength(1);
      expect(cases[0]).toMatchObject({ Id: created.id, Voice_Call_Key__c: input.idempotencyKey });
      expect(await client.findCaseByIdempotencyKey(input.idempotencyKey)).toEqual(created);
    });

    it('should find a case by number (leading zeros optional) and list open cases most recent first', async () => {
      const { fake, client } = await kit.startClientHarness({ fake: { clock: undefined } });
      const contactId = fake.insert('Contact', { LastName: 'Doe' });
      const otherId = fake.insert('Contact', { LastName: 'Roe' });
      const first = await client.createCase(newCase({ contactId, subject: 'first' }));
      await new Promise((resolve) => setTimeout(resolve, 5));
      const second = await client.createCase(newCase({ contactId, subject: 'second' }));
      await client.createCase(newCase({ contactId: otherId, subject: 'not theirs' }));
      fake.insert('Case', { Subject: 'closed', Status: 'Closed', ContactId: contactId });

      const open = await client.listOpenCases({ contactId }, 3);
      const byNumber = await client.getCaseByNumber(String(Number(first.caseNumber)));

      expect(open.map((record) => record.subject)).toEqual(['second', 'first']);
      expect(open[0]).toMatchObject({ id: second.id, status: 'New', isClosed: false, contactId });
      expect(byNumber).toMatchObject({ id: first.id, caseNumber: first.caseNumber, contactId });
    });

    it('should truncate a comment to 4,000 bytes at a character boundary', async () => {
      const { fake, client } = await kit.startClientHarness();
      const parentId = fake.insert('Case', { Subject: 'Parent', Status: 'New' });

      const comment = await client.addCaseComment(parentId, 'é'.repeat(3000));

      const stored = fake.records('CaseComment').find((row) => row.Id === comment.id);
      expect(Buffer.byteLength(String(stored?.CommentBody))).toBe(4000);
      expect(stored?.ParentId).toBe(parentId);
    });

    it('should find a comment already on the case by its body, and nothing for a body it does not have', async () => {
      const { fake, client } = await kit.startClientHarness();
      const parentId = fake.insert('Case', { Subject: 'Parent', Status: 'New' });
      fake.insert('CaseComment', { ParentId: parentId, CommentBody: 'Earlier note' });
      const added = await client.addCaseComment(parentId, 'Caller says the line is still down');
      fake.insert('CaseComment', { ParentId: parentId, CommentBody: 'Later note' });

      expect(await client.findCaseComment(parentId, 'Caller says the line is still down')).toEqual({
        id: added.id,
      });
      expect(await client.findCaseComment(parentId, 'Caller says the line is still')).toBeNull();
      expect(await client.findCaseComment(parentId, 'Something never said')).toBeNull();
    });

    it('should find a comment longer than 4,000 bytes by the truncated body it was stored with', async () => {
      const { fake, client } = await kit.startClientHarness();
      const parentId = fake.insert('Case', { Subject: 'Parent', Status: 'New' });
      const long = `${'é'.repeat(2500)} — the tail that does not fit`;
      const added = await client.addCaseComment(parentId, long);

      expect(await client.findCaseComment(parentId, long)).toEqual({ id: added.id });
    });

    it("should not take another case's identical comment for this case's", async () => {
      const { fake, client } = await kit.startClientHarness();
      const mine = fake.insert('Case', { Subject: 'Mine', Status: 'New' });
      const other = fake.insert('Case', { Subject: 'Other', Status: 'New' });
      await client.addCaseComment(other, 'Please call me back');

      expect(await client.findCaseComment(mine, 'Please call me back')).toBeNull();
    });

    it('should retry the comment lookup through an outage, since it only reads', async () => {
      const { fake, client, registry } = await kit.startClientHarness();
      const parentId = fake.insert('Case', { Subject: 'Parent', Status: 'New' });
      await client.addCaseComment(parentId, 'Hello');
      fake.faults.set({ outage: true, match: '/query' });

      const error = await kit.caught(client.findCaseComment(parentId, 'Hello'));

      expect(error.code).toBe(SalesforceErrorCode.UNAVAILABLE);
      expect(
        await kit.metricValue(registry, 'salesforce_requests_total', {
          operation: 'findCaseComment',
          outcome: 'unavailable',
        }),
      ).toBe(3);
    });
  });

  describe('injection', () => {
    it('should return nothing foreign for hostile case numbers and idempotency keys', async () => {
      const { fake, client } = await kit.startClientHarness();
      const contactId = fake.insert('Contact', { LastName: 'Victim' });
      await client.createCase(newCase({ contactId }));

      expect(await client.getCaseByNumber("0' OR CaseNumber != '")).toBeNull();
      expect(await client.findCaseByIdempotencyKey("x' OR Id != '", 'live', { contactId })).toBeNull();
      await expect(client.listOpenCases({ contactId: "x' OR Id != '" }, 3)).rejects.toThrow(SalesforceError);
    });

    it.each(["500000000000001' OR ParentId != '", '500000000000001AAA OR Id != null', "x'"])(
      'should refuse the case id %p of a comment lookup before any request',
      async (attack) => {
        const { fake, client } = await kit.startClientHarness();
        const parentId = fake.insert('Case', { Subject: 'Victim', Status: 'New' });
        await client.addCaseComment(parentId, 'Private note');
        const before = fake.stats.apiCallsCounted;

        const error = await kit.caught(client.findCaseComment(attack, 'Private note'));

        expect(error.code).toBe(SalesforceErrorCode.VALIDATION);
        expect(fake.stats.apiCallsCounted).toBe(before);
      },
    );
  });
});
