import { DeliveryInput } from '../../src/delivery/delivery.types';

/** Outbox rows as the call workflow submits them, for the outbox's own tests. */
export function caseInput(key: string, callId = 'call-1', sms?: string): DeliveryInput {
  return {
    kind: 'salesforce.case.create',
    idempotencyKey: key,
    callId,
    payload: {
      idempotencyKey: key,
      contactId: '003FAKE1',
      issueType: 'billing',
      subject: `Billing question ${key}`,
      description: 'The caller was charged twice.',
      ...(sms ? { sms: { to: sms, body: 'Your case number is {caseNumber}.' } } : {}),
    },
  };
}

export function commentInput(key: string, caseId: string, body: string, callId = 'call-1'): DeliveryInput {
  return { kind: 'salesforce.case.comment', idempotencyKey: key, callId, payload: { caseId, body } };
}

export function taskInput(callId: string, transcript?: string): DeliveryInput {
  return {
    kind: 'salesforce.task.create',
    idempotencyKey: `task:${callId}`,
    callId,
    payload: { report: { callId, summary: 'Summary', ...(transcript ? { transcript } : {}) } },
  };
}
