import { CallWorld, eventually, startCallWorld } from '../support/call-harness';
import { callTool, deliveriesSettled, newCall } from '../support/call-driver';
import {
  assistantRequestMessage,
  endOfCallReportMessage,
  statusUpdateMessage,
} from '../support/vapi-payloads';
import { postWebhook } from '../support/webhook-client';

const JANE = '+14155550100';
/** What endOfCallReportMessage reports: 09:00:05 to 09:04:17 on 24 November 2026. */
const REPORTED_SECONDS = 252;
const REPORTED_DAY = '2026-11-24';

describe('the end of a call', () => {
  let world: CallWorld;
  beforeAll(async () => {
    world = await startCallWorld();
  });
  afterAll(() => world.close());

  const tasksOf = (callId: string) =>
    world.salesforce.records('Task').filter((task) => task.CallObject === callId);
  const loggedTask = async (callId: string) => {
    await eventually(() => tasksOf(callId).length > 0);
    await eventually(() => deliveriesSettled(world, callId));
    return tasksOf(callId);
  };

  it('should log one completed inbound call Task with the caller, the case opened in the call, summary and transcript', async () => {
    const call = newCall(JANE);
    await postWebhook(world.app.url, assistantRequestMessage(call));
    await postWebhook(world.app.url, statusUpdateMessage(call, 'in-progress'));
    await callTool(world, call, 'createSalesforceCase', {
      issueType: 'billing',
      description: 'Refund for the duplicate October charge',
    });
    const [opened] = world.salesforce
      .records('Case')
      .filter((record) => String(record.Description).startsWith('Refund for the duplicate October charge'));
    const transcript = 'AI: Hello, Acme support.\nUser: I was charged twice.\nAI: I opened a case for you.';

    const reply = await postWebhook(
      world.app.url,
      endOfCallReportMessage(call, {
        transcript,
        summary: 'Jane reported a double charge; a billing case was opened.',
        endedReason: 'customer-ended-call',
      }),
    );

    expect(reply).toEqual({ status: 200, body: {} });
    const tasks = await loggedTask(call.id);
    expect(tasks).toHaveLength(1);
    const [task] = tasks;
    expect(task).toMatchObject({
      TaskSubtype: 'Call',
      CallType: 'Inbound',
      CallDurationInSeconds: REPORTED_SECONDS,
      CallObject: call.id,
      CallDisposition: 'customer-ended-call',
      Status: 'Completed',
      ActivityDate: REPORTED_DAY,
      WhoId: world.org.contacts.jane,
      WhatId: opened.Id,
    });
    expect(String(task.Subject).length).toBeGreaterThan(0);
    expect(String(task.Subject).length).toBeLessThanOrEqual(255);
    expect(String(task.Description)).toContain('Jane reported a double charge; a billing case was opened.');
    expect(String(task.Description)).toContain(transcript);
  });

  it('should log the call on the caller’s account when no case was opened', async () => {
    const call = newCall(JANE);
    await postWebhook(world.app.url, assistantRequestMessage(call));

    await postWebhook(world.app.url, endOfCallReportMessage(call, { transcript: 'User: Just checking.' }));

    const [task] = await loggedTask(call.id);
    expect(task).toMatchObject({ WhoId: world.org.contacts.jane, WhatId: world.org.accounts.acme });
  });

  it('should still log one Task when the report is delivered twice, one after the other and at once', async () => {
    const call = newCall(JANE);
    const report = endOfCallReportMessage(call, { transcript: 'User: Hello?\nAI: Hello!' });

    await Promise.all([postWebhook(world.app.url, report), postWebhook(world.app.url, report)]);
    await loggedTask(call.id);
    await postWebhook(world.app.url, report);

    expect(await loggedTask(call.id)).toHaveLength(1);
  });

  it('should read the older report shape with transcript and summary at the top level', async () => {
    const call = newCall(JANE);
    await postWebhook(world.app.url, assistantRequestMessage(call));

    await postWebhook(
      world.app.url,
      endOfCallReportMessage(call, {
        transcript: 'User: Is my invoice ready?\nAI: It is.',
        summary: 'The caller asked about an invoice.',
        legacy: true,
      }),
    );

    const [task] = await loggedTask(call.id);
    expect(String(task.Description)).toContain('The caller asked about an invoice.');
    expect(String(task.Description)).toContain('User: Is my invoice ready?\nAI: It is.');
    expect(task).toMatchObject({ CallDurationInSeconds: REPORTED_SECONDS, WhoId: world.org.contacts.jane });
  });

  it('should still name the contact when the caller was never looked up before the report', async () => {
    const call = newCall(JANE);
    await postWebhook(
      world.app.url,
      endOfCallReportMessage(call, { transcript: 'User: Hello?', summary: 'Short.' }),
    );

    const [task] = await loggedTask(call.id);
    expect(task).toMatchObject({ WhoId: world.org.contacts.jane, WhatId: world.org.accounts.acme });
  });

  it('should attach a transcript too long for the Description in full as a file on the Task', async () => {
    const call = newCall(JANE);
    const line = 'User: and then the router restarted again, for the fourth time this morning.\n';
    const transcript = line.repeat(Math.ceil(60_000 / line.length)).slice(0, 60_000);

    await postWebhook(world.app.url, endOfCallReportMessage(call, { transcript, summary: 'A long call.' }));

    const [task] = await loggedTask(call.id);
    expect(String(task.Description).length).toBeLessThanOrEqual(32_000);
    expect(String(task.Description)).toContain('A long call.');
    expect(String(task.Description)).toContain(transcript.slice(0, 1000));
    const documentIds = world.salesforce
      .records('ContentDocumentLink')
      .filter((link) => link.LinkedEntityId === task.Id)
      .map((link) => link.ContentDocumentId);
    expect(documentIds).toHaveLength(1);
    const versions = world.salesforce
      .records('ContentVersion')
      .filter((version) => version.ContentDocumentId === documentIds[0]);
    expect(versions).toHaveLength(1);
    expect(world.salesforce.versionData(String(versions[0].Id))?.toString('utf8')).toBe(transcript);
  });
});
