import { LOCALES } from '../../src/calls/voice/locales';
import { CallWorld, eventually, startCallWorld, SUPPORT_LINE } from '../support/call-harness';
import { callTool, deliveriesSettled, newCall, seedCaller } from '../support/call-driver';
import { vapiSchemaErrors } from '../support/vapi-openapi';
import {
  assistantRequestMessage,
  endOfCallReportMessage,
  transferDestinationRequestMessage,
} from '../support/vapi-payloads';
import { postWebhook } from '../support/webhook-client';

const ENGLISH = LOCALES.en.sentences;

const { transfer } = ENGLISH;

describe('warm transfer (TRANSFER_MODE=warm)', () => {
  describe('with a briefing message (default style)', () => {
    let world: CallWorld;
    beforeAll(async () => {
      world = await startCallWorld({ TRANSFER_MODE: 'warm' });
    });
    afterAll(() => world.close());

    const commentsOn = (caseId: string) =>
      world.salesforce.records('CaseComment').filter((comment) => comment.ParentId === caseId);

    it('should brief the human with the caller’s first name and the case opened, and fall back to the agent', async () => {
      const caller = seedCaller(world, { FirstName: 'Morgan' });
      const call = newCall(caller.phone);
      await postWebhook(world.app.url, assistantRequestMessage(call));
      await callTool(world, call, 'createSalesforceCase', {
        issueType: 'billing',
        description: 'Charged twice for the November invoice',
      });
      const [created] = world.salesforce
        .records('Case')
        .filter((record) => record.ContactId === caller.contactId);
      const caseNumber = String(created.CaseNumber);

      const reply = await postWebhook(world.app.url, transferDestinationRequestMessage(call));

      expect(reply.status).toBe(200);
      expect(vapiSchemaErrors('ServerMessageResponseTransferDestinationRequest', reply.body)).toEqual([]);
      const destination = reply.body.destination as Record<string, unknown>;
      expect(destination).toMatchObject({
        type: 'number',
        number: SUPPORT_LINE,
        message: transfer.connecting,
      });
      expect(destination.transferPlan).toEqual({
        mode: 'warm-transfer-say-message',
        message: transfer.warmBriefing({
          firstName: 'Morgan',
          assurance: 'recognised',
          casesOpened: [caseNumber],
        }),
        fallbackPlan: { message: transfer.warmNotAnswered, endCallEnabled: false },
      });
      const briefing = String((destination.transferPlan as { message: string }).message);
      expect(briefing).toContain('Morgan');
      expect(briefing).toContain(caseNumber.split('').join(' '));
      // No phone number, digit string or email of the caller reaches the human's briefing.
      expect(briefing).not.toContain(caller.phone.slice(-4));
      expect(briefing).not.toMatch(/@|\+\d/);
      const note = await eventually(() =>
        commentsOn(created.Id as string).find((comment) =>
          String(comment.CommentBody).includes('warm transfer'),
        ),
      );
      expect(String(note.CommentBody)).toContain('agent briefed with a message');
    });

    it('should not say a first name that holds an email address or digits', async () => {
      const caller = seedCaller(world, { FirstName: 'robin.tester@example.test' });
      const call = newCall(caller.phone);
      await postWebhook(world.app.url, assistantRequestMessage(call));

      const reply = await postWebhook(world.app.url, transferDestinationRequestMessage(call));

      const plan = (reply.body.destination as { transferPlan: { message: string } }).transferPlan;
      expect(plan.message).toBe(transfer.warmBriefing({ assurance: 'recognised', casesOpened: [] }));
      expect(plan.message).not.toContain('@');
    });

    it('should not name a caller it could not identify', async () => {
      const call = newCall('+14155559876');
      await postWebhook(world.app.url, assistantRequestMessage(call));

      const reply = await postWebhook(world.app.url, transferDestinationRequestMessage(call));

      const plan = (reply.body.destination as { transferPlan: { message: string } }).transferPlan;
      expect(plan.message).toBe(transfer.warmBriefing({ assurance: 'unknown', casesOpened: [] }));
      expect(vapiSchemaErrors('ServerMessageResponseTransferDestinationRequest', reply.body)).toEqual([]);
    });

    it.each([
      ['assistant-forwarded-call', 'the human agent answered and took the call'],
      ['call.forwarding.no-answer', 'the human agent did not answer'],
      ['customer-ended-call', 'the human agent did not answer'],
    ])(
      'should record on the Task and the case that the transfer ended with %s',
      async (endedReason, words) => {
        const caller = seedCaller(world);
        const call = newCall(caller.phone);
        await postWebhook(world.app.url, assistantRequestMessage(call));
        await callTool(world, call, 'createSalesforceCase', {
          issueType: 'technical',
          description: `Router reboots every hour (${endedReason})`,
        });
        const [created] = world.salesforce
          .records('Case')
          .filter((record) => record.ContactId === caller.contactId);
        await postWebhook(world.app.url, transferDestinationRequestMessage(call));

        await postWebhook(
          world.app.url,
          endOfCallReportMessage(call, { transcript: 'User: a person please', endedReason }),
        );

        const task = await eventually(() =>
          world.salesforce.records('Task').find((record) => record.CallObject === call.id),
        );
        expect(String(task.Description)).toContain('warm transfer, agent briefed with a message');
        expect(String(task.Description)).toContain(words);
        await eventually(() => deliveriesSettled(world, call.id));
        const outcome = commentsOn(created.Id as string).find((comment) =>
          String(comment.CommentBody).startsWith('Transfer to a human agent'),
        );
        expect(String(outcome?.CommentBody)).toContain(words);
      },
    );
  });

  describe('with a generated summary (TRANSFER_WARM_STYLE=summary)', () => {
    let world: CallWorld;
    beforeAll(async () => {
      world = await startCallWorld({ TRANSFER_MODE: 'warm', TRANSFER_WARM_STYLE: 'summary' });
    });
    afterAll(() => world.close());

    it('should ask VAPI for a summary of the transcript and keep the fallback to the agent', async () => {
      const call = newCall('+14155550100');
      await postWebhook(world.app.url, assistantRequestMessage(call));

      const reply = await postWebhook(world.app.url, transferDestinationRequestMessage(call));

      expect(vapiSchemaErrors('ServerMessageResponseTransferDestinationRequest', reply.body)).toEqual([]);
      const plan = (reply.body.destination as { transferPlan: Record<string, unknown> }).transferPlan;
      expect(plan).toMatchObject({
        mode: 'warm-transfer-say-summary',
        summaryPlan: {
          enabled: true,
          messages: [
            { role: 'system', content: transfer.warmSummaryInstructions },
            { role: 'user', content: expect.stringContaining('{{transcript}}') },
          ],
        },
        fallbackPlan: { message: transfer.warmNotAnswered, endCallEnabled: false },
      });
    });
  });

  describe('blind (the default)', () => {
    let world: CallWorld;
    beforeAll(async () => {
      world = await startCallWorld();
    });
    afterAll(() => world.close());

    it('should answer without a transfer plan', async () => {
      const call = newCall('+14155550100');
      const reply = await postWebhook(world.app.url, transferDestinationRequestMessage(call));
      expect(reply.body).toEqual({
        destination: { type: 'number', number: SUPPORT_LINE, message: transfer.connecting },
      });
    });
  });
});
