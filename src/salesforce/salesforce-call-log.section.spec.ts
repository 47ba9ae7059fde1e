import * as kit from '../../test/support/salesforce-client-harness';
import { NewCallTask } from './salesforce.types';

kit.useClientHarnesses();

describe('SalesforceRestClient against the Salesforce fake', () => {
  describe('call logging', () => {
    function task(callId: string, overrides: Partial<NewCallTask> = {}): NewCallTask {
      return {
        callId,
        subject: 'Call with Jane',
        description: 'Summary. Transcript…',
        activityDate: '2026-11-24',
        durationSeconds: 125,
        disposition: 'customer-ended-call',
        ...overrides,
      };
    }

    it('should log Tasks in one call with per-record results, and find them by call id', async () => {
      const { fake, client } = await kit.startClientHarness();
      const contactId = fake.insert('Contact', { LastName: 'Doe' });
      const before = fake.stats.apiCallsCounted;

      const results = await client.createCallTasks([
        task('call-a', { whoId: contactId }),
        task('call-b', { description: 'x'.repeat(40_000) }),
        task('call-c', { activityDate: 'yesterday' }),
      ]);

      expect(fake.stats.apiCallsCounted - before).toBe(1);
      expect(results.map((result) => [result.callId, result.ok])).toEqual([
        ['call-a', true],
        ['call-b', true],
        ['call-c', false],
      ]);
      const stored = fake.records('Task');
      expect(stored.find((row) => row.CallObject === 'call-a')).toMatchObject({
        TaskSubtype: 'Call',
        CallType: 'Inbound',
        Status: 'Completed',
        CallDurationInSeconds: 125,
        CallDisposition: 'customer-ended-call',
        WhoId: contactId,
        ActivityDate: '2026-11-24',
      });
      expect(String(stored.find((row) => row.CallObject === 'call-b')?.Description)).toHaveLength(32_000);
      const found = await client.findCallTasks(['call-a', 'call-b', 'call-z']);
      expect([...found.keys()].sort()).toEqual(['call-a', 'call-b']);
    });

    it('should not duplicate Tasks when the batch response is lost', async () => {
      const { fake, client } = await kit.startClientHarness();
      await client.findAccountByNumber('warm-up');
      fake.faults.set({ loseResponses: 1, match: '/composite/sobjects' });

      const results = await client.createCallTasks([task('call-1'), task('call-2')]);

      expect(results.every((result) => result.ok)).toBe(true);
      expect(
        fake
          .records('Task')
          .map((row) => row.CallObject)
          .sort(),
      ).toEqual(['call-1', 'call-2']);
    });

    it('should attach a transcript to the Task and return its ContentDocumentId', async () => {
      const { fake, client } = await kit.startClientHarness();
      const [logged] = await client.createCallTasks([task('call-t')]);
      if (!logged.ok) throw new Error('task not logged');

      const attached = await client.attachTranscript(logged.id, 'Transcript call-t', 'AI: Hello\nUser: Hi');

      const version = fake.records('ContentVersion')[0];
      expect(version).toMatchObject({
        ContentDocumentId: attached.contentDocumentId,
        FirstPublishLocationId: logged.id,
      });
      expect(attached.contentDocumentId).toMatch(/^069/);
    });
  });
});
