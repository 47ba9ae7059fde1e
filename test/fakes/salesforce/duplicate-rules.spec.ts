import { FakeDuplicateRule, SalesforceFake, startSalesforceFake } from './salesforce-fake';
import { apiClient, ApiClient } from './spec-helpers';

const EMAIL_RULE: FakeDuplicateRule = {
  name: 'Contact_Email_Rule',
  object: 'Contact',
  fields: ['Email'],
  action: 'block',
};
const ALLOW_SAVE = { 'Sforce-Duplicate-Rule-Header': 'allowSave=true; includeRecordDetails=false' };

let fake: SalesforceFake;
let api: ApiClient;
let taken: string;
let other: string;

beforeEach(async () => {
  fake = await startSalesforceFake({ duplicateRules: [EMAIL_RULE] });
  api = await apiClient(fake);
  taken = fake.insert('Contact', { LastName: 'First', Email: 'shared@example.test' });
  other = fake.insert('Contact', { LastName: 'Second', Email: 'own@example.test' });
});
afterEach(() => fake.close());

describe('duplicate rules', () => {
  it('should refuse an update that makes a record match another, with DUPLICATES_DETECTED and its duplicateResult', async () => {
    const refused = await api.call('PATCH', `/sobjects/Contact/${other}`, { Email: 'Shared@Example.TEST' });

    expect(refused.status).toBe(400);
    expect(refused.body).toEqual([
      {
        errorCode: 'DUPLICATES_DETECTED',
        message: 'Use one of these records?',
        duplicateResult: {
          allowSave: false,
          duplicateRule: 'Contact_Email_Rule',
          duplicateRuleEntityType: 'Contact',
          errorMessage: 'Use one of these records?',
          matchResults: [
            {
              entityType: 'Contact',
              errors: [],
              matchEngine: 'ExactMatchEngine',
              matchRecords: [
                {
                  additionalInformation: [],
                  fieldDiffs: [],
                  matchConfidence: 100,
                  record: {
                    attributes: { type: 'Contact', url: `/services/data/v62.0/sobjects/Contact/${taken}` },
                    Id: taken,
                  },
                },
              ],
              rule: 'Contact_Email_Rule_Match_Rule',
              size: 1,
              success: true,
            },
          ],
        },
      },
    ]);
    expect(fake.record('Contact', other)?.Email).toBe('own@example.test');
  });

  it('should refuse a new record that matches, and let one through that does not', async () => {
    const refused = await api.call('POST', '/sobjects/Contact', {
      LastName: 'Third',
      Email: 'shared@example.test',
    });
    const created = await api.call('POST', '/sobjects/Contact', {
      LastName: 'Fourth',
      Email: 'new@example.test',
    });

    expect(refused.status).toBe(400);
    expect(refused.body[0].errorCode).toBe('DUPLICATES_DETECTED');
    expect(created.status).toBe(201);
    expect(fake.records('Contact')).toHaveLength(3);
  });

  it('should let an alerting rule through when the request allows the save, and never a blocking one', async () => {
    fake.duplicateRules.set([{ ...EMAIL_RULE, action: 'alert' }]);
    const withoutHeader = await api.call('PATCH', `/sobjects/Contact/${other}`, {
      Email: 'shared@example.test',
    });
    expect(withoutHeader.status).toBe(400);
    expect(withoutHeader.body[0].duplicateResult.allowSave).toBe(true);

    const allowed = await api.call(
      'PATCH',
      `/sobjects/Contact/${other}`,
      { Email: 'shared@example.test' },
      ALLOW_SAVE,
    );
    expect(allowed.status).toBe(204);

    fake.duplicateRules.set([{ ...EMAIL_RULE, action: 'block' }]);
    const third = fake.insert('Contact', { LastName: 'Third' });
    const blocked = await api.call(
      'PATCH',
      `/sobjects/Contact/${third}`,
      { Email: 'shared@example.test' },
      ALLOW_SAVE,
    );
    expect(blocked.status).toBe(400);
  });

  it('should apply the rule inside /composite subrequests and roll the whole request back', async () => {
    const response = await api.call('POST', '/composite', {
      allOrNone: true,
      compositeRequest: [
        {
          method: 'PATCH',
          url: `/services/data/v62.0/sobjects/Contact/${other}`,
          referenceId: 'update',
          body: { Email: 'shared@example.test' },
        },
      ],
    });

    expect(response.status).toBe(200);
    expect(response.body.compositeResponse[0]).toMatchObject({
      httpStatusCode: 400,
      body: [{ errorCode: 'DUPLICATES_DETECTED' }],
    });
  });

  it('should not count empty values as a match, nor the record itself', async () => {
    const blank = await api.call('POST', '/sobjects/Contact', { LastName: 'NoEmail' });
    const same = await api.call('PATCH', `/sobjects/Contact/${taken}`, { Email: 'shared@example.test' });

    expect(blank.status).toBe(201);
    expect(same.status).toBe(204);
  });
});
